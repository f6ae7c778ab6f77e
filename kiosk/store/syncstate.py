"""What sync reads and writes on a device: the outbox's progress, pulled pages, conflicts, devices.

The sync client (sync/) decides what to send and what an answer means; this area only keeps
it. Tables and columns named by a pulled page are checked against the database's own before
they reach SQL, so a server cannot write where it should not.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import sqlite_utils

from kiosk.models import ConflictItem

LEAD_COLUMNS = ("id", "exhibitor_id", "attendee_id", "name", "name_zh", "organisation", "badge_type", "title",
                "email", "phone", "notes", "rating", "tags", "device_id", "created_at", "updated_at", "scans",
                "deleted")
NOTE_COLUMNS = ("id", "exhibitor_id", "attendee_id", "device_id", "text", "updated_at")
CONFLICT_COLUMNS = ("id", "kind", "record_id", "attendee_id", "name", "reason", "detail", "created_at", "point_id",
                    "device_id", "at", "other_record_id", "other_device_id", "other_at")


def _upsert_sql(table: str, cols: Sequence[str], key: str, update: Sequence[str] | None = None) -> str:
    update = update if update is not None else [c for c in cols if c not in key.split(", ")]
    sets = ", ".join(f"{c} = excluded.{c}" for c in update)
    return (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT({key}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING"))


class SyncState:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def _columns(self, table: str, fields: Sequence[str]) -> Sequence[str]:
        unknown = set(fields) - set(self._db[table].columns_dict)
        if unknown:
            raise ValueError(f"no such {table} columns: {', '.join(sorted(unknown))}")
        return fields

    # -- the outbox's progress ----------------------------------------------------------------------
    def pending_items(self, limit: int) -> list[dict]:
        """The oldest records still to send, in the order they were made."""
        rows = self._db.execute("SELECT id, kind, payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?",
                                [limit]).fetchall()
        return [{"id": r[0], "kind": r[1], "payload": json.loads(r[2])} for r in rows]

    def pending_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]

    def has_unsent_records(self) -> bool:
        """A check-in or undo of this device the server has not seen: its verdict could contradict them."""
        return self._db.execute("SELECT 1 FROM outbox WHERE state = 'pending' AND kind IN ('checkin', 'undo') "
                                "LIMIT 1").fetchone() is not None

    def count_attempt(self, ids: list[str]) -> None:
        marks = ",".join("?" * len(ids))
        self._db.execute(f"UPDATE outbox SET attempts = attempts + 1 WHERE id IN ({marks})", ids)

    def reject(self, items: Iterable[dict]) -> None:
        """Items the server refused for good: kept with the reason for staff, never sent again."""
        with self._db.atomic():
            for it in items:
                self._db.execute("UPDATE outbox SET state = 'rejected', result = ? WHERE id = ?",
                                 [json.dumps({"status": "rejected", "reason": it.get("reason", "")}), it.get("id")])

    def record_answers(self, results: list[dict], now: str) -> dict[str, int]:
        """The server's answer per item (accepted, duplicate, conflict -> sent; rejected; later -> still
        pending), with the
        conflicts it found kept for the staff list; returns counts by answer."""
        counts = {"accepted": 0, "duplicate": 0, "conflict": 0, "rejected": 0, "later": 0}
        with self._db.atomic():
            for res in results:
                status = res.get("status")
                counts[status] = counts.get(status, 0) + 1
                if status == "later":  # over the server's rate limit: stays pending, goes in a later round
                    self._db.execute("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", [res["id"]])
                    continue
                state = "rejected" if status == "rejected" else "sent"
                self._db.execute("UPDATE outbox SET state = ?, result = ?, attempts = attempts + 1 WHERE id = ?",
                                 [state, json.dumps(res, ensure_ascii=False), res["id"]])
                if status == "conflict":
                    self._save_conflict(res, now)
                detail = res.get("detail") or {}
                if detail.get("placeholder") and detail.get("attendee_id"):
                    self._rename_attendee(detail["placeholder"], detail["attendee_id"])
        return counts

    def _rename_attendee(self, placeholder: str, attendee_id: str) -> None:
        """A lead saved under a stand-in id (a plain code this device could not name) becomes the
        attendee's lead: merged into the one this exhibitor already had, else renamed; its notes and
        its not yet sent edits follow."""
        for exhibitor_id, lead_id in self._db.execute("SELECT exhibitor_id, id FROM leads WHERE attendee_id = ?",
                                                      [placeholder]).fetchall():
            taken = self._db.execute("SELECT 1 FROM leads WHERE exhibitor_id = ? AND attendee_id = ?",
                                     [exhibitor_id, attendee_id]).fetchone()
            if taken:
                self._db.execute("DELETE FROM leads WHERE id = ?", [lead_id])
            else:
                self._db.execute("UPDATE leads SET attendee_id = ? WHERE id = ?", [attendee_id, lead_id])
        self._db.execute("UPDATE lead_notes SET attendee_id = ? WHERE attendee_id = ?", [attendee_id, placeholder])
        for item_id, raw in self._db.execute("SELECT id, payload FROM outbox WHERE state = 'pending' "
                                             "AND kind IN ('lead', 'lead_scan', 'lead_edit')").fetchall():
            payload = json.loads(raw)
            if payload.get("attendee_id") == placeholder:
                payload["attendee_id"] = attendee_id
                self._db.execute("UPDATE outbox SET payload = ? WHERE id = ?",
                                 [json.dumps(payload, ensure_ascii=False), item_id])

    def _save_conflict(self, res: dict, now: str) -> None:
        record_id = res["id"].partition(":")[2]
        d = res.get("detail") or {}
        row = self._db.execute("SELECT name, device_id, corrected_time FROM checkins WHERE id = ?",
                               [record_id]).fetchone()
        self._db.execute(
            "INSERT INTO conflicts(id, kind, record_id, attendee_id, name, reason, detail, created_at, point_id, "
            "device_id, at, other_record_id, other_device_id, other_at) VALUES (?, 'checkin', ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
            [f"checkin:{record_id}", record_id, d.get("attendee_id"), row[0] if row else "", res.get("reason", ""),
             json.dumps(d, ensure_ascii=False), now, d.get("point_id"), row[1] if row else None,
             row[2] if row else None, d.get("other_record"), d.get("other_device"), d.get("other_time")])
        if d.get("other_device") and d.get("other_device_name"):
            self._db.execute("INSERT OR IGNORE INTO devices(id, name) VALUES (?, ?)",
                             [d["other_device"], d["other_device_name"]])

    def prune_sent(self, older_than: str) -> int:
        """Delete answered rows made before `older_than`; pending and rejected rows always stay."""
        return self._db.execute("DELETE FROM outbox WHERE state = 'sent' AND created_at < ?", [older_than]).rowcount

    def status_counts(self) -> tuple[int, int, int]:
        """(pending, rejected, unseen conflicts) for the status corner."""
        one = lambda sql: self._db.execute(sql).fetchone()[0]  # noqa: E731
        return (one("SELECT count(*) FROM outbox WHERE state = 'pending'"),
                one("SELECT count(*) FROM outbox WHERE state = 'rejected'"),
                one("SELECT count(*) FROM conflicts WHERE seen = 0"))

    # -- an online verdict kept locally ------------------------------------------------------------
    def keep_server_record(self, fields: Sequence[str], record: dict, now: str) -> None:
        """The server's check-in under the id this device made, with an outbox row already `sent`:
        the device knows it (counts, repeats, undo) and never sends it again. Run in a transaction."""
        cols = self._columns("checkins", fields)
        self._db.execute(_upsert_sql("checkins", cols, "id", update=[]), [record[c] for c in cols])
        self._db.execute("INSERT OR IGNORE INTO outbox(id, kind, payload, created_at, state, result) "
                         "VALUES (?, 'checkin', ?, ?, 'sent', ?)",
                         [f"checkin:{record['id']}", json.dumps(record, ensure_ascii=False), now,
                          json.dumps({"status": "accepted", "online": True})])

    def keep_server_refusal(self, row: dict) -> None:
        """A refusal the server decided, in the scan log (a desk looks its hand-off code up there)."""
        self._db.execute(
            "INSERT OR IGNORE INTO scan_log(id, event_id, status, attendee_id, point_id, direction, device_id, "
            "device_time, detail, handoff, code) VALUES (:id, :event_id, :status, :attendee_id, :point_id, "
            ":direction, :device_id, :device_time, :detail, :handoff, :code)", {"code": None, **row})

    # -- pulled pages -------------------------------------------------------------------------------
    def upsert_rows(self, table: str, fields: Sequence[str], rows: list[list], key: str = "id") -> None:
        """Rows the server sent as (fields, values); newer values win (attendees, devices, conflicts)."""
        cols = self._columns(table, fields)
        self._db.conn.executemany(_upsert_sql(table, cols, key), rows)

    def add_checkins(self, fields: Sequence[str], rows: list[list]) -> None:
        """Pulled check-ins: a record is never rewritten, except that an undo elsewhere sticks."""
        cols = self._columns("checkins", fields)
        sql = _upsert_sql("checkins", cols, "id", update=[]).replace(
            "DO NOTHING", "DO UPDATE SET undone = max(checkins.undone, excluded.undone)")
        self._db.conn.executemany(sql, rows)

    def upsert_leads(self, leads: list[dict]) -> None:
        """Merged leads from the server. The same visitor may have a local lead under another id (made
        offline on this device): the row is the visitor's and keeps its local id, so a screen holding
        that id still finds it."""
        rows = [[json.dumps(lead[c], ensure_ascii=False) if c == "tags" else lead.get(c) for c in LEAD_COLUMNS]
                for lead in leads]
        keep = ("id", "exhibitor_id", "attendee_id")
        self._db.conn.executemany(_upsert_sql("leads", LEAD_COLUMNS, "exhibitor_id, attendee_id",
                                              update=[c for c in LEAD_COLUMNS if c not in keep]), rows)

    def upsert_notes(self, notes: list[dict]) -> None:
        self._db.conn.executemany(_upsert_sql("lead_notes", NOTE_COLUMNS, "id"),
                                  [[n.get(c) for c in NOTE_COLUMNS] for n in notes])

    def upsert_conflicts(self, conflicts: list[dict]) -> None:
        self.upsert_rows("conflicts", CONFLICT_COLUMNS, [[c.get(k) for k in CONFLICT_COLUMNS] for c in conflicts])

    def reapply_pending_leads(self, pairs: set[tuple[str, str]]) -> None:
        """Put this device's not-yet-uploaded lead changes back on top of a pulled lead.

        A pull can bring a merged state older than an edit made here after the round's push;
        without this the edit would look lost until the next round brought it back."""
        if not pairs:
            return
        rows = self._db.execute("SELECT kind, payload FROM outbox WHERE state = 'pending' "
                                "AND kind IN ('lead', 'lead_scan', 'lead_edit') ORDER BY seq").fetchall()
        for kind, raw in rows:
            try:
                p = json.loads(raw)
            except ValueError:
                continue
            key = (p.get("exhibitor_id"), p.get("attendee_id"))
            if key in pairs:
                self._reapply(kind, p, key)

    def _reapply(self, kind: str, p: dict, key: tuple[str, str]) -> None:
        where, args = "exhibitor_id = ? AND attendee_id = ?", list(key)
        if kind in ("lead", "lead_scan"):
            self._db.execute(f"UPDATE leads SET deleted = 0 WHERE {where}", args)
        if kind == "lead":
            self._change_tags(key, p.get("tags") or [], [])
        if kind != "lead_edit":
            return
        if p.get("rating") is not None:
            self._db.execute(f"UPDATE leads SET rating = ? WHERE {where}", [int(p["rating"]), *args])
        if p.get("deleted") is not None:
            self._db.execute(f"UPDATE leads SET deleted = ? WHERE {where}", [int(bool(p["deleted"])), *args])
        if p.get("tags_add") or p.get("tags_remove"):
            self._change_tags(key, p.get("tags_add") or [], p.get("tags_remove") or [])
        note = p.get("note")
        if isinstance(note, dict) and note.get("note_id"):
            self._db.execute("INSERT INTO lead_notes(id, exhibitor_id, attendee_id, device_id, text, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, "
                             "updated_at = excluded.updated_at",
                             [note["note_id"], *key, p.get("device_id"), note.get("text", ""), p.get("at")])

    def _change_tags(self, key: tuple[str, str], add: list[str], remove: list[str]) -> None:
        row = self._db.execute("SELECT tags FROM leads WHERE exhibitor_id = ? AND attendee_id = ?",
                               list(key)).fetchone()
        if row is None:
            return
        tags = [t for t in json.loads(row[0] or "[]") if t not in remove]
        tags += [t for t in add if t not in tags]
        self._db.execute("UPDATE leads SET tags = ? WHERE exhibitor_id = ? AND attendee_id = ?",
                         [json.dumps(tags, ensure_ascii=False), *key])

    # -- devices, conflicts, badge issues -------------------------------------------------------------
    def remember_device(self, device_id: str, name: str, role: str, exhibitor_id: str | None) -> None:
        self._db.execute("INSERT OR REPLACE INTO devices(id, name, role, exhibitor_id) VALUES (?, ?, ?, ?)",
                         [device_id, name, role, exhibitor_id])

    def device_name(self, device_id: str) -> str | None:
        row = self._db.execute("SELECT name FROM devices WHERE id = ?", [device_id]).fetchone()
        return row[0] if row and row[0] else None

    def conflicts(self, include_seen: bool = True) -> list[ConflictItem]:
        """Offline scans that collided with another device's, unseen first, with names for points and devices."""
        rows = self._db.execute(
            "SELECT c.id, c.attendee_id, c.name, c.reason, c.point_id, c.device_id, c.at, c.other_device_id, "
            "c.other_at, c.seen, coalesce(p.name, c.point_id), coalesce(d1.name, c.device_id), "
            "coalesce(d2.name, c.other_device_id), c.detail FROM conflicts c LEFT JOIN points p ON p.id = c.point_id "
            "LEFT JOIN devices d1 ON d1.id = c.device_id LEFT JOIN devices d2 ON d2.id = c.other_device_id "
            + ("" if include_seen else "WHERE c.seen = 0 ") + "ORDER BY c.seen, c.at DESC").fetchall()
        return [ConflictItem(r[0], r[1] or "", r[2] or "", r[3], r[10] or "", r[11] or "", r[6] or "", r[12] or "",
                             r[8] or "", bool(r[9]), _revocation(r[13]) if r[3] == "revoked" else "") for r in rows]

    def mark_conflicts_seen(self, ids: list[str]) -> None:
        if ids:
            marks = ",".join("?" * len(ids))
            self._db.execute(f"UPDATE conflicts SET seen = 1 WHERE id IN ({marks})", ids)

    def raise_badge_issue(self, attendee_id: str, issue: int) -> None:
        """A reissued badge known at once: its issue, never lowered by a late answer."""
        self._db.execute("UPDATE attendees SET badge_issue = max(badge_issue, ?) WHERE id = ?", [issue, attendee_id])


def _revocation(detail: str | None) -> str:
    try:
        value = json.loads(detail or "{}").get("revocation")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""

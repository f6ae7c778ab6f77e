"""The kiosk database's schema as numbered migrations: a kiosk switched off for a release upgrades its
file in place on the next start. Only the stores (this package) know these tables."""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("kiosk")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE events (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_zh TEXT, venue TEXT,
            venue_zh TEXT, date TEXT, timezone TEXT);
        CREATE TABLE rooms (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            name TEXT NOT NULL, name_zh TEXT, capacity INTEGER DEFAULT 0);
        CREATE TABLE sessions (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            room_id TEXT REFERENCES rooms(id), title TEXT NOT NULL, title_zh TEXT, starts_at TEXT,
            ends_at TEXT, allowed_types TEXT NOT NULL, speakers TEXT, kind TEXT);
        CREATE TABLE points (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            name TEXT NOT NULL, name_zh TEXT, session_id TEXT REFERENCES sessions(id),
            room_id TEXT REFERENCES rooms(id));
        CREATE TABLE exhibitors (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            name TEXT NOT NULL, name_zh TEXT, category TEXT, description TEXT, description_zh TEXT,
            products TEXT, website TEXT, pinyin TEXT, initials TEXT);
        CREATE TABLE booths (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            exhibitor_id TEXT REFERENCES exhibitors(id));
        CREATE TABLE attendees (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, name TEXT NOT NULL,
            name_zh TEXT DEFAULT '', organisation TEXT DEFAULT '', title TEXT DEFAULT '',
            email TEXT DEFAULT '', phone TEXT DEFAULT '', badge_type TEXT NOT NULL DEFAULT 'attendee',
            consent INTEGER NOT NULL DEFAULT 0, code TEXT, attention TEXT DEFAULT '',
            badge_issue INTEGER NOT NULL DEFAULT 1, pinyin TEXT DEFAULT '', initials TEXT DEFAULT '');
        CREATE INDEX attendees_code ON attendees(code) WHERE code IS NOT NULL AND code != '';
        CREATE TABLE revocations (event_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            issue INTEGER NOT NULL DEFAULT 0, reason TEXT, created_at TEXT,
            PRIMARY KEY (event_id, attendee_id, issue));
        CREATE TABLE public_keys (key_id INTEGER PRIMARY KEY, public_key TEXT NOT NULL,
            valid INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE checkins (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            point_id TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('entry','exit')),
            device_id TEXT NOT NULL, device_time TEXT NOT NULL, corrected_time TEXT NOT NULL,
            source TEXT, name TEXT, name_zh TEXT, organisation TEXT, badge_type TEXT,
            undone INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX checkins_attendee ON checkins(attendee_id, point_id, corrected_time);
        CREATE INDEX checkins_time ON checkins(corrected_time);
        CREATE TABLE scan_log (id TEXT PRIMARY KEY, event_id TEXT, status TEXT NOT NULL,
            attendee_id TEXT, point_id TEXT, direction TEXT, device_id TEXT, device_time TEXT,
            detail TEXT, handoff TEXT);
        CREATE INDEX scan_log_handoff ON scan_log(handoff);
        CREATE TABLE leads (id TEXT PRIMARY KEY, exhibitor_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            name TEXT NOT NULL, name_zh TEXT DEFAULT '', organisation TEXT DEFAULT '',
            badge_type TEXT DEFAULT 'attendee', title TEXT DEFAULT '', email TEXT DEFAULT '',
            phone TEXT DEFAULT '', notes TEXT DEFAULT '', rating INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT '[]', device_id TEXT, created_at TEXT, updated_at TEXT,
            scans INTEGER NOT NULL DEFAULT 1, deleted INTEGER NOT NULL DEFAULT 0,
            UNIQUE (exhibitor_id, attendee_id));
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, state TEXT NOT NULL DEFAULT 'pending',
            result TEXT);
        CREATE INDEX outbox_state ON outbox(state, seq);
        CREATE TABLE conflicts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, record_id TEXT,
            attendee_id TEXT, name TEXT, reason TEXT NOT NULL, detail TEXT, created_at TEXT,
            seen INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE print_log (id INTEGER PRIMARY KEY AUTOINCREMENT, attendee_id TEXT NOT NULL,
            device_id TEXT, printed_at TEXT, target TEXT, issue INTEGER);
        CREATE VIRTUAL TABLE attendees_fts USING fts5(name, name_zh, organisation, pinyin, code,
            content='attendees', content_rowid='rowid', tokenize='trigram');
        CREATE TRIGGER attendees_ai AFTER INSERT ON attendees BEGIN
            INSERT INTO attendees_fts(rowid, name, name_zh, organisation, pinyin, code)
            VALUES (new.rowid, new.name, new.name_zh, new.organisation, new.pinyin, new.code);
        END;
        CREATE TRIGGER attendees_ad AFTER DELETE ON attendees BEGIN
            INSERT INTO attendees_fts(attendees_fts, rowid, name, name_zh, organisation, pinyin, code)
            VALUES ('delete', old.rowid, old.name, old.name_zh, old.organisation, old.pinyin, old.code);
        END;
        CREATE TRIGGER attendees_au AFTER UPDATE ON attendees BEGIN
            INSERT INTO attendees_fts(attendees_fts, rowid, name, name_zh, organisation, pinyin, code)
            VALUES ('delete', old.rowid, old.name, old.name_zh, old.organisation, old.pinyin, old.code);
            INSERT INTO attendees_fts(rowid, name, name_zh, organisation, pinyin, code)
            VALUES (new.rowid, new.name, new.name_zh, new.organisation, new.pinyin, new.code);
        END;
        """
    )


@migrations()
def m002_lead_notes(db: sqlite_utils.Database) -> None:
    """Each device keeps its own note per lead, so edits from several devices all survive a merge."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS lead_notes (id TEXT PRIMARY KEY, exhibitor_id TEXT NOT NULL,
            attendee_id TEXT NOT NULL, device_id TEXT, text TEXT NOT NULL DEFAULT '', updated_at TEXT);
        CREATE INDEX IF NOT EXISTS lead_notes_lead ON lead_notes(exhibitor_id, attendee_id);
        """
    )


@migrations()
def m002_sync(db: sqlite_utils.Database) -> None:
    """Sync: device names (so a desk can say "at Desk 2"), merged lead notes, richer conflicts."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT 'desk', exhibitor_id TEXT);
        CREATE TABLE IF NOT EXISTS lead_notes (id TEXT PRIMARY KEY, exhibitor_id TEXT NOT NULL,
            attendee_id TEXT NOT NULL, device_id TEXT, text TEXT NOT NULL DEFAULT '', updated_at TEXT);
        CREATE INDEX IF NOT EXISTS lead_notes_lead ON lead_notes(exhibitor_id, attendee_id);
        ALTER TABLE conflicts ADD COLUMN point_id TEXT;
        ALTER TABLE conflicts ADD COLUMN device_id TEXT;
        ALTER TABLE conflicts ADD COLUMN at TEXT;
        ALTER TABLE conflicts ADD COLUMN other_record_id TEXT;
        ALTER TABLE conflicts ADD COLUMN other_device_id TEXT;
        ALTER TABLE conflicts ADD COLUMN other_at TEXT;
        CREATE INDEX IF NOT EXISTS checkins_device ON checkins(device_id);
        """
    )


@migrations()
def m003_search_indexes(db: sqlite_utils.Database) -> None:
    """Short queries (a surname, pinyin initials) cannot use trigram full-text: index them."""
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS attendees_name_zh ON attendees(name_zh);
        CREATE INDEX IF NOT EXISTS attendees_initials ON attendees(initials);
        """
    )


@migrations()
def m004_scan_log_code(db: sqlite_utils.Database) -> None:
    """The code a refused scan carried, kept on this device only: the desk's recent list shows it
    when the code names nobody (it is not pushed: the server's scan payload has no such field)."""
    db.executescript("ALTER TABLE scan_log ADD COLUMN code TEXT;")


@migrations()
def m006_event_exhibitors(db: sqlite_utils.Database) -> None:
    """Exhibitor logos travel with the event (bundle and sync), not as files inside the installed app;
    an exhibitor may be in several categories."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS logos (exhibitor_id TEXT PRIMARY KEY, mime TEXT NOT NULL,
            data BLOB NOT NULL, sha256 TEXT NOT NULL);
        ALTER TABLE exhibitors ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
        """
    )


@migrations()
def m009_polish_event_public_url(db: sqlite_utils.Database) -> None:
    """The organiser's public page, linked from the route QR a visitor takes to their phone."""
    db.executescript("ALTER TABLE events ADD COLUMN public_url TEXT;")

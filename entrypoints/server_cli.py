"""`kiosk-server`: the central server's command line (the contract is docs/cli.md).

Every failure an operator can cause (a missing file, a bad CSV row, an unknown attendee)
ends as one `error: ...` line on stderr and exit status 1; usage mistakes exit 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from entrypoints import cli
from kiosk.badgeprint import render_badge
from kiosk.bundle import export_bundle
from kiosk.errors import BadInput, NotFound, Refused
from kiosk.leadfile import FORMATS
from sync import devices, leadexport
from sync.demo import seed_demo
from sync.importer import parse_mapping, read_attendees
from sync.protocol import make_setup_code
from sync.serverdb import ServerDB


@contextmanager
def _server(args) -> Iterator[ServerDB]:
    db = ServerDB(args.db)
    try:
        yield db
    finally:
        db.close()


def _require_event(db: ServerDB, args, hint: str = "run seed-demo or import first") -> None:
    if db.store.event() is None:
        raise Refused(f"{args.db}: no event yet ({hint})")


def cmd_serve(args) -> int:
    # lazy for start-up time: the web stack is needed by this command only
    from sync.server import serve

    db_path = Path(args.db)
    if not db_path.exists():
        raise NotFound(f"{db_path}: no server database (run seed-demo first)")
    return serve(db_path, host=args.host, port=args.port)


def cmd_seed_demo(args) -> int:
    if not 1 <= args.attendees <= 200_000:
        raise BadInput("--attendees must be between 1 and 200000")
    with _server(args) as db:
        print(json.dumps(seed_demo(db, args.attendees), ensure_ascii=False))
    return 0


def cmd_badge(args) -> int:
    if Path(args.out).suffix.lower() not in (".png", ".pdf"):
        raise BadInput(f"{args.out}: the badge file must end in .png or .pdf")
    with _server(args) as db:
        attendee = db.store.attendee(args.attendee_id)
        if attendee is None:
            raise NotFound(f"no attendee with id {args.attendee_id!r} in {args.db}")
        code = db.badge_code(attendee)
        event = db.store.event()
        render_badge(attendee, code, args.out, event.name, event.name_zh)
    print(code)
    return 0


def cmd_export_bundle(args) -> int:
    with _server(args) as db:
        _require_event(db, args)
        print(json.dumps(export_bundle(db.store, args.out), ensure_ascii=False))
    return 0


def cmd_import_attendees(args) -> int:
    attendees = read_attendees(args.csv, parse_mapping(args.map))
    with _server(args) as db:
        _require_event(db, args, "create it first: seed-demo")
        count = db.upsert_attendees(attendees)
    print(json.dumps({"imported": count, "file": args.csv}))
    return 0


def cmd_exhibitors(args) -> int:
    with _server(args) as db:
        for ex in db.store.exhibitors():
            print(json.dumps({"id": ex.id, "name": ex.name, "name_zh": ex.name_zh, "category": ex.category,
                              "booth": ex.booths[0] if ex.booths else "", "booths": list(ex.booths)},
                             ensure_ascii=False))
    return 0


def cmd_stats(args) -> int:
    with _server(args) as db:
        print(json.dumps(db.stats()))
    return 0


def cmd_enroll(args) -> int:
    """Register a device and print its setup code alone on stdout (so
    `kiosk enroll "$(kiosk-server enroll ...)" --db ...` works); the note goes to stderr."""
    with _server(args) as db:
        _require_event(db, args)
        device, token = devices.register(db, args.role, args.name, args.exhibitor)
    code = make_setup_code(args.url or devices.DEFAULT_URL, token)
    note = f"{device.name} ({device.role}{', ' + device.exhibitor_id if device.exhibitor_id else ''}) " \
           f"registered as {device.id}; the setup code works once, within {devices.SETUP_VALID_DAYS} days"
    if args.qr:
        note += f"; QR image: {devices.setup_qr(code, args.qr)}"
    print(code)
    print(note, file=sys.stderr)
    return 0


def cmd_devices(args) -> int:
    with _server(args) as db:
        for d in devices.list_devices(db):
            print(json.dumps({"id": d.id, "name": d.name, "role": d.role, "exhibitor": d.exhibitor_id,
                              "revoked": d.revoked}, ensure_ascii=False))
    return 0


def cmd_revoke_device(args) -> int:
    with _server(args) as db:
        devices.revoke(db, args.device_id)
    print(json.dumps({"revoked": args.device_id}))
    return 0


def cmd_export_leads(args) -> int:
    if Path(args.out).suffix.lower() not in FORMATS:
        raise BadInput(f"{args.out}: the lead file must end in .csv or .xlsx")
    with _server(args) as db:
        exhibitor = db.store.exhibitor(args.exhibitor)
        if exhibitor is None:
            raise NotFound(f"no exhibitor {args.exhibitor!r} (see kiosk-server exhibitors)")
        count = leadexport.export_leads(leadexport.lead_rows(db, args.exhibitor), args.out)
    print(json.dumps({"exhibitor": args.exhibitor, "name": exhibitor.name, "leads": count, "file": str(args.out)},
                     ensure_ascii=False))
    return 0


def cmd_backup(args) -> int:
    db_path = Path(args.db)
    if not db_path.exists():
        raise NotFound(f"{db_path}: no server database")
    with _server(args) as db:
        print(json.dumps(db.backup(args.out)))
    return 0


def cmd_restore(args) -> int:
    """Into a stopped server's database (created if missing); an old backup is migrated on the way."""
    with _server(args) as db:
        restored = db.restore(args.backup)
    with _server(args) as db:
        restored["event"] = db.store.event().id if db.store.event() else None
    print(json.dumps({"restored": args.backup, "db": args.db, **restored}))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-server", description="Forum Kiosk central server")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--db", required=True, help="the server database file")
        sp.set_defaults(func=func)
        return sp

    sp = add("serve", cmd_serve, "run the central server")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8765)
    sp = add("seed-demo", cmd_seed_demo, "create the demo event")
    sp.add_argument("--attendees", type=int, default=2000)
    sp = add("badge", cmd_badge, "render an attendee's badge and print its code")
    sp.add_argument("attendee_id")
    sp.add_argument("--out", required=True)
    sp = add("export-bundle", cmd_export_bundle, "write everything a kiosk needs to one file")
    sp.add_argument("--out", required=True)
    sp = add("export-leads", cmd_export_leads, "one exhibitor's leads as CSV or XLSX")
    sp.add_argument("--exhibitor", required=True)
    sp.add_argument("--out", required=True)
    sp = add("enroll", cmd_enroll, "register a device and print its setup code")
    sp.add_argument("--role", required=True, choices=["attendee", "desk", "exhibitor"])
    sp.add_argument("--name", required=True)
    sp.add_argument("--exhibitor")
    sp.add_argument("--url", help="server address the device should use (default http://127.0.0.1:8765)")
    sp.add_argument("--qr", help="also write the setup code as a QR image (PNG)")
    sp = add("import-attendees", cmd_import_attendees, "import attendees from a registration CSV")
    sp.add_argument("csv")
    sp.add_argument("--map", help="header mapping, e.g. 'Full Name=name,Company=organisation'")
    add("devices", cmd_devices, "list enrolled devices, one JSON line each")
    sp = add("revoke-device", cmd_revoke_device, "stop a device's token from working (lost or stolen kiosk)")
    sp.add_argument("device_id")
    add("exhibitors", cmd_exhibitors, "list exhibitors, one JSON line each")
    add("stats", cmd_stats, "print counts as one JSON object")
    sp = add("backup", cmd_backup, "a consistent owner-only copy of the database, also while the server runs")
    sp.add_argument("--out", required=True, help="the backup file (replaced only once the new copy is complete)")
    sp = add("restore", cmd_restore, "put a backup in place of the database (stop the server first)")
    sp.add_argument("backup", help="a file written by kiosk-server backup")
    return p


def main(argv: list[str] | None = None) -> int:
    return cli.run(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())

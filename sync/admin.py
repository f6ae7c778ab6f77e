"""`kiosk-server`: the central server's command line (PRODUCT.md fixes the commands).

Every failure an operator can cause (a missing file, a bad CSV row, an unknown attendee)
ends as one `error: ...` line on stderr and exit status 1; usage mistakes exit 2.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from kiosk.store import StoreError


class CliError(Exception):
    """Reported as `error: <message>`, exit 1."""


def _db(args):
    from sync.serverdb import ServerDB

    return ServerDB(args.db)


def cmd_serve(args) -> int:
    from sync.server import serve

    return serve(Path(args.db), host=args.host, port=args.port)


def cmd_seed_demo(args) -> int:
    from kiosk.demo import seed_demo

    if not 1 <= args.attendees <= 200_000:
        raise CliError("--attendees must be between 1 and 200000")
    db = _db(args)
    try:
        print(json.dumps(seed_demo(db, args.attendees), ensure_ascii=False))
    finally:
        db.close()
    return 0


def cmd_badge(args) -> int:
    from kiosk.badgeprint import render_badge

    if Path(args.out).suffix.lower() not in (".png", ".pdf"):
        raise CliError(f"{args.out}: the badge file must end in .png or .pdf")
    db = _db(args)
    try:
        attendee = db.store.attendee(args.attendee_id)
        if attendee is None:
            raise CliError(f"no attendee with id {args.attendee_id!r} in {args.db}")
        code = db.badge_code(attendee)
        event = db.store.event()
        render_badge(attendee, code, args.out, event.name, event.name_zh)
    finally:
        db.close()
    print(code)
    return 0


def cmd_export_bundle(args) -> int:
    from kiosk.bundle import export_bundle

    db = _db(args)
    try:
        if db.store.event() is None:
            raise CliError(f"{args.db}: no event yet (run seed-demo or import first)")
        print(json.dumps(export_bundle(db.store, args.out), ensure_ascii=False))
    finally:
        db.close()
    return 0


def cmd_import_attendees(args) -> int:
    from sync.importer import ImportError_, parse_mapping, read_attendees

    try:
        attendees = read_attendees(args.csv, parse_mapping(args.map))
    except ImportError_ as exc:
        raise CliError(str(exc)) from exc
    db = _db(args)
    try:
        if db.store.event() is None:
            raise CliError(f"{args.db}: no event yet; create it first (seed-demo)")
        count = db.upsert_attendees(attendees)
    finally:
        db.close()
    print(json.dumps({"imported": count, "file": args.csv}))
    return 0


def cmd_exhibitors(args) -> int:
    db = _db(args)
    try:
        for ex in db.store.exhibitors():
            print(json.dumps({"id": ex.id, "name": ex.name, "name_zh": ex.name_zh, "category": ex.category,
                              "booth": ex.booths[0] if ex.booths else "", "booths": list(ex.booths)},
                             ensure_ascii=False))
    finally:
        db.close()
    return 0


def cmd_stats(args) -> int:
    db = _db(args)
    try:
        print(json.dumps(db.stats()))
    finally:
        db.close()
    return 0


def cmd_enroll(args) -> int:
    from sync.devices import enroll_command

    return enroll_command(args)


def cmd_devices(args) -> int:
    from sync.devices import list_devices

    db = _db(args)
    try:
        for d in list_devices(db):
            print(json.dumps({"id": d.id, "name": d.name, "role": d.role, "exhibitor": d.exhibitor_id,
                              "revoked": d.revoked}, ensure_ascii=False))
    finally:
        db.close()
    return 0


def cmd_revoke_device(args) -> int:
    from sync.devices import DeviceError, revoke

    db = _db(args)
    try:
        revoke(db, args.device_id)
    except DeviceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        db.close()
    print(json.dumps({"revoked": args.device_id}))
    return 0


def cmd_export_leads(args) -> int:
    from sync.leadexport import export_leads_command

    return export_leads_command(args)


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
    return p


def run(argv: list[str] | None, parser: argparse.ArgumentParser) -> int:
    """Shared by both CLIs: parse, run, and turn known failures into one clear line."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (StoreError, ValueError, LookupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"error: database {getattr(args, 'db', '')}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def main(argv: list[str] | None = None) -> int:
    return run(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())

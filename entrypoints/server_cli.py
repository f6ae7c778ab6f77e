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

from entrypoints import cli, pinentry
from kiosk.badgeprint import render_badge
from kiosk.bundle import export_bundle
from kiosk.errors import BadInput, NotFound, Refused
from kiosk.leadfile import FORMATS
from sync import devices, leadexport, organiser, publicurl
from sync import exhibitors as exhibitor_import
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


def _require_event(db: ServerDB, args, hint: str = "create it first: create-event FILE") -> None:
    if db.store.event() is None:
        raise Refused(f"{args.db}: no event yet ({hint})")


def cmd_serve(args) -> int:
    # lazy for start-up time: the web stack is needed by this command only
    from sync.server import serve

    db_path = Path(args.db)
    if not db_path.exists():
        raise NotFound(f"{db_path}: no server database (run create-event or seed-demo first)")
    if args.public_url:
        _remember_public_url(db_path, args.public_url, args.host)
    return serve(db_path, host=args.host, port=args.port)


def _remember_public_url(db_path: Path, url: str, host: str) -> None:
    """`serve --public-url`: the address `enroll` puts in setup codes from now on."""
    url = publicurl.check_url(url)
    if not publicurl.is_loopback(url) and publicurl.is_loopback(f"http://{host}"):
        print(f"warning: devices are told to use {url}, but the server listens on {host} only "
              f"(use --host 0.0.0.0 or the venue network's address)", file=sys.stderr)
    with _server(argparse.Namespace(db=db_path)) as db:
        publicurl.remember(db, url)


def cmd_seed_demo(args) -> int:
    if not 0 <= args.attendees <= 200_000:
        raise BadInput("--attendees must be between 0 and 200000")
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
        print(json.dumps(export_bundle(db.store, args.out, pins=db.event_setup.pins(), role=args.role),
                         ensure_ascii=False))
    return 0


def cmd_import_attendees(args) -> int:
    attendees = read_attendees(args.csv, parse_mapping(args.map))
    with _server(args) as db:
        _require_event(db, args)
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
    url = publicurl.check_url(args.url) if args.url else None
    with _server(args) as db:
        _require_event(db, args)
        device, token = devices.register(db, args.role, args.name, args.exhibitor)
        url = url or publicurl.remembered(db) or devices.DEFAULT_URL
    code = make_setup_code(url, token)
    if publicurl.is_loopback(url):
        print(f"warning: the setup code points at {url}, which only this computer can reach; give the "
              f"address devices use with --url, or once with kiosk-server serve --public-url", file=sys.stderr)
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


# -- the organiser's event (issue 13) ---------------------------------------------------------
def cmd_create_event(args) -> int:
    print(json.dumps(organiser.create_event(args.db, args.file), ensure_ascii=False))
    return 0


def cmd_update_event(args) -> int:
    with _server(args) as db:
        print(json.dumps(organiser.update_event(db, args.file), ensure_ascii=False))
    return 0


def cmd_export_event(args) -> int:
    with _server(args) as db:
        print(json.dumps(organiser.export_event(db, args.out), ensure_ascii=False))
    return 0


def cmd_set_pin(args) -> int:
    value = pinentry.read_pin()
    with _server(args) as db:
        print(json.dumps(organiser.set_server_pin(db, value, role=args.role, exhibitor=args.exhibitor)))
    return 0


def cmd_import_exhibitors(args) -> int:
    with _server(args) as db:
        summary = exhibitor_import.import_exhibitors(db, args.file, exhibitor_import.parse_mapping(args.map))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _add_event_commands(add) -> None:
    sp = add("create-event", cmd_create_event, "create the event of a new database from an event file")
    sp.add_argument("file", help="event file (JSON, docs/event-format.md)")
    sp = add("update-event", cmd_update_event, "replace the event's structure with an edited event file")
    sp.add_argument("file")
    sp = add("export-event", cmd_export_event, "write the event as an event file")
    sp.add_argument("--out", required=True)
    sp = add("import-exhibitors", cmd_import_exhibitors, "add or update exhibitors from a CSV or XLSX list, "
                                                          "with logos from files beside it")
    sp.add_argument("file")
    sp.add_argument("--map", help="header mapping, e.g. 'Company=name,Stand=booths'")
    sp = add("set-pin", cmd_set_pin, "set the staff PIN of a device role, or an exhibitor's PIN (from stdin)")
    who = sp.add_mutually_exclusive_group(required=True)
    who.add_argument("--role", choices=["attendee", "desk", "exhibitor"])
    who.add_argument("--exhibitor", help="an exhibitor id: the PIN of that exhibitor's lead pads")


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
    sp.add_argument("--public-url", help="the address devices use to reach this server, remembered for enroll")
    sp = add("seed-demo", cmd_seed_demo, "create the demo event")
    sp.add_argument("--attendees", type=int, default=2000)
    sp = add("badge", cmd_badge, "render an attendee's badge and print its code")
    sp.add_argument("attendee_id")
    sp.add_argument("--out", required=True)
    sp = add("export-bundle", cmd_export_bundle, "write everything a kiosk needs to one file")
    sp.add_argument("--out", required=True)
    sp.add_argument("--role", choices=["attendee", "desk", "exhibitor"],
                    help="only what a device of this role may hold (docs/security.md); default: everything")
    sp = add("export-leads", cmd_export_leads, "one exhibitor's leads as CSV or XLSX")
    sp.add_argument("--exhibitor", required=True)
    sp.add_argument("--out", required=True)
    sp = add("enroll", cmd_enroll, "register a device and print its setup code")
    sp.add_argument("--role", required=True, choices=["attendee", "desk", "exhibitor"])
    sp.add_argument("--name", required=True)
    sp.add_argument("--exhibitor")
    sp.add_argument("--url", help="server address the device should use (default: serve's --public-url, "
                                  "else http://127.0.0.1:8765)")
    sp.add_argument("--qr", help="also write the setup code as a QR image (PNG)")
    sp = add("import-attendees", cmd_import_attendees, "import attendees from a registration CSV")
    sp.add_argument("csv")
    sp.add_argument("--map", help="header mapping, e.g. 'Full Name=name,Company=organisation'")
    add("devices", cmd_devices, "list enrolled devices, one JSON line each")
    sp = add("revoke-device", cmd_revoke_device, "stop a device's token from working (lost or stolen kiosk)")
    sp.add_argument("device_id")
    add("exhibitors", cmd_exhibitors, "list exhibitors, one JSON line each")
    add("stats", cmd_stats, "print counts as one JSON object")
    _add_event_commands(add)
    return p


def main(argv: list[str] | None = None) -> int:
    return cli.run(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())

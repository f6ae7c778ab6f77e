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
from kiosk.eventdata import badge_types_from_store
from kiosk.hallplan import calibration_from_points, calibration_from_scale
from kiosk.hallsources import parse_units
from kiosk.leadfile import FORMATS
from sync import devices, hallimport, leadexport, organiser, publicurl
from sync import exhibitors as exhibitor_import
from sync.demo import seed_demo
from sync.importer import read_attendees
from sync.importplan import apply_import, plan_import
from sync.importspec import PRESETS, build_spec
from sync.protocol import make_setup_code
from sync.serverdb import ServerDB


@contextmanager
def _server(args, create: bool = False) -> Iterator[ServerDB]:
    """The server database; only the commands that make one (create-event, seed-demo, restore) may create the file:
    for every other command a mistyped --db is an error, not a new, empty server."""
    if not create and not Path(args.db).exists():
        raise NotFound(f"{args.db}: no server database (make one with create-event FILE --db {args.db})")
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
    if args.workers < 1:
        raise BadInput("--workers is at least 1")
    return serve(db_path, host=args.host, port=args.port, insecure_http=args.insecure_http, cert=args.cert,
                 key=args.key, workers=args.workers)


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
    with _server(args, create=True) as db:
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
        if Path(args.out).suffix.lower() == ".pdf":
            _badge_pdf(db, attendee, code, args)
        else:
            render_badge(attendee, code, args.out, event.name, event.name_zh, badge_types_from_store(db.store))
    print(code)
    return 0


# -- badges in bulk: templates and one PDF of many badges (docs/cli.md, docs/badge-templates.md) -------------
def cmd_templates(args) -> int:
    from kiosk import badgetemplates  # lazy, like the PDF writer the badge commands load

    for name in badgetemplates.names():
        t = badgetemplates.load(name)
        print(json.dumps({"id": t.id, "description": t.description, "badge_mm": [t.width, t.height],
                          "page_mm": list(t.page_size), "per_page": t.sheet.per_page if t.sheet else 1},
                         ensure_ascii=False))
    return 0


def cmd_badges(args) -> int:
    from kiosk import badgetemplates
    from sync import badgebatch  # lazy: fpdf2 and the fonts load for this command only

    if Path(args.out).suffix.lower() != ".pdf":
        raise BadInput(f"{args.out}: the badge file must end in .pdf")
    if args.ids and (args.type or args.not_printed):
        raise BadInput("--ids names the attendees itself: use it without --type and --not-printed")
    template = badgetemplates.load(args.template)
    ids = tuple(i for chunk in args.ids or () for i in chunk.split(",") if i.strip())
    with _server(args) as db:
        people, revoked = badgebatch.select(db, badgebatch.Selection(ids, args.type or "", args.not_printed))
        result = badgebatch.write_badges(db, template, people, args.out)
    print(json.dumps({**result, "skipped_revoked": revoked}, ensure_ascii=False))
    return 0


def _badge_pdf(db: ServerDB, attendee, code: str, args) -> None:
    """`badge --out X.pdf`: the template's vector PDF (the PNG stays the fixed picture scan tests read)."""
    from kiosk import badgetemplates
    from kiosk.badgelayout import badge_text
    from kiosk.badgepdf import BadgePdf

    data = badge_text(attendee, code, db.store.event(), badge_types_from_store(db.store))
    pdf = BadgePdf(badgetemplates.load(args.template), data.values.values())
    pdf.add(data)
    pdf.save(args.out)


def _add_badge_commands(sub, add) -> None:
    sp = sub.add_parser("templates", help="list the badge templates, one JSON line each")
    sp.set_defaults(func=cmd_templates)
    sp = add("badges", cmd_badges, "many badges in one PDF: everyone, some ids, a type, or those not printed yet")
    sp.add_argument("--out", required=True, help="the PDF to write (readable by its owner only)")
    sp.add_argument("--template", default="a6", help="a template name (see templates) or a template JSON file")
    sp.add_argument("--ids", nargs="+", help="attendee ids (space- or comma-separated)")
    sp.add_argument("--type", help="only this badge type")
    sp.add_argument("--not-printed", action="store_true", help="only attendees no desk or batch has printed")
# -- end of the badge commands -------------------------------------------------------------------------------


def cmd_export_bundle(args) -> int:
    with _server(args) as db:
        _require_event(db, args)
        print(json.dumps(export_bundle(db.store, args.out, db.trust_root(), pins=db.event_setup.pins(),
                                       role=args.role),
                         ensure_ascii=False))
    return 0


def cmd_import_attendees(args) -> int:
    """The whole file is read and checked, then compared with the database, before one write."""
    source = read_attendees(args.csv, build_spec(args.map, args.values, args.preset), args.encoding)
    with _server(args) as db:
        _require_event(db, args)
        plan = plan_import(db, source, cancel_missing=args.cancel_missing)
        if args.check:
            for change in plan.changes():
                print(json.dumps(change, ensure_ascii=False))
        else:
            apply_import(db, plan)
    if plan.still_cancelled:
        print(f"warning: {args.csv}: {len(plan.still_cancelled)} attendee(s) listed as active were cancelled "
              f"earlier and stay revoked (first: {plan.still_cancelled[0]})", file=sys.stderr)
    print(json.dumps({**plan.summary(source, written=not args.check), "file": args.csv}, ensure_ascii=False))
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
        root = db.trust_root().fingerprint
    code = make_setup_code(url, token, root=root, tls=_tls_pin(args, url))
    if publicurl.is_loopback(url):
        print(f"warning: the setup code points at {url}, which only this computer can reach; give the "
              f"address devices use with --url, or once with kiosk-server serve --public-url", file=sys.stderr)
    note = f"{device.name} ({device.role}{', ' + device.exhibitor_id if device.exhibitor_id else ''}) " \
           f"registered as {device.id}; the setup code works once, within {devices.SETUP_VALID_DAYS} days; " \
           f"event root {root}"
    if args.qr:
        caption = (f"{device.name} ({device.role})", f"Event root {root}")
        note += f"; QR image: {devices.setup_qr(code, args.qr, caption)}"
    print(code)
    print(note, file=sys.stderr)
    return 0


def _tls_pin(args, url: str) -> str | None:
    """The certificate devices pin: the one serve uses (made now if serve has not run yet); none for
    plain HTTP or with --no-pin (a reverse proxy whose certificate the devices' CA store checks)."""
    if not url.startswith("https://") or args.no_pin:
        return None
    from sync import tls  # lazy: cryptography's x509 only for this

    with _server(args) as db:
        known = db.store.get_meta(tls.META_FINGERPRINT)
    if known:
        return known
    from sync.server import server_certificate  # lazy for start-up time: the web stack

    return server_certificate(Path(args.db))[2]


def cmd_devices(args) -> int:
    with _server(args) as db:
        health = devices.health_of(db)
        for d in devices.list_devices(db):
            line = {"id": d.id, "name": d.name, "role": d.role, "exhibitor": d.exhibitor_id, "revoked": d.revoked}
            if d.id in health:
                line["health"] = health[d.id]  # e.g. {"printer": "stopped", "at": "..."}
            print(json.dumps(line, ensure_ascii=False))
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


# ---------------------------------------------------------------- hall plans (import-hall, check-hall)


def _booth_source(args) -> hallimport.BoothSource | None:
    if not args.booths:
        if args.booth_units or args.drawing_scale != 1.0:
            raise BadInput("--booth-units and --drawing-scale go with --booths FILE.csv|.svg")
        return None
    if not args.drawing_scale > 0:
        raise BadInput("--drawing-scale must be positive (e.g. 100 for a 1:100 drawing)")
    return hallimport.BoothSource(Path(args.booths), parse_units(args.booth_units), args.drawing_scale)


def _plan_source(args) -> hallimport.PlanSource | None:
    if not args.background:
        if args.calibrate or args.scale or args.origin:
            raise BadInput("--calibrate, --scale and --origin go with --background PLAN.png|.jpg|.pdf")
        return None
    if args.no_background:
        raise BadInput("--background and --no-background exclude each other")
    if bool(args.calibrate) == bool(args.scale):
        raise BadInput("a background plan needs its calibration: either --calibrate 'x1,y1=X1,Y1;x2,y2=X2,Y2' "
                       "or --scale PX_PER_M [--origin PX,PY]")
    if args.origin and not args.scale:
        raise BadInput("--origin goes with --scale")
    cal = calibration_from_points(args.calibrate) if args.calibrate else calibration_from_scale(args.scale, args.origin)
    return hallimport.PlanSource(Path(args.background), cal, args.page)


def cmd_import_hall(args) -> int:
    booths, plan = _booth_source(args), _plan_source(args)
    with _server(args) as db:
        prepared = hallimport.prepare(db.store, args.hall, booths, plan, drop_background=args.no_background)
        for p in prepared.errors + prepared.warnings:
            print(p.line(str(args.hall)), file=sys.stderr)
        if prepared.errors:
            raise Refused(f"{args.hall}: {len(prepared.errors)} error(s) in the hall plan (listed above); "
                          "nothing was imported")
        summary = hallimport.store_hall(db.store, prepared)
    print(json.dumps({"file": args.hall, **summary}, ensure_ascii=False))
    return 0


def cmd_check_hall(args) -> int:
    booths = _booth_source(args)
    if args.db:
        with _server(args) as db:
            problems = hallimport.check_file(args.hall, booths, db.store)
    else:
        problems = hallimport.check_file(args.hall, booths)
    for p in problems:
        print(p.line(str(args.hall)))
    errors = sum(p.level == "error" for p in problems)
    print(f"{args.hall}: {errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _add_booth_options(sp) -> None:
    sp.add_argument("--booths", help="booth rectangles from a CSV (id,x,y,w,h) or an SVG whose rect ids are booth ids")
    sp.add_argument("--booth-units", help="what one CSV/SVG unit is: m, cm, mm or metres per unit "
                                          "(default: m for CSV, the SVG's own size)")
    sp.add_argument("--drawing-scale", type=float, default=1.0, help="N for a drawing at 1:N (default 1)")


def _add_hall_commands(sub, add) -> None:
    sp = add("import-hall", cmd_import_hall, "store the hall plan (and a background plan) for the kiosks' map")
    sp.add_argument("hall", help="the hall plan, JSON (docs/hall-format.md)")
    _add_booth_options(sp)
    sp.add_argument("--background", help="the venue's plan under the booths: PNG, JPEG or PDF")
    sp.add_argument("--page", type=int, default=1, help="the PDF page to use (default 1)")
    sp.add_argument("--calibrate", help="'x1,y1=X1,Y1;x2,y2=X2,Y2': two plan points (px, or PDF pt) and their metres")
    sp.add_argument("--scale", help="plan pixels (PDF points) per metre")
    sp.add_argument("--origin", help="'PX,PY': where the hall's (0, 0) is on the plan (with --scale; default 0,0)")
    sp.add_argument("--no-background", action="store_true", help="drop the background plan stored before")
    sp = sub.add_parser("check-hall", help="report booths outside the hall, overlapping or unreachable")
    sp.set_defaults(func=cmd_check_hall)
    sp.add_argument("hall", help="the hall plan, JSON (docs/hall-format.md)")
    sp.add_argument("--db", help="also check against this server's exhibitors")
    _add_booth_options(sp)


def cmd_backup(args) -> int:
    db_path = Path(args.db)
    if not db_path.exists():
        raise NotFound(f"{db_path}: no server database")
    with _server(args) as db:
        print(json.dumps(db.backup(args.out)))
    return 0


def cmd_restore(args) -> int:
    """Into a stopped server's database (created if missing); an old backup is migrated on the way."""
    if not Path(args.backup).is_file():
        raise NotFound(f"{args.backup}: no such backup file")
    with _server(args, create=True) as db:
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
    sp.add_argument("--public-url", help="the address devices use to reach this server, remembered for enroll")
    sp.add_argument("--cert", help="TLS certificate (PEM) to serve instead of the one the server makes")
    sp.add_argument("--key", help="its private key (PEM)")
    sp.add_argument("--insecure-http", action="store_true",
                    help="plain HTTP, loopback only (the demo, or behind a reverse proxy that does TLS)")
    sp.add_argument("--workers", type=int, default=1, help="server processes sharing the port (one machine)")
    sp = add("seed-demo", cmd_seed_demo, "create the demo event")
    sp.add_argument("--attendees", type=int, default=2000)
    sp = add("badge", cmd_badge, "render an attendee's badge and print its code")
    sp.add_argument("attendee_id")
    sp.add_argument("--out", required=True)
    sp.add_argument("--template", default="a6", help="for a PDF: a template name (see templates) or JSON file")
    _add_badge_commands(sub, add)
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
                                  "else https://127.0.0.1:8765)")
    sp.add_argument("--no-pin", action="store_true",
                    help="no certificate pin in the code (a reverse proxy with a CA-signed certificate)")
    sp.add_argument("--qr", help="also write the setup code as a QR image (PNG)")
    sp = add("import-attendees", cmd_import_attendees, "import attendees from a registration CSV or XLSX")
    sp.add_argument("csv", metavar="FILE")
    sp.add_argument("--map", help="header mapping, e.g. 'First Name+Last Name=name,Company=organisation'")
    sp.add_argument("--values", action="append", help="value mapping, e.g. 'badge_type:General Admission=attendee'")
    sp.add_argument("--preset", choices=sorted(PRESETS), help="the column names of a registration platform")
    sp.add_argument("--encoding", help="the file's text encoding, when it cannot be told (e.g. gb18030, cp1252)")
    sp.add_argument("--check", action="store_true", help="print what would change, write nothing")
    sp.add_argument("--cancel-missing", action="store_true", help="revoke attendees the file no longer lists")
    add("devices", cmd_devices, "list enrolled devices, one JSON line each")
    sp = add("revoke-device", cmd_revoke_device, "stop a device's token from working (lost or stolen kiosk)")
    sp.add_argument("device_id")
    add("exhibitors", cmd_exhibitors, "list exhibitors, one JSON line each")
    add("stats", cmd_stats, "print counts as one JSON object")
    _add_event_commands(add)
    _add_hall_commands(sub, add)
    sp = add("backup", cmd_backup, "a consistent owner-only copy of the database, also while the server runs")
    sp.add_argument("--out", required=True, help="the backup file (replaced only once the new copy is complete)")
    sp = add("restore", cmd_restore, "put a backup in place of the database (stop the server first)")
    sp.add_argument("backup", help="a file written by kiosk-server backup")
    return p


def main(argv: list[str] | None = None) -> int:
    return cli.run(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())

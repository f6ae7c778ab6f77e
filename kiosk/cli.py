"""`kiosk`: the device's command line (PRODUCT.md). The one kiosk module allowed to start the UI.

`kiosk check` prints one JSON line and exits 0 for ok / lead_saved / lead_updated, 1 for
any refusal (or an operator error, with `error: ...` on stderr), 2 for bad usage.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sync.admin import CliError, run


def _store(args):
    from kiosk.store import Store

    path = Path(args.db)
    if not path.exists() and getattr(args, "must_exist", True):
        raise CliError(f"{path}: no such kiosk database (set one up with load-bundle or enroll)")
    return Store(path)


def cmd_check(args) -> int:
    from kiosk.checkin import DeviceContext

    store = _store(args)
    try:
        if store.event() is None:
            raise CliError(f"{args.db}: no event loaded (run load-bundle or sync first)")
        ctx = DeviceContext.from_store(store)
        if args.point and store.point(args.point) is None:
            known = ", ".join(p.id for p in store.points())
            raise CliError(f"no check-in point {args.point!r} (known: {known})")
        verdict = _decide(store, ctx, args)
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    finally:
        store.close()
    return 0 if verdict.status.accepted else 1


def _decide(store, ctx, args):
    """Online first where the device is enrolled and the server answers; else locally."""
    from kiosk.checkin import check
    from kiosk.models import Direction

    direction = Direction.EXIT if args.exit else Direction.ENTRY
    if store.get_meta("server_url") and ctx.role == "desk" and not args.offline:
        try:
            from sync.client import check_online
        except ImportError:
            check_online = None
        if check_online is not None:
            verdict = check_online(store, args.code, ctx, direction, point_id=args.point, source="typed")
            if verdict is not None:
                return verdict
    return check(store, args.code, ctx, direction, source="typed", point_id=args.point)


def cmd_load_bundle(args) -> int:
    from kiosk.bundle import BundleError, load_bundle

    args.must_exist = False
    store = _store(args)
    try:
        summary = load_bundle(args.file, store)
    except BundleError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_scan_image(args) -> int:
    from kiosk.scanner import scan_files

    results = scan_files(args.files)
    for item in results:
        print(json.dumps(item, ensure_ascii=False))
    return 0 if all("error" not in r for r in results) else 1


def cmd_enroll(args) -> int:
    from sync.client import enroll_command

    return enroll_command(args)


def cmd_sync(args) -> int:
    from sync.client import sync_command

    return sync_command(args)


def cmd_export_leads(args) -> int:
    """An exhibitor device's own leads to a file (e.g. on a USB stick), without the screen."""
    from kiosk.leadfile import LeadFileError, export_leads
    from kiosk.leads import lead_rows_for_export

    store = _store(args)
    try:
        exhibitor_id = store.get_meta("exhibitor_id")
        if store.get_meta("role") != "exhibitor" or not exhibitor_id:
            raise CliError(f"{args.db}: not an exhibitor device; leads are exported by exhibitor devices "
                           "(or on the server with kiosk-server export-leads)")
        rows = lead_rows_for_export(store, exhibitor_id)
    finally:
        store.close()
    try:
        count = export_leads(rows, args.out)
    except LeadFileError as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps({"exhibitor": exhibitor_id, "leads": count, "file": args.out}, ensure_ascii=False))
    return 0


def cmd_demo(args) -> int:
    from ui.app import run_demo

    return run_demo(role=args.role, windowed=args.windowed, camera=args.camera, data_dir=args.data_dir)


def cmd_start(args) -> int:
    """The kiosk on this device's own database (enrolled or loaded from a bundle): what a boot starts."""
    from ui.app import main as run_kiosk

    path = Path(args.db)
    if not path.exists():
        raise CliError(f"{path}: no such kiosk database (set one up with enroll or load-bundle)")
    return run_kiosk(path, role=args.role, windowed=args.windowed, camera=args.camera)


def cmd_self_test(args) -> int:
    """Checks the installed app end to end in a temporary folder (kiosk/selftest.py, ui/selftest.py)."""
    from kiosk import selftest

    gui = None
    if not args.no_gui:
        try:
            from ui.selftest import run_gui as gui
        except Exception as exc:  # Qt missing or broken: a failed check, not a traceback
            reason = f"the Qt part cannot load: {type(exc).__name__}: {exc}"

            def gui(folder, checks):
                raise RuntimeError(reason)
    return selftest.run(gui=gui, keep=args.keep)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk", description="Forum Kiosk device")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("demo", help="start the kiosk on the demo event")
    sp.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen")
    sp.add_argument("--role", choices=["attendee", "desk", "exhibitor"], help="skip the role picker")
    sp.add_argument("--camera", help="camera index, a video file, or \"demo\" for the demo badge video (default: camera 0)")
    sp.add_argument("--data-dir", help="where the demo keeps its databases")
    sp.set_defaults(func=cmd_demo)

    sp = sub.add_parser("enroll", help="enrol this device with a central server")
    sp.add_argument("setup_code")
    sp.add_argument("--db", required=True)
    sp.set_defaults(func=cmd_enroll)

    sp = sub.add_parser("load-bundle", help="set the kiosk database up from a bundle file")
    sp.add_argument("file")
    sp.add_argument("--db", required=True)
    sp.set_defaults(func=cmd_load_bundle)

    sp = sub.add_parser("sync", help="one sync round with the enrolled server")
    sp.add_argument("--db", required=True)
    sp.set_defaults(func=cmd_sync)

    sp = sub.add_parser("check", help="decide and record one scan without a screen")
    sp.add_argument("code")
    sp.add_argument("--db", required=True)
    sp.add_argument("--point", help="check-in point id (default: this device's)")
    sp.add_argument("--exit", action="store_true", help="an exit scan")
    sp.add_argument("--offline", action="store_true", help="decide locally even if the server answers")
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("export-leads", help="this exhibitor device's leads as CSV or XLSX")
    sp.add_argument("--db", required=True)
    sp.add_argument("--out", required=True, help="a .csv (UTF-8 with BOM) or .xlsx file")
    sp.set_defaults(func=cmd_export_leads)

    sp = sub.add_parser("scan-image", help="decode QR codes in image files")
    sp.add_argument("files", nargs="+")
    sp.set_defaults(func=cmd_scan_image)

    sp = sub.add_parser("start", help="start the kiosk on this device's database (fullscreen)")
    sp.add_argument("--db", required=True)
    sp.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen")
    sp.add_argument("--role", choices=["attendee", "desk", "exhibitor"], help="override the device's role")
    sp.add_argument("--camera", help="camera index or video file (default: the device's setting)")
    sp.set_defaults(func=cmd_start)

    sp = sub.add_parser("self-test", help="check this installation (also: kiosk --self-test)")
    sp.add_argument("--no-gui", action="store_true", help="skip the Qt checks")
    sp.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    sp.set_defaults(func=cmd_self_test)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--self-test"]:  # the packaged app's check, before any subcommand
        argv = ["self-test", *argv[1:]]
    return run(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())

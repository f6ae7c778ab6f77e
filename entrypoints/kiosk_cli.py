"""`kiosk`: the device's command line (the contract is docs/cli.md).

`kiosk check` prints one JSON line and exits 0 for ok / lead_saved / lead_updated, 1 for
any refusal (or an operator error, with `error: ...` on stderr), 2 for bad usage.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from entrypoints import cli, pinentry, selftest
from kiosk import leads
from kiosk import pin as kpin
from kiosk.bundle import load_bundle
from kiosk.checkin import DeviceContext, check
from kiosk.errors import NotFound, Refused
from kiosk.leadfile import export_leads
from kiosk.models import Direction
from kiosk.store import Store
from sync import onlinecheck
from sync.enrolment import enroll
from sync.rounds import SyncClient
from sync.transport import SyncError


def _store(args, must_exist: bool = True) -> Store:
    path = Path(args.db)
    if must_exist and not path.exists():
        raise NotFound(f"{path}: no such kiosk database (set one up with load-bundle or enroll)")
    return Store(path)


def cmd_check(args) -> int:
    store = _store(args)
    try:
        if store.event() is None:
            raise Refused(f"{args.db}: no event loaded (run load-bundle or sync first)")
        ctx = DeviceContext.from_store(store)
        if args.point and store.point(args.point) is None:
            known = ", ".join(p.id for p in store.points())
            raise NotFound(f"no check-in point {args.point!r} (known: {known})")
        verdict = _decide(store, ctx, args)
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    finally:
        store.close()
    return 0 if verdict.status.accepted else 1


def _decide(store, ctx, args):
    """Online first where the device is enrolled and the server answers; else locally."""
    direction = Direction.EXIT if args.exit else Direction.ENTRY
    if ctx.role == "desk" and not args.offline:
        return onlinecheck.decide(store, args.code, ctx, direction, point_id=args.point, source="typed")
    return check(store, args.code, ctx, direction, source="typed", point_id=args.point)


@contextmanager
def _new_or_existing_store(args) -> Iterator[Store]:
    """The database to set up; one this command created goes again if the command fails, so a
    failed enrolment or load leaves no empty database behind (the next try starts clean)."""
    path = Path(args.db)
    existed = path.exists()
    store = Store(path)
    try:
        yield store
    except BaseException:
        store.close()
        if not existed:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                leftover.unlink(missing_ok=True)
        raise
    store.close()


def cmd_load_bundle(args) -> int:
    with _new_or_existing_store(args) as store:
        summary = load_bundle(args.file, store, args.trust)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_scan_image(args) -> int:
    # lazy for start-up time: the decoders (OpenCV, zxing-cpp, zbar) cost every other command ~0.3 s
    from kiosk.scanner import scan_files

    results = scan_files(args.files)
    for item in results:
        print(json.dumps(item, ensure_ascii=False))
    return 0 if all("error" not in r for r in results) else 1


def cmd_enroll(args) -> int:
    """Enrol, then a first sync (which may take a while); a failed first sync is reported, not fatal."""
    with _new_or_existing_store(args) as store:
        summary = enroll(store, args.setup_code)
        try:
            summary["sync"] = SyncClient(store).round().to_json()
        except SyncError as exc:
            summary["sync_error"] = str(exc)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_sync(args) -> int:
    """One round; prints what moved; exit 1 (with how much waits in the outbox) if the server was not reachable."""
    store = _store(args)
    try:
        sync = SyncClient(store, **_size_overrides())
        try:
            result = sync.round()
        except SyncError as exc:
            raise SyncError(f"{exc}; {sync.pending_count()} records wait in the outbox") from exc
        out = result.to_json()
        st = sync.status()
        out.update(pending=st.pending, rejected=st.rejected, conflicts_unseen=st.conflicts_unseen)
    finally:
        store.close()
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _size_overrides() -> dict:
    """KIOSK_SYNC_PAGE_SIZE / KIOSK_SYNC_BATCH_SIZE: smaller pieces for a very poor link."""
    out = {}
    for env, name in (("KIOSK_SYNC_PAGE_SIZE", "page_size"), ("KIOSK_SYNC_BATCH_SIZE", "batch_size")):
        try:
            value = int(os.environ.get(env, "0"))
        except ValueError:
            continue
        if value > 0:
            out[name] = min(value, 20000 if name == "page_size" else 2000)
    return out


def cmd_export_leads(args) -> int:
    """An exhibitor device's own leads to a file (e.g. on a USB stick), without the screen."""
    store = _store(args)
    try:
        exhibitor_id = store.get_meta("exhibitor_id")
        if store.get_meta("role") != "exhibitor" or not exhibitor_id:
            raise Refused(f"{args.db}: not an exhibitor device; leads are exported by exhibitor devices "
                           "(or on the server with kiosk-server export-leads)")
        rows = leads.lead_rows_for_export(store, exhibitor_id)
    finally:
        store.close()
    count = export_leads(rows, args.out)
    print(json.dumps({"exhibitor": exhibitor_id, "leads": count, "file": args.out}, ensure_ascii=False))
    return 0


def cmd_demo(args) -> int:
    # lazy for start-up time: Qt loads only for the commands with a screen
    from entrypoints.demo import run_demo

    return run_demo(role=args.role, windowed=args.windowed, camera=args.camera, data_dir=args.data_dir)


def cmd_start(args) -> int:
    """The kiosk on this device's own database (enrolled or loaded from a bundle): what a boot starts."""
    # lazy for start-up time: Qt loads only for the commands with a screen
    from ui.app import main as run_kiosk

    path = Path(args.db)
    if not path.exists():
        raise NotFound(f"{path}: no such kiosk database (set one up with enroll or load-bundle)")
    return run_kiosk(path, role=args.role, windowed=args.windowed, camera=args.camera)


def cmd_self_test(args) -> int:
    """Checks the installed app end to end in a temporary folder (entrypoints/selftest*.py)."""
    return selftest.run(with_gui=not args.no_gui, keep=args.keep)


def cmd_set_pin(args) -> int:
    """This device's staff (or exhibitor) PIN, from standard input; a later PIN from the server replaces it."""
    value = pinentry.read_pin()
    store = _store(args)
    try:
        kpin.set_pin(store, value, "exhibitor" if args.exhibitor else "staff")
    finally:
        store.close()
    print(json.dumps({"pin": "exhibitor" if args.exhibitor else "staff", "set": True}))
    return 0


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
    sp.add_argument("--trust", metavar="FINGERPRINT",
                    help="the event root's fingerprint (printed by kiosk-server export-bundle); needed the first time")
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

    sp = sub.add_parser("set-pin", help="set this device's staff PIN (read from standard input)")
    sp.add_argument("--db", required=True)
    sp.add_argument("--exhibitor", action="store_true", help="the exhibitor PIN of a lead-capture device instead")
    sp.set_defaults(func=cmd_set_pin)

    sp = sub.add_parser("self-test", help="check this installation (also: kiosk --self-test)")
    sp.add_argument("--no-gui", action="store_true", help="skip the Qt checks")
    sp.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    sp.set_defaults(func=cmd_self_test)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--self-test"]:  # the packaged app's check, before any subcommand
        argv = ["self-test", *argv[1:]]
    return cli.run(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())

"""The demo event: seeding a server database, a ready-to-use kiosk database, and its enrolment.

The demo is the event of assets/demo/ loaded by the same code an organiser's event goes through."""
from __future__ import annotations

from dataclasses import replace
from datetime import date as Date
from pathlib import Path

from kiosk import eventfile, paths
from kiosk.badgeprint import render_badge
from kiosk.bundle import export_bundle, load_bundle
from kiosk.demopeople import generate_attendees
from kiosk.eventdata import badge_types_from_store
from kiosk.store import Store
from sync import devices, organiser
from sync.enrolment import enroll
from sync.protocol import make_setup_code
from sync.serverdb import ServerDB

# the demo server's usual port (a free one if it is taken): the kiosk's address stays the same across restarts
DEMO_PORT = 8765

# a few people the demo shows off: a revoked badge and a reprinted one
DEMO_REVOKED = "A000013"
DEMO_REPRINTED = "A000021"


def seed_demo(server_db, attendees: int = 2000, on_date: Date | None = None) -> dict:
    """Create (or refresh) the demo event in a server database; deterministic for a given N."""
    data, _ = eventfile.read_event_file(paths.demo() / "event.json", on_date)  # as create-event reads a file
    store = server_db.store
    organiser.load_event(server_db, data)
    hall = paths.demo() / "hall.json"
    if hall.exists():
        store.set_meta("hall", hall.read_text(encoding="utf-8"))
    server_db.signing_key()
    orgs = [(e.name, e.name_zh) for e in data.exhibitors]
    count = server_db.upsert_attendees(generate_attendees(attendees, exhibitor_orgs=orgs))
    if attendees >= 21:
        server_db.revoke(DEMO_REVOKED, 0, "lost")
        if server_db.store.attendee(DEMO_REPRINTED).badge_issue == 1:
            server_db.reprint(DEMO_REPRINTED)
    return {"event": data.event.id, "attendees": count, "exhibitors": len(data.exhibitors),
            "sessions": len(data.sessions)}


def prepare_demo(data_dir: Path, attendees: int = 2000) -> Path:
    """A server database seeded for today and a kiosk database loaded from its bundle."""
    data_dir.mkdir(parents=True, exist_ok=True)
    server_path = data_dir / "server.db"
    server = ServerDB(server_path)
    try:
        bundle = data_dir / "demo.bundle"
        if server.store.event() is None or server.store.event().date != Date.today().isoformat():
            seed_demo(server, attendees, Date.today())
            export_bundle(server.store, bundle, server.trust_root())
        elif not bundle.exists():
            export_bundle(server.store, bundle, server.trust_root())
        root = server.trust_root().fingerprint
        if not (data_dir / "badges" / "badges.avi").exists():
            write_demo_badges(server, data_dir / "badges")
    finally:
        server.close()
    kiosk_path = data_dir / "kiosk.db"
    store = Store(kiosk_path)
    try:
        event = store.event()
        if event is None or event.date != Date.today().isoformat():
            load_bundle(bundle, store, root)  # later starts are kept current by sync with the demo server
        if event is None:
            store.set_meta("role", None)  # a new demo kiosk starts at the role picker
    finally:
        store.close()
    return kiosk_path


# People whose badges the demo prints into its data folder, with the verdict each shows at the entrance.
DEMO_BADGES = (("A000005", "ok"), ("A000004", "ok"), (DEMO_REVOKED, "revoked"), (DEMO_REPRINTED, "revoked"))


def write_demo_badges(server_db, out_dir: Path) -> list[Path]:
    """Badge images to hold up to a webcam (or scan from a phone) and a looping badge video.

    The video is what `kiosk demo --camera demo` feeds through the real capture path: each
    badge in view for two seconds, then an empty desk, so every scan shows its verdict.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    event = server_db.store.event()
    written, codes = [], []
    for attendee_id, _ in DEMO_BADGES:
        attendee = server_db.store.attendee(attendee_id)
        if attendee is None:
            continue
        issue = attendee.badge_issue - 1 if attendee_id == DEMO_REPRINTED else attendee.badge_issue
        code = server_db.badge_code(replace(attendee, badge_issue=max(1, issue)))
        written.append(render_badge(attendee, code, out_dir / f"badge-{attendee_id}.png", event.name,
                                    event.name_zh, badge_types_from_store(server_db.store)))
        codes.append(code)
    write_badge_video(out_dir / "badges.avi", codes)
    (out_dir / "codes.txt").write_text("\n".join(codes) + "\n", encoding="ascii")
    return written


def write_badge_video(path: Path, codes: list[str], fps: int = 10, seconds_per_code: float = 2.0,
                      gap_seconds: float = 2.0, size: tuple[int, int] = (1280, 720)) -> Path:
    """A webcam-like MJPG video: a badge QR on a grey desk, then the empty desk."""
    # lazy: OpenCV is the kiosk's dependency; the server's seed-demo never writes the video
    import cv2
    import numpy as np
    import segno

    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f"{path}: cannot write a video here")
    empty = np.full((height, width, 3), 150, np.uint8)
    try:
        for code in codes:
            qr = segno.make(code, error="m", boost_error=False)
            matrix = np.array([list(row) for row in qr.matrix_iter(scale=6, border=4)], dtype=np.uint8)
            tile = np.where(matrix[..., None] > 0, 0, 255).astype(np.uint8).repeat(3, axis=2)
            frame = empty.copy()
            y, x = (height - tile.shape[0]) // 2, (width - tile.shape[1]) // 2
            frame[y:y + tile.shape[0], x:x + tile.shape[1]] = tile
            for _ in range(int(fps * seconds_per_code)):
                writer.write(frame)
            for _ in range(int(fps * gap_seconds)):
                writer.write(empty)
    finally:
        writer.release()
    return path


def demo_enroller(data_dir: Path, server_url: str):
    """A function that enrols a demo kiosk store with the demo server on first use.

    Meant for the sync worker thread (ui.syncservice.SyncService(prepare=...)), so the app's
    start is not delayed: the device is registered directly in the demo's server database
    (the operator's `kiosk-server enroll` step) and the setup code exchanged over HTTP like
    a real kiosk.

    The device keeps its identity (its id, so its records, undo and own lead notes) for good:
    it is registered under the id the kiosk already holds. When the demo server comes back on
    another port, the kiosk only learns the new address (its token is still good there); when
    the kiosk's role changed since (e.g. `--role exhibitor`), it enrols again under the same id."""
    def prepare(store) -> None:
        role = store.get_meta("role") or "desk"
        exhibitor = store.get_meta("exhibitor_id") if role == "exhibitor" else None
        token = store.get_meta("device_token")
        if token and store.get_meta("server_url") == server_url and store.get_meta("enrolled_role") == role:
            return
        server = ServerDB(Path(data_dir) / "server.db")
        try:
            known = devices.authenticate(server, token) if token else None
            if (known is not None and known.id == store.get_meta("device_id") and known.role == role
                    and (exhibitor is None or known.exhibitor_id == exhibitor)):
                with store.transaction():  # the same server database on a new port: only the address moved
                    store.set_meta("server_url", server_url)
                    store.set_meta("enrolled_role", role)
                return
            if role == "exhibitor" and not exhibitor:
                exhibitor = server.store.exhibitors()[0].id
            names = {"desk": "Demo desk", "attendee": "Demo self-service kiosk", "exhibitor": "Demo booth"}
            _, setup = devices.register(server, role, names.get(role, "Demo kiosk"), exhibitor,
                                        device_id=store.get_meta("device_id"))
            root = server.trust_root().fingerprint
        finally:
            server.close()
        enroll(store, make_setup_code(server_url, setup, root=root))
        store.set_meta("enrolled_role", role)

    return prepare

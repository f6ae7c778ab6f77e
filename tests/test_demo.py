"""The demo set-up a newcomer gets from `./run demo`: data, badges to show, a role picker."""
import cv2

from kiosk.scanner import decode_frame
from kiosk.store import Store
from sync.demo import prepare_demo


def test_a_new_demo_starts_at_the_role_picker_and_keeps_the_choice(tmp_path):
    db = prepare_demo(tmp_path / "demo", attendees=60)
    store = Store(db)
    assert store.get_meta("role") is None and store.attendee_count() == 60
    store.set_meta("role", "attendee")  # what the role picker saves
    store.close()
    prepare_demo(tmp_path / "demo", attendees=60)
    store = Store(db)
    assert store.get_meta("role") == "attendee"
    store.close()


def test_the_demo_prints_badges_and_a_badge_video_the_camera_can_read(tmp_path):
    prepare_demo(tmp_path / "demo", attendees=60)
    badges = tmp_path / "demo" / "badges"
    codes = (badges / "codes.txt").read_text().splitlines()
    assert len(codes) == len(list(badges.glob("badge-*.png"))) >= 3
    seen = []
    capture = cv2.VideoCapture(str(badges / "badges.avi"))
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        seen += [c for c in decode_frame(frame) if c not in seen]
    capture.release()
    assert seen == codes


def test_a_restarted_demo_keeps_the_devices_identity_records_undo_and_own_note(tmp_path):
    """Issue 12 item 10: the demo's server comes back on another port (and the role may change);
    the device keeps its id, so its recent list, its undo and its own lead note stay its own."""
    from kiosk.checkin import check, lead_scan, undo_last
    from kiosk.identify import DeviceContext
    from kiosk.leads import other_notes, own_note, set_note
    from kiosk.models import Status
    from kiosk.recent import recent_scans
    from sync.demo import demo_enroller
    from sync.rounds import SyncClient
    from sync.server import EmbeddedServer
    from tests.helpers_sync import badge

    kiosk_db = prepare_demo(tmp_path, attendees=60)
    server_db = tmp_path / "server.db"
    store = Store(kiosk_db)
    store.set_meta("role", "desk")  # what the role picker saves
    bundle_id = store.get_meta("device_id")

    def restart(role: str) -> str:
        """The demo started again: its server on a new port, the enroller run by the sync thread."""
        store.set_meta("role", role)
        with EmbeddedServer(server_db) as srv:
            demo_enroller(tmp_path, srv.url)(store)
            assert store.get_meta("server_url") == srv.url
            SyncClient(store).round()  # the device's token works against this server
        return store.get_meta("device_id")

    try:
        # a desk scans before its first enrolment (the demo enrols lazily): the record stays its own
        assert check(store, badge(server_db, "A000005"), DeviceContext.from_store(store)).status is Status.OK
        assert restart("desk") == bundle_id
        assert check(store, badge(server_db, "A000004"), DeviceContext.from_store(store)).status is Status.OK
        assert restart("desk") == bundle_id  # a new port
        ctx = DeviceContext.from_store(store)
        assert [r.attendee_id for r in recent_scans(store, ctx.device_id)] == ["A000004", "A000005"]
        undone = undo_last(store, ctx)
        assert undone is not None and undone.attendee.id == "A000004"

        # the same device as an exhibitor's (a role change re-enrols, under the same id), then restarted
        assert restart("exhibitor") == bundle_id
        ctx = DeviceContext.from_store(store)
        verdict, lead = lead_scan(store, badge(server_db, "A000006"), ctx)
        assert lead is not None, verdict
        set_note(store, ctx, lead.id, "Wants a demo")
        assert restart("exhibitor") == bundle_id
        ctx = DeviceContext.from_store(store)
        assert own_note(store, ctx, lead.id) == "Wants a demo" and other_notes(store, ctx, lead.id) == []
    finally:
        store.close()


def test_the_demo_server_keeps_its_port_unless_it_is_taken(tmp_path):
    import socket

    from sync.server import EmbeddedServer

    prepare_demo(tmp_path, attendees=30)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with EmbeddedServer(tmp_path / "server.db", port=port, or_free_port=True) as srv:
        assert srv.port == port
        with EmbeddedServer(tmp_path / "server.db", port=port, or_free_port=True) as second:
            assert second.port not in (0, port)  # taken: the second one runs on a free port

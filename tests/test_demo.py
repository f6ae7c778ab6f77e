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

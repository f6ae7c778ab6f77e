"""Small real databases for tests: an event, a few attendees, a signing key."""
from __future__ import annotations

from datetime import date

from kiosk import eventdata, paths
from kiosk.badges import SigningKey, encode
from kiosk.models import Attendee, BadgeClaims
from kiosk.store import Store

EVENT_DAY = date(2023, 11, 18)

PEOPLE = [
    Attendee("A1", "Zhang Wei", "张伟", "北京华展科技有限公司", badge_type="attendee", code="REG-0001", consent=True,
             email="zw@example.org"),
    Attendee("A2", "Maria Rossi", "", "Roche", badge_type="press", code="REG-0002"),
    Attendee("A3", "Li Na", "李娜", "BeiGene", badge_type="vip", attention="VIP: escort to the front row"),
    Attendee("A4", "Wang Fang", "王芳", "InnoCare", badge_type="exhibitor"),
    Attendee("A5", "Chen Jie", "陈杰", "Changping Laboratory", badge_type="staff"),
]


def demo_event_store(path, key: SigningKey | None = None, people=PEOPLE, role: str = "desk",
                     device_id: str = "desk-1") -> tuple[Store, SigningKey]:
    """A kiosk store holding the demo event structure, a few people and a public key."""
    store = Store(path)
    key = key or SigningKey.generate(1)
    eventdata.save_to_store(store, eventdata.load_event(paths.demo() / "event.json", EVENT_DAY))
    store.save_public_keys([key.public()])
    store.upsert_attendees(people)
    store.set_meta("device_id", device_id)
    store.set_meta("role", role)
    return store, key


def badge_for(person: Attendee, key: SigningKey, event_id: str = "LSF2023", issue: int | None = None) -> str:
    return encode(BadgeClaims(event_id, person.id, person.badge_type, key.key_id, person.name, person.name_zh,
                              person.organisation, issue if issue is not None else person.badge_issue), key)

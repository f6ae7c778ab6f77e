"""Desk search: Latin names, Chinese substrings, pinyin in full or initials, codes."""
import pytest

from kiosk.models import Attendee
from kiosk.search import search_attendees
from tests.factories import demo_event_store

EXTRA = [Attendee("B1", "Zhang Weiguo", "张伟国", "中关村生命科学园"),
         Attendee("B2", "Wei Zhang", "", "Charité Berlin"),
         Attendee("B3", "Huang Lei", "黄磊", "A3-12 Partners", code="EXT-77")]


@pytest.fixture
def store(tmp_path):
    from tests.factories import PEOPLE
    s, _ = demo_event_store(tmp_path / "k.db", people=PEOPLE + EXTRA)
    yield s
    s.close()


def ids(results):
    return [a.id for a in results]


@pytest.mark.parametrize("query,expected", [
    ("zhang wei", "A1"), ("zhangwei", "A1"), ("zw", "A1"), ("张伟", "A1"), ("张", "A1"),
    ("华展", "A1"), ("华展科技", "A1"), ("Rossi", "A2"), ("roche", "A2"), ("REG-0002", "A2"),
    ("EXT-77", "B3"), ("A3-12", "B3"), ("生命科学", "B1"), ("beigene", "A3"),
])
def test_finds_the_person(store, query, expected):
    assert expected in ids(search_attendees(store, query))


def test_exact_code_comes_first(store):
    assert ids(search_attendees(store, "REG-0001"))[0] == "A1"


@pytest.mark.parametrize("query", ["", "   ", '"', "'", "*", "%", "_", "NEAR(", "a" * 5000])
def test_odd_queries_never_break(store, query):
    search_attendees(store, query)


def test_nothing_found_is_empty(store):
    assert search_attendees(store, "xyzzyq") == []

"""Shared fixtures. Qt runs offscreen so the suite needs no display."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "")  # tests type directly; the virtual keyboard is tested on its own

import pytest

from kiosk.store import Store
from sync.server import EmbeddedServer
from tests.helpers_net import FaultProxy
from tests.helpers_sync import seeded_server_db


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()


# -- the real server --------------------------------------------------------------------------------
@pytest.fixture
def server_attendees() -> int:
    """How many demo attendees `server_db` seeds; a module overrides this fixture to seed fewer."""
    return 300


@pytest.fixture
def server_db(tmp_path, server_attendees):
    """A server database file seeded with the demo event (the real ServerDB, no server running)."""
    return seeded_server_db(tmp_path / "server.db", server_attendees)


@pytest.fixture
def server(server_db):
    """The real FastAPI server on 127.0.0.1 (a free port), serving `server_db`; stopped after the test."""
    with EmbeddedServer(server_db) as srv:
        yield srv


@pytest.fixture
def proxy(server):
    """A FaultProxy in front of `server`: passes traffic until the test tells it to misbehave."""
    with FaultProxy(server.port) as p:
        yield p

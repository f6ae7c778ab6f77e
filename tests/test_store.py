"""The local database file: private, WAL, migrated in place, one transaction per scan."""
import os
import stat
import threading

import pytest

from kiosk.store import Store, StoreError
from kiosk.store.schema import migrations
from tests.factories import demo_event_store
from tests.sql import sql


def test_file_is_private_and_in_wal_mode(tmp_path):
    store, _ = demo_event_store(tmp_path / "k.db")
    assert stat.S_IMODE(os.stat(tmp_path / "k.db").st_mode) == 0o600
    assert sql(store).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # a setting of the store's own connection
    store.close()


def test_reopening_applies_no_migration_twice_and_keeps_data(tmp_path):
    store, _ = demo_event_store(tmp_path / "k.db")
    store.close()
    again = Store(tmp_path / "k.db")
    assert again.attendee("A1").name_zh == "张伟"
    assert migrations.pending(again._db) == []
    again.close()


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        Store(bad)


def test_connections_stay_on_their_thread(tmp_path):
    store, _ = demo_event_store(tmp_path / "k.db")
    errors = []

    def other_thread():
        try:
            store.attendee("A1")
        except Exception as exc:  # sqlite3.ProgrammingError
            errors.append(exc)

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert errors, "a Store must not be shared across threads"
    store.close()

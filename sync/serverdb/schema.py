"""The server's own tables, as numbered migrations over the kiosk's schema in the same file.

Every row a device may need is mirrored into `changes` by triggers (see `_CHANGE_SOURCES`).
"""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

server_migrations = Migrations("server")


@server_migrations()
def s001_keys(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE signing_keys (key_id INTEGER PRIMARY KEY, private_key TEXT NOT NULL,
            public_key TEXT NOT NULL, valid INTEGER NOT NULL DEFAULT 1, created_at TEXT);
        """
    )


# Every row a device may need is mirrored into `changes` by triggers, with a fresh sequence number
# each time it changes: a pull is "changes after my cursor", in order, paged, and resumable.
# `audience` says who may receive it: all devices, staff devices (desk, attendee kiosk), or
# one exhibitor's devices ("ex:<id>").
_CHANGE_SOURCES = {
    # table: (kind, key expression, audience expression)
    "attendees": ("attendee", "{r}.id", "'staff'"),
    "revocations": ("revocation", "{r}.attendee_id || '|' || {r}.issue", "'all'"),
    "public_keys": ("key", "{r}.key_id", "'all'"),
    "checkins": ("checkin", "{r}.id", "'staff'"),
    "conflicts": ("conflict", "{r}.id", "'staff'"),
    "leads": ("lead", "{r}.exhibitor_id || '|' || {r}.attendee_id", "'ex:' || {r}.exhibitor_id"),
    "lead_notes": ("note", "{r}.id", "'ex:' || {r}.exhibitor_id"),
    "events": ("event", "'event'", "'all'"),
    "rooms": ("event", "'event'", "'all'"),
    "sessions": ("event", "'event'", "'all'"),
    "points": ("event", "'event'", "'all'"),
    "exhibitors": ("event", "'event'", "'all'"),
    "booths": ("event", "'event'", "'all'"),
}


def _bump(kind: str, key: str, audience: str) -> str:
    """Move a row's change to the end of the log. The number is taken under the database's write
    lock, held to commit, which keeps cursors commit-ordered (sync.serverdb.changes; a PostgreSQL
    trigger must take the log's advisory lock first). DELETE + INSERT rather than INSERT OR REPLACE:
    inside an UPSERT (INSERT ... ON CONFLICT DO UPDATE) SQLite applies the outer statement's
    conflict handling to the trigger, and the REPLACE would fail on UNIQUE(kind, key)."""
    return (f"DELETE FROM changes WHERE kind = '{kind}' AND key = {key}; "
            f"INSERT INTO changes(kind, key, audience) VALUES ('{kind}', {key}, {audience});")


def _change_triggers(db: sqlite_utils.Database) -> None:
    statements = []
    for table, (kind, key, audience) in _CHANGE_SOURCES.items():
        for op in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS chg_{table}_{op.lower()} AFTER {op} ON {table} BEGIN "
                f"{_bump(kind, key.format(r='new'), audience.format(r='new'))} END;")
    event_bump = _bump("event", "'event'", "'all'")
    device_bump = _bump("device", "new.id", "'all'")
    for op in ("INSERT", "UPDATE"):
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS chg_meta_{op.lower()} AFTER {op} ON meta "
            f"WHEN new.key IN ('hall', 'categories') BEGIN {event_bump} END;")
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS chg_devices_{op.lower()} AFTER {op} "
            f"{'OF name, role, exhibitor_id, revoked ' if op == 'UPDATE' else ''}ON devices BEGIN "
            f"{device_bump} END;")
    db.executescript("\n".join(statements))


@server_migrations()
def s002_sync(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, key TEXT NOT NULL,
            audience TEXT NOT NULL, UNIQUE (kind, key));
        CREATE INDEX changes_audience ON changes(audience, seq);
        ALTER TABLE devices ADD COLUMN token_hash TEXT;
        ALTER TABLE devices ADD COLUMN setup_hash TEXT;
        ALTER TABLE devices ADD COLUMN setup_expires TEXT;
        ALTER TABLE devices ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN created_at TEXT;
        ALTER TABLE devices ADD COLUMN enrolled_at TEXT;
        ALTER TABLE devices ADD COLUMN last_seen TEXT;
        ALTER TABLE devices ADD COLUMN clock_offset REAL;
        CREATE UNIQUE INDEX devices_token ON devices(token_hash) WHERE token_hash IS NOT NULL;
        CREATE UNIQUE INDEX devices_setup ON devices(setup_hash) WHERE setup_hash IS NOT NULL;
        CREATE TABLE received (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, kind TEXT NOT NULL,
            status TEXT NOT NULL, received_at TEXT NOT NULL);
        CREATE TABLE lead_state (exhibitor_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            rating_at TEXT, rating_device TEXT, deleted_at TEXT, deleted_device TEXT,
            PRIMARY KEY (exhibitor_id, attendee_id));
        CREATE TABLE lead_tags (exhibitor_id TEXT NOT NULL, attendee_id TEXT NOT NULL, tag TEXT NOT NULL,
            added_at TEXT, removed_at TEXT, PRIMARY KEY (exhibitor_id, attendee_id, tag));
        """
    )
    _change_triggers(db)
    # a server seeded before sync existed: every row it already holds is one change
    for table, (kind, key, audience) in _CHANGE_SOURCES.items():
        db.execute(f"INSERT OR IGNORE INTO changes(kind, key, audience) "
                   f"SELECT '{kind}', {key.format(r=table)}, {audience.format(r=table)} FROM {table}")
    db.execute("INSERT OR IGNORE INTO changes(kind, key, audience) SELECT 'device', id, 'all' FROM devices")


@server_migrations()
def s003_change_triggers(db: sqlite_utils.Database) -> None:
    """Recreate the change triggers without INSERT OR REPLACE (see _bump)."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'chg_%'")]
    for name in names:
        db.execute(f"DROP TRIGGER {name}")
    _change_triggers(db)


@server_migrations()
def s004_reprints(db: sqlite_utils.Database) -> None:
    """Badge reissues by request id, so a desk may repeat a reprint whose answer it lost."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS reprints (request_id TEXT PRIMARY KEY, device_id TEXT NOT NULL,
            attendee_id TEXT NOT NULL, issue INTEGER NOT NULL, code TEXT NOT NULL, created_at TEXT);
        """
    )


@server_migrations()
def s005_trust_root(db: sqlite_utils.Database) -> None:
    """The event's trust root: the key that signs bundles and pulled pages (kiosk/trust.py).
    One row; its private half never leaves this file (owner-only, like the whole database)."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS trust_root (id INTEGER PRIMARY KEY CHECK (id = 1),
            private_key TEXT NOT NULL, public_key TEXT NOT NULL, created_at TEXT);
        """
    )


# Event meta keys whose change is an event change (the whole structure travels again).
EVENT_META_KEYS = ("hall", "categories", "badge_types", "event_dates")  # not hall_background: s009
# Sources added by s006: staff and exhibitor PINs (scope 'role:<role>' or 'ex:<exhibitor id>'), logos.
_PIN_AUDIENCE = ("CASE WHEN {r}.scope LIKE 'ex:%' THEN {r}.scope WHEN {r}.scope = 'role:exhibitor' THEN 'all' "
                 "ELSE 'staff' END")
_EVENT_TABLES = ("events", "rooms", "sessions", "points", "exhibitors", "booths")


@server_migrations()
def s006_event_setup(db: sqlite_utils.Database) -> None:
    """An organiser's event: removals reach kiosks too, badge types and days are event data, and
    PINs and logos are set on the server and travel to the devices that need them."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS pins (scope TEXT PRIMARY KEY, record TEXT NOT NULL, set_at TEXT);
        DROP TRIGGER IF EXISTS chg_meta_insert;
        DROP TRIGGER IF EXISTS chg_meta_update;
        """
    )
    event_bump = _bump("event", "'event'", "'all'")
    keys = ", ".join(f"'{k}'" for k in EVENT_META_KEYS)
    statements = []
    for op in ("INSERT", "UPDATE", "DELETE"):
        row = "old" if op == "DELETE" else "new"
        statements.append(f"CREATE TRIGGER IF NOT EXISTS chg_meta_{op.lower()} AFTER {op} ON meta "
                          f"WHEN {row}.key IN ({keys}) BEGIN {event_bump} END;")
        if op == "DELETE":
            statements += [f"CREATE TRIGGER IF NOT EXISTS chg_{t}_delete AFTER DELETE ON {t} BEGIN {event_bump} END;"
                           for t in _EVENT_TABLES]
        pin = _bump("pin", f"{row}.scope", _PIN_AUDIENCE.format(r=row))
        logo = _bump("logo", f"{row}.exhibitor_id", "'all'")
        statements.append(f"CREATE TRIGGER IF NOT EXISTS chg_pins_{op.lower()} AFTER {op} ON pins BEGIN {pin} END;")
        statements.append(f"CREATE TRIGGER IF NOT EXISTS chg_logos_{op.lower()} AFTER {op} ON logos BEGIN {logo} END;")
    db.executescript("\n".join(statements))


@server_migrations()
def s009_hall_background(db: sqlite_utils.Database) -> None:
    """The hall's background plan (meta `hall_background`, a few MB) is its own change, so an
    exhibitor edit does not send the image to every device again, and a new plan reaches them."""
    bump = _bump("hallplan", "'hallplan'", "'all'")
    db.executescript("\n".join(
        f"CREATE TRIGGER IF NOT EXISTS chg_hallplan_{op.lower()} AFTER {op} ON meta "
        f"WHEN new.key = 'hall_background' BEGIN {bump} END;" for op in ("INSERT", "UPDATE")))
    db.execute("INSERT OR IGNORE INTO changes(kind, key, audience) "
               "SELECT 'hallplan', 'hallplan', 'all' FROM meta WHERE key = 'hall_background'")


@server_migrations()
def s010_roles_lead_limits(db: sqlite_utils.Database) -> None:
    """Per-device rate limits for lead pushes (sync.serverdb.rates), shared by every server process; and
    the attendee a booth's offline "name after sync" lead (a plain code it could not look up) turned out to be."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS rate_buckets (device_id TEXT NOT NULL, kind TEXT NOT NULL,
            tokens REAL NOT NULL, at REAL NOT NULL, PRIMARY KEY (device_id, kind));
        CREATE TABLE IF NOT EXISTS lead_aliases (exhibitor_id TEXT NOT NULL, alias TEXT NOT NULL,
            attendee_id TEXT NOT NULL, PRIMARY KEY (exhibitor_id, alias));
        """
    )


@server_migrations()
def s013_selfprint_health(db: sqlite_utils.Database) -> None:
    """A device's health as it last reported it (a self-printing kiosk's print queue) and when."""
    db.executescript("""
        ALTER TABLE devices ADD COLUMN health TEXT;
        ALTER TABLE devices ADD COLUMN health_at TEXT;
    """)

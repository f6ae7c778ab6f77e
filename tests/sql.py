"""A second connection to a device's or the server's database file, for tests to look (and set up).

The stores keep their connection private; a test checks what is on disk the way an operator's
`sqlite3` would, and prepares rare states (a backdated row, a consent withdrawn) the same way.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path


def sql(holder) -> sqlite3.Connection:
    """`holder`: a kiosk Store, a ServerDB or a path. Autocommit, waiting for the stores' write lock."""
    path = holder if isinstance(holder, (str, Path)) else holder.path
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn

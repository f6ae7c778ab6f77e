"""The central server's storage, split by area; `ServerDB` is the one object the rest of the code holds.

The only place with server-side SQL: the sync code (push, pull, online check, devices,
lead merge and export) calls the named operations of `ServerDB` and its areas
(`devices`, `changes`, `pushes`, `checkins`, `leads`). Keeping every query here is what
lets a second engine (PostgreSQL) be added later behind the same operations.
"""
from sync.serverdb.database import ServerDB

__all__ = ["ServerDB"]

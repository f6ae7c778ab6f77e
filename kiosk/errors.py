"""The errors a person can act on, one family for every layer.

Each layer raises its own subclass (the store, a file reader, sync, the server's devices),
and only the command lines and screens turn them into words for a person: the CLIs print one
`error: …` line and exit 1 (docs/cli.md). Anything that is not a `KioskError` is a bug and
keeps its traceback.
"""
from __future__ import annotations


class KioskError(Exception):
    """An expected failure; its message says what went wrong in words an operator understands."""


class BadInput(KioskError):
    """A file, code or value from outside is malformed; the message names where."""


class NotFound(KioskError):
    """Something asked for by id (an attendee, a device, a lead) does not exist."""


class Refused(KioskError):
    """Understood, but not allowed or not possible in the current state."""

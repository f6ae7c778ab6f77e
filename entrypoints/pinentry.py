"""A PIN for `set-pin`, read from standard input: never an argument, which other users and the
shell history could see. At a terminal it is asked for twice without echo."""
from __future__ import annotations

import getpass
import sys

from kiosk.errors import BadInput


def read_pin() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("new PIN: ")
        if getpass.getpass("the same PIN again: ") != first:
            raise BadInput("the two PINs differ")
        return first.strip()
    line = sys.stdin.readline().strip()
    if not line:
        raise BadInput("no PIN on standard input (e.g. printf '%s\\n' \"$PIN\" | … set-pin …)")
    return line

"""What both command lines share: parse, run, and turn a known failure into one line.

docs/cli.md: exit 0 on success, 1 on a refusal or an operator's error (one `error: …` line on
stderr, never a traceback), 2 on bad usage. Errors are `kiosk.errors.KioskError`s raised by the
layer that found them; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys

from kiosk.errors import KioskError

# modules an install may leave out (pyproject.toml's extras), and the extra that brings each
EXTRA_OF = {"PySide6": "kiosk", "shiboken6": "kiosk", "cv2": "kiosk", "numpy": "kiosk", "zxingcpp": "kiosk",
            "pyzbar": "kiosk", "networkx": "kiosk", "platformdirs": "kiosk", "fastapi": "server",
            "uvicorn": "server", "starlette": "server"}


def run(argv: list[str] | None, parser: argparse.ArgumentParser) -> int:
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except (KioskError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"error: database {getattr(args, 'db', '')}: {exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        extra = EXTRA_OF.get((exc.name or "").split(".")[0])
        if extra is None:
            raise  # a module no extra brings is missing: a broken install or a bug, keep the traceback
        print(f"error: this command needs {exc.name}, which this install left out: "
              f"pip install 'forum-kiosk[{extra}]'", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130

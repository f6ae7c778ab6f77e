"""What both halves of the self-test share: the check list, the bundled badge's facts, a database.

selftest.py runs the Qt-free checks and, when asked, selftest_gui.py the Qt ones; both report
into one `Checks`. The parts under test are imported inside the functions on purpose: a part
missing from a build is then a failed check, not a self-test that cannot start.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kiosk import paths


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    optional: bool = False  # a missing optional part is reported but does not fail the self-test


class Checks:
    """Collects results; a check is a function returning its detail line, or raising to fail."""

    def __init__(self) -> None:
        self.results: list[Check] = []

    def run(self, name: str, fn: Callable[[], str], optional: bool = False) -> bool:
        try:
            detail = fn()
            self.results.append(Check(name, True, detail, optional))
            return True
        except Exception as exc:  # a self-test reports every failure, it never stops at the first
            reason = f"{type(exc).__name__}: {exc}".strip()
            if not isinstance(exc, (AssertionError, FileNotFoundError)):
                reason += " | " + traceback.format_exc(limit=3).strip().splitlines()[-2].strip()
            self.results.append(Check(name, False, reason, optional))
            return False

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.results if not c.ok and not c.optional]


def expected() -> tuple[str, dict]:
    """The code on the bundled badge image and the facts about it (key, attendee)."""
    folder = paths.assets() / "selftest"
    code = (folder / "expected.txt").read_text(encoding="utf-8").strip()
    facts = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return code, facts


def prepare_database(folder: Path) -> Path:
    """A kiosk database in `folder` with the demo event and the self-test badge's public key."""
    from kiosk import eventdata
    from kiosk.models import PublicKey
    from kiosk.store import Store

    _, facts = expected()
    path = Path(folder) / "kiosk.db"
    store = Store(path)
    try:
        eventdata.save_to_store(store, eventdata.load_event(paths.demo() / "event.json"))
        key = facts["public_key"]
        store.save_public_keys([PublicKey(int(key["key_id"]), key["public_key"], True)])
        store.set_meta("device_id", "self-test")
        store.set_meta("role", "desk")
    finally:
        store.close()
    return path


# -- the checks ---------------------------------------------------------------------------------
def import_all(packages: list[str], skip: tuple[str, ...] = ()) -> str:
    """Import every module of the packages: a freezer misses modules loaded by name."""
    names: list[str] = []
    for package in packages:
        pkg = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            if info.name not in skip:
                names.append(info.name)
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    assert not failed, "cannot import " + "; ".join(failed)
    return f"{len(names)} modules of {', '.join(packages)} import"

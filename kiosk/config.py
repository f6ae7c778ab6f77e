"""Device settings: defaults here, the admin screen's choices in the store, env for operators.

Precedence: environment (KIOSK_<NAME>) > the store's meta `config` > these defaults.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace

from kiosk.store import Store


@dataclass(frozen=True)
class Config:
    camera: str = "0"  # camera index, or a video/image file path
    camera_width: int = 1280
    camera_height: int = 720
    idle_seconds: int = 90  # back to the start screen and forget the person
    verdict_seconds: int = 8  # how long a verdict card stays up
    language: str = "en"  # default language after an idle reset: en | zh_CN
    hide_pointer: bool = False  # touch-only units
    fullscreen: bool = True
    printer: str = ""  # empty: print to PDF in the print folder
    print_folder: str = ""
    self_print: bool = False  # an attendee kiosk prints the badge of whoever checks in (kiosk.selfprint)
    badge_template: str = "a6"  # kiosk-server templates lists them; or a template JSON file
    wedge_max_gap_ms: int = 45  # keys pressed closer than this (by their timestamps) may be a scanner
    wedge_min_length: int = 4  # a shorter fast burst is a person (rolled-over keys, a key repeat)
    wedge_pause_ms: int = 100  # wall clock: a scan without Enter/Tab is over when no key came for this long
    wedge_prefix: str = ""  # what the venue's scanners were set up to send before every code (removed)
    debounce_seconds: float = 3.0  # the same code again within this is one scan
    sync_interval_seconds: int = 10
    online_timeout_seconds: float = 1.0  # desks ask the server first while it answers this fast

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def _coerce(kind: type, raw: str):
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return kind(raw)


def load(store: Store | None = None, environ: dict | None = None) -> Config:
    environ = os.environ if environ is None else environ
    cfg = Config()
    if store is not None:
        saved = json.loads(store.get_meta("config") or "{}")
        known = {f.name for f in fields(Config)}
        cfg = replace(cfg, **{k: v for k, v in saved.items() if k in known})
    overrides = {}
    for f in fields(Config):
        raw = environ.get(f"KIOSK_{f.name.upper()}")
        if raw is not None:
            try:
                overrides[f.name] = _coerce(type(getattr(cfg, f.name)), raw)
            except ValueError:
                continue  # a bad override keeps the default rather than crash a kiosk at boot
    return replace(cfg, **overrides)


def save(store: Store, cfg: Config) -> None:
    store.set_meta("config", cfg.to_json())

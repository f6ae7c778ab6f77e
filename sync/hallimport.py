"""`kiosk-server import-hall` and `check-hall`: an organiser's hall plan into the server database.

The plan is stored as the meta `hall` (the JSON of docs/hall-format.md) and its background
image as meta `hall_background`; both reach kiosks by sync (their own change kinds) and by
bundle. Everything is read, built and checked before the one transaction that stores it, so
a bad file (or a plan with layout errors) leaves what the server held unchanged.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kiosk.hallcheck import Problem, check_hall, unassigned
from kiosk.hallmap import Hall, HallError, background_image, hall_from_dict
from kiosk.hallplan import Calibration, PreparedPlan, check_overlap, prepare_plan
from kiosk.hallsources import read_booths
from kiosk.store import Store

MAX_HALL_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class BoothSource:
    """Where booth rectangles come from instead of the JSON's own `booths`."""

    path: Path
    m_per_unit: float | None = None  # None: CSV in metres, SVG from its own size
    drawing_scale: float = 1.0


@dataclass(frozen=True)
class PlanSource:
    path: Path
    calibration: Calibration
    page: int = 1


def read_hall_json(path: str | Path) -> dict:
    """The hall file as parsed JSON; HallError names the file and the problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_HALL_BYTES:
            raise HallError(f"{path}: larger than {MAX_HALL_BYTES // 1024 // 1024} MB; not a hall plan")
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HallError(f"{path}: hall plan not found") from None
    except UnicodeDecodeError:
        raise HallError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise HallError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(raw, dict):
        raise HallError(f"{path}: the top level must be a JSON object")
    return raw


def build_raw(path: str | Path, booths: BoothSource | None = None) -> dict:
    """The hall JSON with its booths taken from the CSV or SVG when one is given (labels the JSON
    gives for the same ids are kept); any background key of the file is dropped (import-hall writes it)."""
    raw = read_hall_json(path)
    raw.pop("background", None)
    if booths is not None:
        labels = {str(b.get("id")): b["label"] for b in raw.get("booths") or [] if isinstance(b, dict) and "label" in b}
        new = read_booths(booths.path, booths.m_per_unit, booths.drawing_scale)
        raw["booths"] = [{**b, "label": labels[b["id"]]} if b["id"] in labels and "label" not in b else b for b in new]
    return raw


def hall_of(raw: dict, path: str | Path, check_inside: bool = False) -> Hall:
    try:
        return hall_from_dict(raw, check_inside=check_inside)
    except HallError as exc:
        raise HallError(f"{path}: {exc}") from None


def check_file(path: str | Path, booths: BoothSource | None = None, store: Store | None = None) -> list[Problem]:
    """Every problem of the plan, and with a database its exhibitors' booths against the plan."""
    hall = hall_of(build_raw(path, booths), path)
    exhibitors = store.exhibitors() if store is not None and store.event() is not None else None
    return check_hall(hall, exhibitors)


@dataclass(frozen=True)
class Prepared:
    """A hall ready to store: nothing has been written yet."""

    raw: dict
    hall: Hall
    plan: PreparedPlan | None
    errors: list[Problem]
    warnings: list[Problem]


def prepare(store: Store, path: str | Path, booths: BoothSource | None = None, plan: PlanSource | None = None,
            drop_background: bool = False) -> Prepared:
    """Read, build and check everything; the stored plan is carried over when no new one is given."""
    raw = build_raw(path, booths)
    hall = hall_of(raw, path)
    prepared = prepare_plan(plan.path, plan.calibration, plan.page) if plan else None
    if prepared is not None:
        check_overlap(prepared.background, hall.bounds, plan.path)
        raw["background"] = _descriptor(prepared)
    elif not drop_background:
        kept = _stored_background(store)
        if kept is not None:
            bg = hall_from_dict({**raw, "background": kept}, check_inside=False).background
            check_overlap(bg, hall.bounds, "the background plan stored before")
            raw["background"] = kept
    hall = hall_of(raw, path)
    exhibitors = store.exhibitors() if store.event() is not None else []
    problems = check_hall(hall)
    notes = [p for p in problems if p.level != "error"] + unassigned(hall, exhibitors, missing_level="warning")
    errors = [p for p in problems if p.level == "error"]
    if not errors:
        hall = hall_of(raw, path, check_inside=True)  # exactly the load a kiosk makes: it must pass
    return Prepared(raw, hall, prepared, errors, notes)


def store_hall(store: Store, prepared: Prepared) -> dict:
    """Write the plan (and its image) in one transaction; return a summary."""
    with store.transaction():
        store.set_meta("hall", json.dumps(prepared.raw, ensure_ascii=False))
        if prepared.plan is not None:
            store.set_meta("hall_background", prepared.plan.encoded())
    bg = prepared.hall.background
    return {"booths": len(prepared.hall.booths),
            "background": None if bg is None else {
                "width": bg.width, "height": bg.height, "m_per_px": round(bg.m_per_px, 5),
                "origin": list(bg.origin), "new": prepared.plan is not None},
            "warnings": len(prepared.warnings)}


def _descriptor(plan: PreparedPlan) -> dict:
    bg = plan.background
    return {"sha256": bg.sha256, "width": bg.width, "height": bg.height, "origin": list(bg.origin),
            "m_per_px": bg.m_per_px}


def _stored_background(store: Store) -> dict | None:
    """The background descriptor of the stored hall, when its image is stored and matches."""
    text = store.get_meta("hall")
    if not text:
        return None
    try:
        old = json.loads(text)
        bg = hall_from_dict(old, check_inside=False).background
    except (ValueError, HallError):
        return None
    if background_image(store.get_meta("hall_background"), bg) is None:
        return None
    return old.get("background")

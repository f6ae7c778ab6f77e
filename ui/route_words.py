"""Turn-by-turn words for a route, from fragments translated under the "RouteSteps" context:
on screen in the kiosk's language, and in Chinese for the phone summary whatever the screen shows."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTranslator

from kiosk import paths
from kiosk.routing import Directions

_FIRST_WALK = QT_TRANSLATE_NOOP("RouteSteps", "Walk %1 m")
_WALK = QT_TRANSLATE_NOOP("RouteSteps", "walk %1 m")
_TURNS = {"left": QT_TRANSLATE_NOOP("RouteSteps", "turn left"), "right": QT_TRANSLATE_NOOP("RouteSteps", "turn right"),
          "slight_left": QT_TRANSLATE_NOOP("RouteSteps", "bear left"),
          "slight_right": QT_TRANSLATE_NOOP("RouteSteps", "bear right")}
_ARRIVE = {"left": QT_TRANSLATE_NOOP("RouteSteps", "booth %1 is on your left after %2 m"),
           "right": QT_TRANSLATE_NOOP("RouteSteps", "booth %1 is on your right after %2 m"),
           "ahead": QT_TRANSLATE_NOOP("RouteSteps", "booth %1 is straight ahead after %2 m")}
_SEPARATOR = QT_TRANSLATE_NOOP("RouteSteps", ", ")
_FULL_STOP = QT_TRANSLATE_NOOP("RouteSteps", ".")


def on_screen_words(source: str) -> str:
    """A route fragment in the language the kiosk shows now."""
    return QCoreApplication.translate("RouteSteps", source)


@lru_cache(maxsize=1)
def _chinese_catalogue() -> QTranslator | None:
    tr = QTranslator()
    return tr if tr.load(str(paths.assets() / "i18n" / "attendee_zh_CN.qm")) else None


def chinese_words(source: str) -> str:
    """A route fragment in Chinese whatever the screen shows (the phone summary carries both)."""
    tr = _chinese_catalogue()
    return (tr.translate("RouteSteps", source) if tr is not None else "") or source


def phrase_directions(d: Directions | None, words: Callable[[str], str] = on_screen_words) -> str:
    """"Walk 10 m, turn left, booth B13 is on your right after 9 m." from translated fragments."""
    if d is None or not d.legs:
        return ""
    parts: list[str] = []
    for leg in d.legs[:-1]:
        parts.append(words(_WALK if parts else _FIRST_WALK).replace("%1", str(leg.metres)))
        if leg.turn in _TURNS:
            parts.append(words(_TURNS[leg.turn]))
    last = words(_ARRIVE.get(d.booth_side, _ARRIVE["ahead"])).replace("%1", d.target).replace(
        "%2", str(d.legs[-1].metres))
    parts.append(last)
    text = words(_SEPARATOR).join(parts) + words(_FULL_STOP)
    return text[:1].upper() + text[1:]

"""What the attendee map page says: result rows, the count line, chip labels, route failures.

Plain functions of the data, translated under the "MapPage" context, so the wording rules
are tested without building the page.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from kiosk.eventdata import Category
from kiosk.models import Exhibitor
from ui.names import local_name


def result_text(e: Exhibitor, zh: bool) -> str:
    """A search result's two lines: the name in the screen's language; the booths and the other name."""
    first, second = (local_name(e.name, e.name_zh, zh), e.name) if zh else (e.name, e.name_zh)
    booth = QCoreApplication.translate("MapPage", "Booth %1").replace("%1", ", ".join(e.booths))
    return f"{first}\n{booth}" + (f"   ·   {second}" if second and second != first else "")


def is_filtering(query: str, category: str) -> bool:
    """A search or a category narrows the list (and dims the other booths)."""
    return bool(query.strip() or category)


def count_text(found: int, filtering: bool) -> str:
    """The line over the results: how many, and what to try when there are none."""
    if not filtering:
        return QCoreApplication.translate(
            "MapPage", "All exhibitors: %1. Type a name, booth number, product or pinyin.").replace("%1", str(found))
    if found:
        return QCoreApplication.translate("MapPage", "%1 found, highlighted on the map").replace("%1", str(found))
    return QCoreApplication.translate("MapPage", "Nothing found. Try fewer letters, or a booth number like A12.")


def legend_entries(categories: Iterable[Category], zh: bool) -> list[tuple[str, str, str]]:
    """(id, label, colour) for the category chips; "&" doubled, else a button takes it as a mnemonic."""
    return [(c.id, local_name(c.name, c.name_zh, zh).replace("&", "&&"), c.color) for c in categories]


def no_route_text(step_free: bool) -> str:
    """Why no route is drawn, and what to do."""
    if step_free:
        return QCoreApplication.translate(
            "MapPage", "There is no step-free way to this booth. Please ask the staff for help.")
    return QCoreApplication.translate(
        "MapPage", "No route could be found to this booth. Please ask the staff for help.")

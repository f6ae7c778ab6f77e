"""The attendee kiosk's shape rules, in plain numbers: landscape side by side, portrait stacked."""
from __future__ import annotations

SIDE_PANEL_PX = 620  # landscape: the list / details column beside the map at the most
SIDE_MIN_PX = 420  # the column never gets narrower (or, stacked, lower) than this


def is_landscape(width: int, height: int) -> bool:
    """Landscape kiosk (side by side) or portrait totem (stacked); a square screen counts as landscape."""
    return width >= height


def side_width(page_width: int) -> int:
    """Landscape: the side column takes a third of the page, within SIDE_MIN_PX..SIDE_PANEL_PX."""
    return min(SIDE_PANEL_PX, max(SIDE_MIN_PX, page_width // 3))


def side_height(page_height: int) -> int:
    """Portrait: the side column under the map takes about half the page, at least SIDE_MIN_PX."""
    return max(SIDE_MIN_PX, int(page_height * 0.48))

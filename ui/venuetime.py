"""Times on screen in the event's time zone and the language's formats, never the machine's zone.

A kiosk shipped to Beijing may well run with its clock in UTC; a visitor reads "09:30" as venue time,
as the agenda prints it. The composition root sets the event's zone once (like QLocale's default);
the formats are QLocale's for the current language (English as in the UK: day first, 24-hour clock).
"""
from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone

DEFAULT_ZONE = "Asia/Shanghai"
_zone = QTimeZone(DEFAULT_ZONE.encode())


def set_zone(name: str) -> None:
    """The event's IANA zone (kiosk.models.Event.timezone); an unknown name keeps the last one."""
    global _zone
    zone = QTimeZone((name or DEFAULT_ZONE).encode())
    if zone.isValid():
        _zone = zone


def zone() -> QTimeZone:
    return _zone


def at_venue(iso: str) -> QDateTime | None:
    """An ISO time (with its offset) as the venue's clock shows it; None if it does not parse."""
    for fmt in (Qt.DateFormat.ISODateWithMs, Qt.DateFormat.ISODate):
        dt = QDateTime.fromString(iso or "", fmt)
        if dt.isValid():
            return dt.toTimeZone(_zone)
    return None


def date_time(iso: str) -> str:
    """"18/11/2023 09:05" (en), "2023/11/18 09:05" (zh_CN): the language's short date and time."""
    dt = at_venue(iso)
    return QLocale().toString(dt, QLocale.FormatType.ShortFormat) if dt is not None else (iso or "")


def clock(iso: str, seconds: bool = False) -> str:
    """Time of day at the venue: "09:05" (or with seconds)."""
    dt = at_venue(iso)
    if dt is None:
        return iso or ""
    if seconds:
        return dt.time().toString("HH:mm:ss")
    return QLocale().toString(dt.time(), QLocale.FormatType.ShortFormat)

"""The verdict, large across the screen: colour, a drawn icon and words, never colour alone.

Shows who it is about (English and Chinese name, organisation, badge type, VIP or
needs-attention flags), what to do next in plain words, and for a repeat entry when and at
which device it was first recorded. It stays until the next scan, a tap, or its timeout.
"""
from __future__ import annotations

import logging
import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QPointF, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk import paths
from kiosk.eventdata import DEFAULT_BADGE_TYPES
from kiosk.models import Direction, Status, Verdict
from ui import theme, venuetime

log = logging.getLogger(__name__)




def style_key(verdict: Verdict) -> str:
    """The key into theme.VERDICT_STYLES: an undone check-in must not look like a check-in (green)."""
    if verdict.status is Status.OK and verdict.detail == "undone":
        return "undone"
    return verdict.status.value


def headline(verdict: Verdict) -> str:
    """The verdict in two or three words."""
    if verdict.status is Status.OK:
        if verdict.detail == "undone":
            return QCoreApplication.translate("VerdictCard", "Check-in undone")
        return QCoreApplication.translate("VerdictCard", "Checked out") if verdict.direction is Direction.EXIT else QCoreApplication.translate("VerdictCard", "Checked in")
    return {
        Status.ALREADY_CHECKED_IN: QCoreApplication.translate("VerdictCard", "Already checked in"),
        Status.UNKNOWN: QCoreApplication.translate("VerdictCard", "Badge not recognised"),
        Status.FORGED: QCoreApplication.translate("VerdictCard", "Badge not valid"),
        Status.REVOKED: QCoreApplication.translate("VerdictCard", "Badge cancelled"),
        Status.WRONG_EVENT: QCoreApplication.translate("VerdictCard", "Badge for another event"),
        Status.NOT_ALLOWED: QCoreApplication.translate("VerdictCard", "Not admitted here"),
        Status.LEAD_SAVED: QCoreApplication.translate("VerdictCard", "Lead saved"),
        Status.LEAD_UPDATED: QCoreApplication.translate("VerdictCard", "Lead updated"),
    }[verdict.status]


def next_step(verdict: Verdict) -> str:
    """What the desk staff should do now, in plain words: this card is read by the clerk at the desk
    (the self-service kiosk words its own messages for attendees, in ui.selfcheckin)."""
    if verdict.status is Status.OK:
        if verdict.detail == "undone":
            return QCoreApplication.translate("VerdictCard", "The last check-in of this desk was cancelled.")
        if verdict.direction is Direction.EXIT:
            return QCoreApplication.translate("VerdictCard", "Goodbye, and thank you for coming.")
        return QCoreApplication.translate("VerdictCard", "Welcome! Please go ahead.")
    return {
        Status.ALREADY_CHECKED_IN: QCoreApplication.translate("VerdictCard", "This badge was already used to enter. Check the person's ID before letting them in."),
        Status.UNKNOWN: QCoreApplication.translate("VerdictCard", "Not a badge of this event — search by name or check the code."),
        Status.FORGED: QCoreApplication.translate("VerdictCard", "Do not admit on this badge. Check the person's ID and search by name."),
        Status.REVOKED: QCoreApplication.translate("VerdictCard", "This badge is no longer valid. Search the person by name; print a new badge if they are registered."),
        Status.WRONG_EVENT: QCoreApplication.translate("VerdictCard", "A badge of another event. Search the person by name."),
        Status.NOT_ALLOWED: QCoreApplication.translate("VerdictCard", "This badge type is not admitted here. Tell the person where they may go."),
        Status.LEAD_SAVED: QCoreApplication.translate("VerdictCard", "The contact was added to your leads."),
        Status.LEAD_UPDATED: QCoreApplication.translate("VerdictCard", "You already had this contact; the new scan was added to it."),
    }[verdict.status]


def reason_text(verdict: Verdict) -> str:
    """Why a badge was refused, for staff (the machine code in `detail` in plain words)."""
    detail = verdict.detail or ""
    translate = QCoreApplication.translate
    if verdict.status is Status.REVOKED:
        return {"lost": translate("VerdictCard", "Reason: reported lost"),
                "reprinted": translate("VerdictCard", "Reason: an older badge: a new one was printed"),
                "cancelled": translate("VerdictCard", "Reason: registration cancelled"),
                }.get(detail, translate("VerdictCard", "Reason: revoked by the organisers"))
    if verdict.status is Status.NOT_ALLOWED and detail.startswith("type:"):
        return translate("VerdictCard", "Reason: %1 badges are not admitted at this point") \
            .replace("%1", badge_type_name(detail[5:]))
    if verdict.status is Status.WRONG_EVENT and detail.startswith("event:"):
        return translate("VerdictCard", "Reason: the badge is for event %1").replace("%1", detail[6:])
    if verdict.status is Status.FORGED:
        if detail == "malformed":
            return translate("VerdictCard", "Reason: the code is damaged")
        return translate("VerdictCard", "Reason: the signature does not match our keys")
    return ""


# badge type -> (English, Chinese), where the event file words a type its own way (staff as "CREW")
_event_badge_names: dict[str, tuple[str, str]] = {}


def use_event_badge_types(types) -> None:
    """Take the event's badge-type wording (kiosk.eventdata.BadgeType); the default wording stays translated."""
    _event_badge_names.clear()
    defaults = {d.id: d for d in DEFAULT_BADGE_TYPES}
    for b in types:
        d = defaults.get(b.id)
        if d is not None and (b.label, b.label_zh) != (d.label, d.label_zh):
            _event_badge_names[b.id] = (b.label, b.label_zh or b.label)


def badge_type_name(badge_type: str) -> str:
    if badge_type in _event_badge_names:
        en, zh = _event_badge_names[badge_type]
        return zh if QLocale().language() == QLocale.Language.Chinese else en
    return {
        "attendee": QCoreApplication.translate("VerdictCard", "Attendee"), "vip": QCoreApplication.translate("VerdictCard", "VIP"), "speaker": QCoreApplication.translate("VerdictCard", "Speaker"), "press": QCoreApplication.translate("VerdictCard", "Press"),
        "exhibitor": QCoreApplication.translate("VerdictCard", "Exhibitor"), "staff": QCoreApplication.translate("VerdictCard", "Staff"),
    }.get(badge_type, badge_type)


def local_time(iso: str) -> str:
    """An ISO time from the store, at the venue, in the current language's short date-time form."""
    return venuetime.date_time(iso)


# -- sounds -----------------------------------------------------------------------------------
def _tone(freqs: list[tuple[float, float]], rate: int = 22050, volume: float = 0.4) -> bytes:
    frames = bytearray()
    for freq, seconds in freqs:
        n = int(rate * seconds)
        for i in range(n):
            fade = min(1.0, i / 200, (n - i) / 200)  # no clicks at the edges
            value = volume * fade * math.sin(2 * math.pi * freq * i / rate) if freq else 0.0
            frames += struct.pack("<h", int(value * 32767))
    return bytes(frames)


def ensure_sounds(folder: Path | None = None) -> dict[str, Path]:
    """Write the feedback sounds if they are missing (small mono 16-bit WAVs)."""
    folder = folder or paths.assets() / "sounds"
    plan = {"ok": [(880, 0.09), (0, 0.03), (1320, 0.14)],
            "refuse": [(220, 0.18), (0, 0.06), (220, 0.18)],
            "undo": [(660, 0.08), (0, 0.02), (440, 0.12)]}  # falling and soft: neither success nor refusal
    out = {}
    for name, tones in plan.items():
        path = folder / f"{name}.wav"
        if not path.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                with wave.open(str(path), "wb") as w:
                    w.setnchannels(1)
                    w.setsampwidth(2)
                    w.setframerate(22050)
                    w.writeframes(_tone(tones))
            except OSError as exc:
                log.warning("cannot write %s: %s", path, exc)
        out[name] = path
    return out


def sound_for(verdict: Verdict) -> str:
    """Which sound a verdict plays: an undone check-in has its own, never the check-in's "ok"."""
    if style_key(verdict) == "undone":
        return "undo"
    return "ok" if verdict.status.accepted else "refuse"


class Sounds:
    """QSoundEffect when QtMultimedia loads (created on first use: it is slow to load), else a beep."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._effects: dict[str, object] | None = None
        self.played: list[str] = []  # what was asked for, for tests and diagnostics

    def _load(self) -> dict[str, object]:
        effects: dict[str, object] = {}
        try:
            from PySide6.QtMultimedia import QSoundEffect
            for name, path in ensure_sounds().items():
                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.8)
                effects[name] = effect
        except Exception as exc:  # no QtMultimedia or no audio back end: beep instead
            log.info("sound effects unavailable (%s); using the system beep", exc)
        return effects

    def play(self, name: str) -> None:
        self.played.append(name)
        if not self.enabled:
            return
        if self._effects is None:
            self._effects = self._load()
        effect = self._effects.get(name)
        if effect is not None:
            effect.play()
        else:
            QApplication.beep()


# -- widgets ----------------------------------------------------------------------------------
class VerdictIcon(QWidget):
    """A drawn symbol whose shape carries the verdict for people who cannot tell the colours apart."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = "tick"
        self.colour = QColor("#ffffff")
        self.setFixedSize(220, 220)

    def set_kind(self, kind: str, colour: str) -> None:
        self.kind, self.colour = kind, QColor(colour)
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 16
        r = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        pen = QPen(self.colour, side / 11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        x, y, s = r.x(), r.y(), side
        if self.kind == "warn":
            tri = QPainterPath(QPointF(x + s / 2, y + s * 0.06))
            tri.lineTo(x + s * 0.96, y + s * 0.9)
            tri.lineTo(x + s * 0.04, y + s * 0.9)
            tri.closeSubpath()
            p.drawPath(tri)
            p.drawLine(QPointF(x + s / 2, y + s * 0.36), QPointF(x + s / 2, y + s * 0.6))
            p.drawPoint(QPointF(x + s / 2, y + s * 0.76))
            return
        p.drawEllipse(r.adjusted(s * 0.05, s * 0.05, -s * 0.05, -s * 0.05))
        if self.kind == "tick":
            path = QPainterPath(QPointF(x + s * 0.28, y + s * 0.52))
            path.lineTo(x + s * 0.44, y + s * 0.68)
            path.lineTo(x + s * 0.72, y + s * 0.34)
            p.drawPath(path)
        elif self.kind == "cross":
            p.drawLine(QPointF(x + s * 0.33, y + s * 0.33), QPointF(x + s * 0.67, y + s * 0.67))
            p.drawLine(QPointF(x + s * 0.67, y + s * 0.33), QPointF(x + s * 0.33, y + s * 0.67))
        elif self.kind == "undo":  # ↶: an arc over the top, its arrow head at the left end
            p.drawArc(r.adjusted(s * 0.25, s * 0.3, -s * 0.25, -s * 0.2), 0, 180 * 16)
            p.drawLine(QPointF(x + s * 0.75, y + s * 0.55), QPointF(x + s * 0.75, y + s * 0.7))
            head = QPainterPath(QPointF(x + s * 0.15, y + s * 0.45))
            head.lineTo(x + s * 0.25, y + s * 0.6)
            head.lineTo(x + s * 0.37, y + s * 0.47)
            p.drawPath(head)
        elif self.kind == "repeat":
            p.drawArc(r.adjusted(s * 0.25, s * 0.25, -s * 0.25, -s * 0.25), 90 * 16, 270 * 16)
            head = QPainterPath(QPointF(x + s * 0.5, y + s * 0.17))
            head.lineTo(x + s * 0.62, y + s * 0.25)
            head.lineTo(x + s * 0.5, y + s * 0.33)
            p.drawPath(head)
        else:  # question
            path = QPainterPath(QPointF(x + s * 0.36, y + s * 0.38))
            path.cubicTo(x + s * 0.36, y + s * 0.18, x + s * 0.66, y + s * 0.18, x + s * 0.64, y + s * 0.38)
            path.cubicTo(x + s * 0.62, y + s * 0.5, x + s * 0.5, y + s * 0.48, x + s * 0.5, y + s * 0.6)
            p.drawPath(path)
            p.drawPoint(QPointF(x + s * 0.5, y + s * 0.76))


class VerdictCard(QFrame):
    """Signals:
        dismissed(): the card went away (timeout, tap or clear()).
    """

    dismissed = Signal()

    def __init__(self, sounds: Sounds | None = None, device_id: str = "", seconds: int = 8,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("verdictCard")
        self.setAutoFillBackground(True)
        self.sounds = sounds or Sounds(enabled=False)
        self.device_id = device_id
        self.verdict: Verdict | None = None
        self.timer = QTimer(self)
        self.timer.setObjectName("verdict-timer")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear)
        self.set_timeout(seconds)

        self.icon = VerdictIcon()
        self.headline = self._label(64, bold=True)
        self.step = self._label(28)
        self.name = self._label(48, bold=True)
        self.name_zh = self._label(48, bold=True)
        self.organisation = self._label(28)
        self.badge = self._label(26, bold=True)
        self.flag = self._label(28, bold=True)
        self.flag.setObjectName("verdictFlag")
        self.previous = self._label(26)
        self.reason = self._label(26)
        self.reason.setObjectName("verdictReason")
        self.handoff = self._label(24)
        self.hint = self._label(18)
        text = QVBoxLayout()
        text.setSpacing(10)
        for w in (self.headline, self.step, self.name, self.name_zh, self.organisation, self.badge,
                  self.flag, self.previous, self.reason, self.handoff):
            text.addWidget(w)
        text.addStretch(1)
        text.addWidget(self.hint)
        row = QHBoxLayout(self)
        row.setContentsMargins(60, 50, 60, 40)
        row.setSpacing(50)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.hide()

    @staticmethod
    def _label(points: int, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        font = theme.app_font(points)
        font.setBold(bold)
        label.setFont(font)
        return label

    def set_timeout(self, seconds: int) -> None:
        self.timer.setInterval(max(1, int(seconds)) * 1000)

    def show_verdict(self, verdict: Verdict, sound: bool = True) -> None:
        self.verdict = verdict
        self._fill()
        self.show()
        self.raise_()
        self.timer.start()
        if sound:
            self.sounds.play(sound_for(verdict))

    def clear(self) -> None:
        self.timer.stop()
        was_shown = self.verdict is not None
        self.verdict = None
        self.hide()
        if was_shown:
            self.dismissed.emit()

    def retranslate(self) -> None:
        if self.verdict is not None:
            self._fill()

    def texts(self) -> list[str]:
        """Every visible line, for tests and screen readers."""
        return [w.text() for w in (self.headline, self.step, self.name, self.name_zh, self.organisation,
                                   self.badge, self.flag, self.previous, self.reason, self.handoff)
                if w.isVisibleTo(self)
                and w.text()]

    def _fill(self) -> None:
        v = self.verdict
        style = theme.VERDICT_STYLES.get(style_key(v), theme.VERDICT_STYLES["unknown"])
        self.setStyleSheet(f"#verdictCard {{ background: {style.background}; }} "
                           f"#verdictCard QLabel {{ color: {style.foreground}; }} "
                           "#verdictCard QLabel#verdictFlag { color: #7a1f00; background: #fff3cd; "
                           "border-radius: 10px; padding: 6px 14px; }")
        self.icon.set_kind(style.icon, style.foreground)
        self.headline.setText(headline(v))
        self.step.setText(next_step(v))
        person = v.attendee
        self._set(self.name, person.name if person else "")
        self._set(self.name_zh, person.name_zh if person else "")
        self._set(self.organisation, person.organisation if person else "")
        self._set(self.badge, badge_type_name(person.badge_type) if person and person.badge_type else "")
        flags = []
        if person and person.badge_type == "vip":
            flags.append(QCoreApplication.translate("VerdictCard", "★ VIP guest"))
        if person and person.attention:
            flags.append(QCoreApplication.translate("VerdictCard", "Needs attention: %1").replace("%1", person.attention))
        self._set(self.flag, "   ".join(flags))
        previous = ""
        if v.status is Status.ALREADY_CHECKED_IN and v.previous_time:
            device = v.previous_device or "?"
            where = QCoreApplication.translate("VerdictCard", "this desk") if device == self.device_id else device
            previous = QCoreApplication.translate("VerdictCard", "First checked in: %1 at %2").replace("%1", local_time(v.previous_time)) \
                .replace("%2", where)
        self._set(self.previous, previous)
        self._set(self.reason, reason_text(v))
        self._set(self.handoff, QCoreApplication.translate("VerdictCard", "Hand-off code for the desk: %1").replace("%1", v.handoff)
                  if v.handoff and not v.status.accepted else "")
        self.hint.setText(QCoreApplication.translate("VerdictCard", "Tap to close"))

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clear()
        event.accept()

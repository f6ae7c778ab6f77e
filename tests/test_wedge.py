"""USB wedge scanner detection.

The rules (`kiosk.wedge_detect`) are tested without Qt; the filter (`ui.wedge`) with real Qt
widgets, keys addressed to the window handle as a scanner's are, each with an explicit
window-system timestamp (`QKeyEvent.setTimestamp`). The matrix drives every key gap from a
scanner's 2 ms to a person's 120 ms, with a text field focused or not and with or without
Enter, twice: paced in wall-clock time as typed, and all delivered at once after a GUI-thread
pause (the keys keep their original timestamps).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk import notify
from kiosk.models import Scan
from kiosk.wedge_detect import Found, Replay, WedgeDetector, layout_suspect, normalise
from ui.scanstream import ScanStream
from ui.wedge import WedgeFilter

SIGNED = "FK1:6BFOXN*TS0BI$ZD.P9 -/%+:"  # the Base45 alphabet's shifted characters and space
PLAIN = "REG-000123"
SCANNER_GAPS = (2, 4, 8, 15, 30)
PERSON_GAPS = (60, 120)

_NAMED = {":": Qt.Key.Key_Colon, "-": Qt.Key.Key_Minus, " ": Qt.Key.Key_Space, "$": Qt.Key.Key_Dollar,
          "%": Qt.Key.Key_Percent, "*": Qt.Key.Key_Asterisk, "+": Qt.Key.Key_Plus, ".": Qt.Key.Key_Period,
          "/": Qt.Key.Key_Slash, "]": Qt.Key.Key_BracketRight}
_SHIFTED = set(':$%*+') | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def qt_key(ch: str) -> int:
    if ch.isascii() and ch.isalnum():
        return getattr(Qt.Key, f"Key_{ch.upper()}")
    return _NAMED.get(ch, Qt.Key.Key_unknown)


def key_events(text: str, start_ms: int, gap_ms: float, enter: bool = False,
               caps_lock: bool = False) -> list[tuple[int, QKeyEvent, QKeyEvent]]:
    """(press time, press, release) per key, as a US-layout scanner types: Shift for capitals."""
    out = []
    t = float(start_ms)
    for ch in text:
        mods = Qt.KeyboardModifier.ShiftModifier if ch in _SHIFTED else Qt.KeyboardModifier.NoModifier
        typed = ch.swapcase() if caps_lock and ch.isalpha() else ch
        out.append((round(t), qt_key(ch), mods, typed))
        t += gap_ms
    if enter:
        out.append((round(t), Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))
    events = []
    for at, key, mods, typed in out:
        press = QKeyEvent(QEvent.Type.KeyPress, key, mods, typed)
        press.setTimestamp(at)
        release = QKeyEvent(QEvent.Type.KeyRelease, key, mods, typed)
        release.setTimestamp(at + 1)
        events.append((at, press, release))
    return events


def type_paced(window, events) -> None:
    """Deliver each key when it is pressed, by the wall clock (the event loop runs in between)."""
    last = None
    for at, press, release in events:
        if last is not None and at > last:
            QTest.qWait(at - last)
        QApplication.sendEvent(window, press)
        QApplication.sendEvent(window, release)
        last = at


def type_bunched(window, events) -> None:
    """The GUI thread was busy while the keys were typed: all of them are queued, then delivered at once."""
    for _at, press, release in events:
        QApplication.postEvent(window, press)
        QApplication.postEvent(window, release)
    QApplication.processEvents()


@pytest.fixture
def form(qtbot):
    w = QWidget()
    lay = QVBoxLayout(w)
    edit = QLineEdit()
    button = QPushButton("Save")
    lay.addWidget(edit)
    lay.addWidget(button)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    return w, edit, button


@pytest.fixture
def wedge(qapp):
    f = WedgeFilter(max_gap_ms=45, min_length=4, pause_ms=100)
    f.install(qapp)
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    yield f, scans
    f.uninstall(qapp)


def settle(qtbot, f: WedgeFilter) -> None:
    qtbot.waitUntil(lambda: not f.detector.holding and not f._timer.isActive(), timeout=3000)


# ---- the matrix, through the real QApplication event path -------------------------------------

@pytest.mark.parametrize("deliver", [type_paced, type_bunched], ids=["paced", "bunched"])
@pytest.mark.parametrize("enter", [True, False], ids=["enter", "no-enter"])
@pytest.mark.parametrize("focused", [True, False], ids=["field", "no-field"])
@pytest.mark.parametrize("gap", SCANNER_GAPS + PERSON_GAPS)
def test_matrix(qtbot, form, wedge, gap, focused, enter, deliver):
    w, edit, button = form
    f, scans = wedge
    returns: list[int] = []
    edit.returnPressed.connect(lambda: returns.append(1))
    if not focused:
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
    code = SIGNED if gap <= 15 else PLAIN  # the long code at the fast gaps keeps the slow cells short
    deliver(w.windowHandle(), key_events(code, 1_000_000, gap, enter))
    settle(qtbot, f)
    if gap in SCANNER_GAPS:
        assert [s.code for s in scans] == [code]
        assert edit.text() == "" and returns == []
    else:
        assert scans == []
        assert edit.text() == (code if focused else "")
        assert returns == ([1] if focused and enter else [])


def test_a_person_then_a_scan_then_a_person_all_delivered_late(qtbot, form, wedge):
    w, edit, _ = form
    f, scans = wedge
    events = (key_events("ab", 1000, 120) + key_events(PLAIN, 1400, 4, enter=True)
              + key_events("cd", 1600, 120))
    type_bunched(w.windowHandle(), events)
    settle(qtbot, f)
    assert [s.code for s in scans] == [PLAIN]
    assert edit.text() == "abcd"


def test_a_code_typed_by_hand_at_70_ms_is_typing_not_fragments(qtbot, form, wedge):
    w, edit, _ = form
    f, scans = wedge
    type_bunched(w.windowHandle(), key_events(PLAIN, 5000, 70, enter=True))
    settle(qtbot, f)
    assert scans == [] and edit.text() == PLAIN


def test_a_note_at_120_ms_delivered_in_bunches_is_never_cut(qtbot, form, wedge):
    w, edit, _ = form
    f, scans = wedge
    note = "Wants demo of BTK-200 next week"
    events = key_events(note, 9000, 120)
    for i in range(0, len(events), 7):  # the GUI thread catches up seven keys at a time
        type_bunched(w.windowHandle(), events[i:i + 7])
    settle(qtbot, f)
    assert scans == [] and edit.text() == note


def test_tab_terminator_is_swallowed_so_focus_stays(qtbot, form, wedge):
    w, edit, button = form
    _f, scans = wedge
    events = key_events("FK1:ABC123", 100, 5)
    tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier, "\t")
    tab.setTimestamp(155)
    type_paced(w.windowHandle(), events)
    QApplication.sendEvent(w.windowHandle(), tab)
    assert [s.code for s in scans] == ["FK1:ABC123"]
    assert edit.hasFocus() and not button.hasFocus() and edit.text() == ""


def test_caps_lock_on_still_reads_the_code(qtbot, form, wedge):
    w, edit, _ = form
    f, scans = wedge
    type_bunched(w.windowHandle(), key_events(SIGNED, 100, 4, enter=True, caps_lock=True)
                 + key_events("REG-42ab", 500, 4, enter=True, caps_lock=True))
    settle(qtbot, f)
    assert [s.code for s in scans] == [SIGNED, "REG-42ab"]
    assert edit.text() == ""


def test_a_symbology_prefix_is_dropped(qtbot, form, wedge):
    w, _edit, _ = form
    f, scans = wedge
    type_bunched(w.windowHandle(), key_events("]Q1" + PLAIN, 100, 3, enter=True))
    settle(qtbot, f)
    assert [s.code for s in scans] == [PLAIN]


def test_the_venues_configured_prefix_is_dropped_and_typing_after_it_is_kept(qtbot, form, wedge):
    w, edit, _ = form
    f, scans = wedge
    f.detector.prefix = "#!"  # what KIOSK_WEDGE_PREFIX sets: the scanners send it before every code
    edit.setFocus()
    type_bunched(w.windowHandle(), key_events("#!" + PLAIN, 100, 4, enter=True)
                 + key_events("#!]Q1" + SIGNED, 600, 15) + key_events("note", 2000, 120))
    settle(qtbot, f)
    assert [s.code for s in scans] == [PLAIN, SIGNED]
    assert edit.text() == "note"


def test_the_prefix_setting_reaches_the_filter(monkeypatch):
    from kiosk import config

    monkeypatch.setenv("KIOSK_WEDGE_PREFIX", "#")
    assert config.load(None).wedge_prefix == "#"
    assert normalise(list("#ABC123"), [False] * 7, "#") == "ABC123"
    assert normalise(list("ABC#123"), [False] * 7, "#") == "ABC#123"  # only in front


def test_other_keyboard_layout_is_scanned_with_a_message_naming_the_cause(qtbot, form, wedge):
    w, edit, _ = form
    f, scans = wedge
    messages: list[tuple[str, str]] = []
    unsubscribe = notify.subscribe(lambda level, text: messages.append((level, text)))
    try:
        garbled = "FK1Ö6BFOXN(TS0BI$ZD-P9"  # a US scanner on a German computer: ':' -> 'Ö', '*' -> '(', ...
        type_bunched(w.windowHandle(), key_events(garbled, 100, 4, enter=True))
        settle(qtbot, f)
    finally:
        unsubscribe()
    assert [s.code for s in scans] == [garbled]
    assert len(messages) == 1 and messages[0][0] == "warning" and "keyboard layout" in messages[0][1]
    assert edit.text() == ""


def test_keys_sent_to_the_widget_itself_are_left_alone(qtbot, form, wedge):
    """Only events addressed to the QWindow are counted, so each key is seen once."""
    _w, edit, _ = form
    _f, scans = wedge
    qtbot.keyClicks(edit, "REG-000999")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "REG-000999"
    assert scans == []


def test_events_without_timestamp_are_timed_on_arrival(qtbot, form, qapp):
    """Keys made by code carry timestamp 0: the clock times them (microseconds apart: a scan)."""
    w, edit, _ = form
    f = WedgeFilter(max_gap_ms=45, min_length=4, pause_ms=100)
    f.install(qapp)
    try:
        with qtbot.waitSignal(f.scanned, timeout=2000) as sig:
            for ch in "REG-7":
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(w.windowHandle(),
                                           QKeyEvent(kind, qt_key(ch), Qt.KeyboardModifier.NoModifier, ch))
        assert sig.args[0].code == "REG-7" and edit.text() == ""
    finally:
        f.uninstall(qapp)


def test_scan_stream_merges_sources_with_one_debounce(qtbot, form, wedge):
    class Clock:
        t = 1000.0

        def __call__(self) -> float:
            return self.t

    f, _ = wedge
    clock = Clock()
    stream = ScanStream(wedge=f, debounce_seconds=3.0, clock=clock)
    got: list[Scan] = []
    stream.scan.connect(got.append)
    f.scanned.emit(Scan("REG-1", "wedge", clock.t))
    stream.submit(Scan("REG-1", "camera", clock.t))  # same badge at the camera: one scan
    clock.t += 1.0
    stream.submit(Scan("REG-1", "camera", clock.t))  # still in view
    stream.submit_typed("  REG-2 ")
    stream.submit_typed("REG-2")  # staff pressed Enter twice on purpose: passed on
    clock.t += 5.0
    stream.submit(Scan("REG-1", "camera", clock.t))  # came back after a while: a new scan
    stream.submit_typed("   ")
    assert [(s.code, s.source) for s in got] == [
        ("REG-1", "wedge"), ("REG-2", "typed"), ("REG-2", "typed"), ("REG-1", "camera")]


# ---- the rules, without Qt ----------------------------------------------------------------------

def feed(det: WedgeDetector, text: str, start: float, gaps) -> list:
    out, t = [], start
    gaps = list(gaps) if not isinstance(gaps, (int, float)) else [gaps] * len(text)
    for i, ch in enumerate(text):
        out += det.key(ch, t, ch.isupper(), item=ch)
        t += gaps[i]
    return out


def test_rules_a_fast_typists_rolled_over_pairs_are_a_person():
    det = WedgeDetector(45, 4, 100)
    out = feed(det, "abcdefgh", 0, [30, 90] * 4)  # never four keys in a row within 45 ms
    out += det.timeout()
    assert all(isinstance(d, Replay) for d in out)
    assert "".join("".join(d.items) for d in out) == "abcdefgh"


def test_rules_a_scanner_with_one_slow_key_in_the_middle_is_not_cut_into_fragments_below_min_length():
    det = WedgeDetector(45, 4, 100)
    out = feed(det, "REG-000123", 0, [10] * 9 + [10])
    decisions, swallow = det.terminator(100)
    assert out == [] and swallow and decisions == [Found("REG-000123", 90, False)]


def test_rules_terminator_after_a_short_burst_passes_through_and_replays():
    det = WedgeDetector(45, 4, 100)
    feed(det, "ok", 0, 10)
    decisions, swallow = det.terminator(25)
    assert not swallow and decisions == [Replay(("o", "k"))]


def test_rules_a_clock_going_backwards_starts_a_new_burst():
    det = WedgeDetector(45, 4, 100)
    out = feed(det, "ab", 1000, 5) + feed(det, "cd", 10, 5)
    assert out == [Replay(("a", "b"))]


def test_rules_wait_is_short_for_a_person_and_the_pause_for_a_scan():
    det = WedgeDetector(45, 4, 100)
    assert det.wait_ms() == 0
    feed(det, "ab", 0, 5)
    assert det.wait_ms() == 90
    feed(det, "cd", 10, 5)
    assert det.wait_ms() == 100


def test_rules_normalise_and_layout_suspect():
    assert normalise(list("fk1:abc"), [True, True, False, True, True, True, True]) == "FK1:ABC"  # Caps Lock
    assert normalise(list("fk1:abc"), [False] * 7) == "FK1:ABC"  # a scanner that compensated for Caps Lock
    assert normalise(list("ab-12"), [False] * 5) == "ab-12"  # a plain lower-case code stays as it is
    assert normalise(list("]C1REG-1"), [False] * 8) == "REG-1"
    assert layout_suspect("FK1Ö6BFOXN") and layout_suspect("FK&:6BFOXN") and layout_suspect("FKH;ABCDEF")
    assert not layout_suspect("FK1:6BFOXN") and not layout_suspect("FKH:ABCDEF") and not layout_suspect("FKA")
    assert not layout_suspect("REG-000123")


# ---- a fixed subset of ./run bench wedge: real wall-clock typing from another thread ----------

@pytest.mark.parametrize(("gap", "focused", "enter"), [(2, True, True), (30, True, False), (30, False, True),
                                                      (60, True, True), (120, False, False)])
def test_bench_subset_typed_in_real_time_through_the_event_queue(qtbot, qapp, gap, focused, enter):
    from tests.bench.wedge import Bench

    bench = Bench(qapp)
    qtbot.addWidget(bench.w)
    qtbot.waitExposed(bench.w)
    f = WedgeFilter(45, 4, 100)
    f.install(qapp)
    try:
        assert bench.one(f, lambda f: f.detector.holding, gap, focused, enter)
    finally:
        f.uninstall(qapp)


_WITH_VIRTUAL_KEYBOARD = r'''
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
from ui.wedge import WedgeFilter
edit = QLineEdit(); edit.show(); QTest.qWaitForWindowExposed(edit); edit.setFocus(); app.processEvents()
f = WedgeFilter(45, 4, 100); f.install(app); scans = []; f.scanned.connect(lambda s: scans.append(s.code))
def post(ch, key, at):
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        ev = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch); ev.setTimestamp(at)
        app.postEvent(edit.windowHandle(), ev)
for i, ch in enumerate("REG-000123"):
    post(ch, Qt.Key.Key_R, 1000 + 5 * i)
post("\r", Qt.Key.Key_Return, 1050)
for i, ch in enumerate("abc"):
    post(ch, Qt.Key.Key_A, 2000 + 120 * i)
app.processEvents(); QTest.qWait(400); f.uninstall(app)
print(app.inputMethod().__class__.__name__, scans, repr(edit.text()))
'''


def test_with_the_on_screen_keyboards_input_method_a_focused_field_still_gets_scans_and_typing():
    """QT_IM_MODULE=qtvirtualkeyboard: hardware keys still come as key events (its filterEvent only
    commits its own pre-edit), so the filter sees them with their timestamps."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", _WITH_VIRTUAL_KEYBOARD], capture_output=True, text=True,
                         env=env, cwd=root, timeout=60, check=False)
    assert out.stdout.strip().splitlines()[-1] == "QInputMethod ['REG-000123'] 'abc'", out.stderr[-2000:]


def test_the_layout_message_is_translated(qapp):
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import Translations

    tr = Translations()
    tr.set_language("zh_CN")
    try:
        text = QCoreApplication.translate(
            "WedgeFilter", "The scanner's keyboard layout differs from this computer's: set both to the same "
                           "layout (US is safest). The code read was {code}")
        assert "键盘布局" in text and "{code}" in text
    finally:
        tr.set_language("en")

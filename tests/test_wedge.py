"""USB wedge scanner filter with real Qt widgets: keys go to the window handle, as a scanner's would."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.models import Scan
from ui.scanstream import ScanStream
from ui.wedge import WedgeFilter


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


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
    clock = Clock()
    f = WedgeFilter(max_gap_ms=50, min_length=4, pause_ms=120, clock=clock)
    f.install(qapp)
    yield f, clock
    f.uninstall(qapp)


def type_keys(window, text: str, clock: Clock, gap_s: float) -> None:
    for ch in text:
        clock.t += gap_s
        QTest.keyClick(window, ch)


def test_scanner_burst_with_enter_is_one_scan_and_never_reaches_the_field(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    type_keys(w.windowHandle(), "REG-000123", clock, 0.008)
    clock.t += 0.008
    QTest.keyClick(w.windowHandle(), Qt.Key.Key_Return)
    assert [s.code for s in scans] == ["REG-000123"]
    assert scans[0].source == "wedge"
    assert not f._timer.isActive()  # nothing is held back that its timer could replay into the field later
    assert edit.text() == ""
    assert len(scans) == 1


def test_tab_terminator_is_swallowed_so_focus_stays(qtbot, form, wedge):
    w, edit, button = form
    f, clock = wedge
    with qtbot.waitSignal(f.scanned, timeout=1000) as sig:
        type_keys(w.windowHandle(), "FK1:ABC123", clock, 0.005)
        clock.t += 0.005
        QTest.keyClick(w.windowHandle(), Qt.Key.Key_Tab)
    assert sig.args[0].code == "FK1:ABC123"
    assert edit.hasFocus() and not button.hasFocus()
    assert edit.text() == ""


def test_person_typing_reaches_the_field_in_order_and_is_not_a_scan(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    type_keys(w.windowHandle(), "Chen Mei", clock, 0.140)
    clock.t += 0.5
    qtbot.waitUntil(lambda: edit.text() == "Chen Mei", timeout=2000)
    clock.t += 0.01
    QTest.keyClick(w.windowHandle(), Qt.Key.Key_Return)
    assert scans == []


def test_fast_typist_near_the_threshold_is_still_a_person(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    # Two quick keys now and then (key rollover), but never four in a row within 50 ms.
    for i, ch in enumerate("abcdefgh"):
        clock.t += 0.03 if i % 2 else 0.09
        QTest.keyClick(w.windowHandle(), ch)
    clock.t += 0.5
    qtbot.waitUntil(lambda: edit.text() == "abcdefgh", timeout=2000)
    assert scans == []


def test_scanner_without_terminator_ends_on_pause(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
    with qtbot.waitSignal(f.scanned, timeout=2000) as sig:
        type_keys(w.windowHandle(), "REG-777", clock, 0.01)
        clock.t += 0.3  # the pause, as the filter's timer sees it
    assert sig.args[0].code == "REG-777"
    assert edit.text() == ""


def test_short_fast_burst_is_replayed_not_scanned(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    type_keys(w.windowHandle(), "ok", clock, 0.01)
    clock.t += 0.01
    QTest.keyClick(w.windowHandle(), Qt.Key.Key_Return)
    assert edit.text() == "ok"
    assert scans == []


def test_person_then_scan_then_person(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    type_keys(w.windowHandle(), "ab", clock, 0.2)
    clock.t += 0.2
    type_keys(w.windowHandle(), "REG-42", clock, 0.006)
    clock.t += 0.006
    QTest.keyClick(w.windowHandle(), Qt.Key.Key_Return)
    type_keys(w.windowHandle(), "cd", clock, 0.2)
    clock.t += 0.5
    qtbot.waitUntil(lambda: edit.text() == "abcd", timeout=2000)
    assert [s.code for s in scans] == ["REG-42"]


def test_keys_sent_to_the_widget_itself_are_left_alone(qtbot, form, wedge):
    """Only events addressed to the QWindow are counted, so each key is seen once."""
    w, edit, _ = form
    f, clock = wedge
    scans: list[Scan] = []
    f.scanned.connect(scans.append)
    qtbot.keyClicks(edit, "REG-000999")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "REG-000999"
    assert scans == []


def test_scan_stream_merges_sources_with_one_debounce(qtbot, form, wedge):
    w, edit, _ = form
    f, clock = wedge
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

"""Guards against a Qt binding that leaks references to None.

PySide6 6.12.0 on CPython 3.11 drops one reference to None on every call of a Qt method
that returns nothing; a kiosk makes thousands of such calls a minute and the interpreter
aborts ("none_dealloc") within minutes. pyproject.toml keeps PySide6 below 6.12; this test
fails loudly if an upgrade brings the bug back.
"""
import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_do_not_leak_none(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.setObjectName("probe")
        widget.resize(10, 10)
    assert sys.getrefcount(None) >= before - 50

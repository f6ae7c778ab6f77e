"""Translations: every catalogue finished, compiled .qm loads, live switch, locale forms, CJK font."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics

from kiosk import paths
from tests.shell_fixtures import kiosk, kiosk_db  # noqa: F401
from ui import i18n, theme

CATALOGUES = sorted((paths.assets() / "i18n").glob("*.ts"))


def test_there_is_a_shell_catalogue():
    assert paths.assets() / "i18n" / "shell_zh_CN.ts" in CATALOGUES


@pytest.mark.parametrize("ts", CATALOGUES, ids=lambda p: p.name)
def test_no_unfinished_or_empty_translation(ts):
    root = ET.parse(ts).getroot()
    bad = []
    for message in root.iter("message"):
        tr = message.find("translation")
        text = "".join(tr.itertext()).strip()
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not text:
            bad.append(message.find("source").text)
        elif "%1" in message.find("source").text and "%1" not in text:
            bad.append(f"lost %1: {message.find('source').text}")
    assert not bad, f"{ts.name}: {bad}"


def test_build_compiles_every_catalogue():
    assert i18n.build() == 0
    for ts in CATALOGUES:
        assert ts.with_suffix(".qm").stat().st_mtime >= ts.stat().st_mtime


def test_language_button_switches_every_screen_live(kiosk, qtbot):
    w, desk = kiosk.window, kiosk.desk
    assert desk.undo_button.text() == "Undo last check-in"
    qtbot.mouseClick(w.top_bar.language, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.undo_button.text() == "撤销上一次签到")
    assert kiosk.translations.language == "zh_CN"
    assert w.top_bar.language.text() == "English"
    assert "入场" in w.top_bar.point.text()
    assert kiosk.admin.pad.title.text() == "工作人员 PIN"
    assert desk.search.placeholderText() == "搜索姓名、单位、拼音或编码"
    qtbot.mouseClick(w.top_bar.language, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.undo_button.text() == "Undo last check-in")
    assert w.top_bar.language.text() == "中文"


def test_verdict_on_screen_follows_the_language(kiosk, qtbot):
    from kiosk.models import Scan
    kiosk.desk.handle_scan(Scan("NOPE-1", "typed"))
    qtbot.waitUntil(kiosk.desk.card.isVisible)
    assert "Badge not recognised" in kiosk.desk.card.texts()
    kiosk.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: "无法识别此胸卡" in kiosk.desk.card.texts())


def test_dates_and_numbers_follow_the_locale(kiosk, qtbot):
    from ui.verdict import local_time
    iso = "2023-11-18T01:05:00.000+00:00"
    english = local_time(iso)
    kiosk.translations.set_language("zh_CN")
    chinese = local_time(iso)
    # the event's zone (Beijing, +08:00), whatever the machine's; day-first English, not a US date
    assert english == "18/11/2023 09:05" and chinese == "2023/11/18 09:05"
    assert i18n.locale().toString(12345) == "12,345"


def test_chinese_renders_with_a_simplified_chinese_font(qapp):
    families = theme.register_fonts()
    assert any(f.startswith("Noto Sans CJK SC") for f in families) or \
        "Noto Sans CJK SC" in QFontDatabase.families()
    font = theme.app_font()
    assert font.families()[0] == "Noto Sans CJK SC"
    assert QFontInfo(font).family().startswith("Noto Sans CJK")
    metrics = QFontMetrics(font)
    for ch in "签到成功张伟贵宾":
        assert metrics.inFontUcs4(ord(ch)), ch


def test_the_camera_messages_follow_the_language(qapp):
    """The camera preview's words (shown on the desk, self check-in and leads) are in the catalogue."""
    from ui.camera import PreviewLabel

    translations = i18n.Translations()
    try:
        translations.set_language("zh_CN")
        label = PreviewLabel()
        assert label.state_text("no_camera") == "未找到摄像头——请使用 USB 扫码枪扫描或输入编码"
        label.deleteLater()
    finally:
        translations.set_language("en")

"""Exporting leads from the exhibitor screen: the touch folder picker finds USB sticks, and the
CSV (UTF-8 with BOM) and XLSX files open with the right columns and the Chinese text intact."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from kiosk import checkin, leads
from kiosk.checkin import DeviceContext
from kiosk.leadfile import COLUMNS
from tests.factories import PEOPLE, badge_for
from tests.shell_fixtures import start_kiosk
from tests.test_leads_ui import make_exhibitor_db, scan, unlock
from ui.lead_export import export_names, removable_volumes

ZHANG, MARIA, LI, WANG, CHEN = PEOPLE
HEADER = [title for _, title in COLUMNS]


def media_tree(tmp_path):
    """/media/USER/STICK and /run/media/USER/STICK as a desktop automounter lays them out."""
    media, run_media, home = tmp_path / "media", tmp_path / "run-media", tmp_path / "home"
    stick = media / "kiosk" / "SALES_USB"
    (stick / "2023 forum").mkdir(parents=True)
    (run_media / "kiosk" / "BACKUP").mkdir(parents=True)
    (media / "kiosk" / ".hidden").mkdir()
    home.mkdir()
    return (media, run_media), home, stick


def test_removable_volumes_lists_sticks_under_media_and_run_media(tmp_path):
    roots, _, stick = media_tree(tmp_path)
    assert [p.name for p in removable_volumes(roots)] == ["SALES_USB", "BACKUP"]
    assert removable_volumes((tmp_path / "nowhere",)) == []


def test_export_names_are_safe_on_any_file_system():
    assert export_names("EX01", "BeiGene", datetime(2023, 11, 18, 10, 30)) == "leads-EX01-BeiGene-20231118-1030"
    assert export_names("EX/02", "诺诚健华", datetime(2023, 11, 18, 9, 5)) == "leads-EX-02-20231118-0905"


@pytest.fixture
def booth_with_leads(qapp, qtbot, tmp_path):
    path, key = make_exhibitor_db(tmp_path)
    k = start_kiosk(qapp, qtbot, path, role="exhibitor")
    screen = k.window.screen("exhibitor")
    unlock(qtbot, screen)
    ctx = k.services.context
    for person in (ZHANG, MARIA):
        scan(qtbot, screen, badge_for(person, key))
    # another exhibitor's lead in the same file must never reach this exhibitor's export
    other = DeviceContext("ex-other", role="exhibitor", exhibitor_id="EX02")
    k.tasks.call_db(lambda s: checkin.check(s, badge_for(LI, key), other))
    zhang = next(lead for lead in k.tasks.call_db(lambda s: leads.list_leads(s, "EX01")) if lead.attendee_id == "A1")
    k.tasks.call_db(lambda s: leads.set_note(s, ctx, zhang.id, "想要演示，下周联系"))
    k.tasks.call_db(lambda s: leads.set_rating(s, ctx, zhang.id, 5))
    k.tasks.call_db(lambda s: leads.set_tags(s, ctx, zhang.id, ["wants demo", "决策人"]))
    return k, screen  # start_kiosk has qtbot stop it at teardown


def test_export_from_the_screen_to_a_usb_stick_as_csv_and_xlsx(booth_with_leads, qtbot, tmp_path):
    k, screen = booth_with_leads
    roots, home, stick = media_tree(tmp_path)
    page = screen.export_page
    page.media_roots, page.home = roots, home
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is page
    texts = [page.places.item(i).text() for i in range(page.places.count())]
    assert texts[:2] == ["USB stick: SALES_USB", "USB stick: BACKUP"] and texts[2].startswith("Home folder")
    assert not page.export_button.isEnabled()  # a place has to be chosen first
    qtbot.mouseClick(page.places.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.places.visualItemRect(page.places.item(0)).center())
    assert page.folder == stick and page.places.item(0).text() == "2023 forum"
    with qtbot.waitSignal(page.exported, timeout=10000) as done:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    written = {p.suffix: (p, n) for p, n in done.args[0]}
    assert set(written) == {".csv", ".xlsx"} and written[".csv"][1] == 2
    assert "2 leads saved to" in page.message.text()

    raw = written[".csv"][0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    by_name = {r[0]: dict(zip(HEADER, r)) for r in rows[1:]}
    assert set(by_name) == {"Zhang Wei", "Maria Rossi"}  # not Li Na: she is another exhibitor's lead
    zhang = by_name["Zhang Wei"]
    assert zhang["Chinese name"] == "张伟" and zhang["Notes"] == "想要演示，下周联系" and zhang["Rating"] == "5"
    assert "决策人" in zhang["Tags"] and "wants demo" in zhang["Tags"]
    assert zhang["Email"] == "zw@example.org" and by_name["Maria Rossi"]["Email"] == ""  # consent only

    sheet = load_workbook(written[".xlsx"][0], read_only=True).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert list(cells[0]) == HEADER
    xz = dict(zip(HEADER, next(r for r in cells[1:] if r[0] == "Zhang Wei")))
    assert xz["Chinese name"] == "张伟" and xz["Notes"] == "想要演示，下周联系" and xz["Rating"] == 5
    assert len(cells) == 3

    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    assert page.folder is None and page.places.count() == 3
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentIndex() == 1


def test_a_stick_pulled_out_gives_a_message_not_a_crash(booth_with_leads, qtbot, tmp_path):
    k, screen = booth_with_leads
    roots, home, stick = media_tree(tmp_path)
    page = screen.export_page
    page.media_roots, page.home = roots, home
    screen._open_export()
    page.enter(stick / "2023 forum")
    (stick / "2023 forum").rmdir()  # gone before the tap
    with qtbot.waitSignal(page.failed, timeout=10000):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert "Could not save the leads here" in page.message.text() and not page.busy
    assert page.export_button.isEnabled()


def test_export_page_forgets_everything_on_lock(booth_with_leads, qtbot, tmp_path):
    k, screen = booth_with_leads
    roots, home, stick = media_tree(tmp_path)
    page = screen.export_page
    page.media_roots, page.home = roots, home
    screen._open_export()
    page.enter(stick)
    screen.lock()
    assert page.folder is None and page.places.count() == 0 and page.exhibitor is None
    assert screen.pages.currentIndex() == 0

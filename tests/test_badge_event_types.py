"""Printed badges say what the event file calls each badge type, in its colour, and a name once.

The event file may word and colour the six badge types its own way (`staff` as CREW / 工作组, in
green); every printed badge follows it: the server's PDF (`kiosk-server badges`, `badge X.pdf`),
the single PNG (`badge X.png`) and the desk's Qt print. The zh preset fills name and name_zh
from the same 姓名 column: the badge prints that name once, not twice.
"""
from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

from PIL import Image

from entrypoints import server_cli
from kiosk import badgetemplates
from kiosk.badgelayout import TextLine, badge_text, layout
from kiosk.badgeprint import HEIGHT, badge_image
from kiosk.models import Attendee, Event
from sync.deskcalls import DeskCalls
from tests.factories import demo_event_store
from ui.badgepaint import QtMeasure
from ui.printing import BadgePrinter
from ui.tasks import TaskManager

GREEN = (0x00, 0xA8, 0x6B)
CREW = {"id": "staff", "label": "CREW", "label_zh": "工作组", "color": "#00A86B", "access": "all"}
EVENT_FILE = {
    "event": {"id": "GREEN27", "name": "Green Energy Forum 2027", "name_zh": "2027绿色能源论坛",
              "dates": ["2027-03-09"], "timezone": "Asia/Shanghai"},
    "badge_types": [CREW],
    "points": [{"id": "entrance", "name": "Main entrance", "name_zh": "主入口"}],
}
EVENT = Event("GREEN27", "Green Energy Forum 2027", "2027绿色能源论坛")
DATA = Path(__file__).parent / "data"


def cli(capsys, *args: str) -> str:
    rc = server_cli.main(list(args))
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out


def pdftotext(path: Path) -> str:
    """The PDF's text; NFKC because Qt's PDFs map some ideographs to their Kangxi radical look-alikes (⼯ for 工)."""
    return unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                                        capture_output=True, text=True, check=True, timeout=60).stdout)


def page_pixel(pdf: Path, tmp_path: Path, x_mm: float, y_mm: float) -> tuple[int, int, int]:
    """The colour on the PDF's first page at (x, y) mm from the top left (rendered at 100 dpi)."""
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "px")],
                   check=True, timeout=60)
    page = Image.open(next(tmp_path.glob("px*.png"))).convert("RGB")
    return page.getpixel((round(x_mm / 25.4 * 100), round(y_mm / 25.4 * 100)))


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def new_event(tmp_path: Path, capsys) -> str:
    db = str(tmp_path / "server.db")
    (tmp_path / "event.json").write_text(json.dumps(EVENT_FILE, ensure_ascii=False), encoding="utf-8")
    cli(capsys, "create-event", str(tmp_path / "event.json"), "--db", db)
    (tmp_path / "people.csv").write_text("id,name,badge_type\nS1,Ola Nordmann,staff\nA1,Ann Lee,attendee\n",
                                         encoding="utf-8")
    cli(capsys, "import-attendees", str(tmp_path / "people.csv"), "--db", db)
    return db


def test_the_server_pdf_and_png_print_the_event_files_label_and_colour(tmp_path, capsys):
    db = new_event(tmp_path, capsys)
    cli(capsys, "badges", "--db", db, "--type", "staff", "--out", str(tmp_path / "crew.pdf"))
    text = pdftotext(tmp_path / "crew.pdf")
    assert "CREW" in text and "工作组" in text and "STAFF" not in text and "工作人员" not in text
    assert close(page_pixel(tmp_path / "crew.pdf", tmp_path, 3, 146), GREEN)  # a6: the type band, 124-148 mm
    cli(capsys, "badge", "A1", "--db", db, "--out", str(tmp_path / "ann.pdf"))  # types it does not name: defaults
    assert "ATTENDEE" in pdftotext(tmp_path / "ann.pdf")

    cli(capsys, "badge", "S1", "--db", db, "--out", str(tmp_path / "crew.png"))
    png = Image.open(tmp_path / "crew.png").convert("RGB")
    assert close(png.getpixel((10, HEIGHT - 10)), GREEN)


def test_the_desk_prints_the_event_files_label_and_colour_through_qt(qtbot, tmp_path):
    store, _ = demo_event_store(tmp_path / "kiosk.db", people=[Attendee("S1", "Ola Nordmann", badge_type="staff",
                                                                        code="REG-S1")])
    store.set_meta("badge_types", json.dumps([CREW], ensure_ascii=False))  # as the event reaches a desk by sync
    store.close()
    tasks = TaskManager(tmp_path / "kiosk.db")
    printer = BadgePrinter(tasks, DeskCalls(), tmp_path / "prints", "desk-1", event_name=EVENT.name,
                           event_name_zh=EVENT.name_zh)
    try:
        with qtbot.waitSignal(printer.printed, timeout=60_000) as printed:
            printer.print_badge(Attendee("S1", "Ola Nordmann", badge_type="staff", code="REG-S1"))
    finally:
        tasks.shutdown()
    pdf = printed.args[0].path
    text = pdftotext(pdf)
    assert "CREW" in text and "工作组" in text and "STAFF" not in text
    assert close(page_pixel(pdf, tmp_path, 3, 146), GREEN)


def _name_lines(ops, name: str) -> int:
    return sum(1 for op in ops if isinstance(op, TextLine) and name in op.text)


def test_a_chinese_name_equal_to_the_name_prints_once_on_pdf_png_and_qt(qapp, tmp_path, capsys):
    db = str(tmp_path / "server.db")
    (tmp_path / "event.json").write_text(json.dumps(EVENT_FILE, ensure_ascii=False), encoding="utf-8")
    cli(capsys, "create-event", str(tmp_path / "event.json"), "--db", db)
    cli(capsys, "import-attendees", str(DATA / "zh-registrations.csv"), "--db", db, "--preset", "zh")
    cli(capsys, "badges", "--db", db, "--out", str(tmp_path / "zh.pdf"))
    text = pdftotext(tmp_path / "zh.pdf")
    assert text.count("张三") == 1 and text.count("李娜") == 1, text

    same, plain = Attendee("Z1", "张三", "张三", "北京协和医院"), Attendee("Z1", "张三", "", "北京协和医院")
    assert badge_image(same, "FK1:X").tobytes() == badge_image(plain, "FK1:X").tobytes()  # PNG
    template = badgetemplates.load("a6")
    assert _name_lines(layout(template, badge_text(same, "FK1:X", EVENT), QtMeasure()), "张三") == 1  # Qt
    # a different Chinese name still prints both
    both = Attendee("Z2", "Zhang San", "张三", "北京协和医院")
    ops = layout(template, badge_text(both, "FK1:X", EVENT), QtMeasure())
    assert _name_lines(ops, "张三") == 1 and _name_lines(ops, "Zhang San") == 1

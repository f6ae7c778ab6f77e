"""The desk prints a badge template through Qt onto a real CUPS queue (Debian's cups-pdf printer).

The test starts its own cupsd (tests/cups_queue.py); ./run installs cups and
printer-driver-cups-pdf, and CI runs as root, which cups-pdf's backend needs. What comes out
of the queue is checked as a person at the printer would: the page is the badge's size, the
QR on it scans, and the print is logged (and queued for the server).
"""
from __future__ import annotations

import os
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from kiosk.models import Attendee
from sync.deskcalls import DeskCalls
from tests.cups_queue import QUEUE, CupsQueue, missing_parts
from tests.factories import demo_event_store
from tests.sql import sql
from ui.printing import BadgePrinter
from ui.tasks import TaskManager

PEOPLE = [Attendee("C1", "Łódź Ağaoğlu", "喆堃", "Işık Üniversitesi Biyoloji Bölümü", badge_type="vip",
                   code="REG-C1"),
          Attendee("C2", "محمد عبد الرحمن", "", "جامعة الملك سعود", badge_type="speaker", code="REG-C2")]
MM = 72 / 25.4


@pytest.fixture
def cups():
    missing = missing_parts()
    if missing:
        message = f"a real CUPS queue needs {', '.join(missing)} (./run installs the packages)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with CupsQueue() as queue:
        yield queue


def _clear(queue: CupsQueue, job: str) -> None:
    for old in queue.output_dir.glob(f"{job}*.pdf") if queue.output_dir.exists() else []:
        old.unlink()


def _page_mm(pdf) -> tuple[float, float]:
    box = PdfReader(pdf).pages[0].mediabox
    return float(box.width) / MM, float(box.height) / MM


def _scan(pdf, tmp_path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("page*.png"))))]


def _print(qtbot, printer: BadgePrinter, person: Attendee):
    with qtbot.waitSignal(printer.printed, timeout=60_000) as printed:
        printer.print_badge(person)
    return printed.args[0]


@pytest.mark.parametrize(("template", "size_mm", "person"), [("a6", (105, 148), PEOPLE[0]),
                                                            ("cr80", (85.6, 54), PEOPLE[1])])
def test_the_desk_prints_its_template_on_a_real_cups_queue_at_the_badge_size(qtbot, tmp_path, cups, template,
                                                                             size_mm, person):
    store, _ = demo_event_store(tmp_path / "kiosk.db", people=PEOPLE)
    store.close()
    tasks = TaskManager(tmp_path / "kiosk.db")
    printer = BadgePrinter(tasks, DeskCalls(), tmp_path / "prints", "desk-1", printer=QUEUE,
                           event_name="2023 International Forum on Life Science", event_name_zh="2023国际生命科学论坛",
                           template=template)
    job_name = f"badge-{person.id}"
    _clear(cups, job_name)
    try:
        job = _print(qtbot, printer, person)  # a stand-alone desk: the registration code goes in the QR
        assert job.target == QUEUE and job.path is None and job.code == person.code
        out = cups.wait_for_pdf(job_name)
        try:
            got = sorted(_page_mm(out))
            assert all(abs(a - b) <= 1 for a, b in zip(got, sorted(size_mm))), got  # a page of the badge's size
            assert _scan(out, tmp_path) == [person.code]
        finally:
            out.unlink()
        assert not list((tmp_path / "prints").glob("*"))  # nothing went to the folder instead
    finally:
        tasks.shutdown()
    assert sql(tmp_path / "kiosk.db").execute("SELECT target FROM print_log WHERE attendee_id = ?",
                                              [person.id]).fetchall() == [(QUEUE,)]
    assert sql(tmp_path / "kiosk.db").execute("SELECT count(*) FROM outbox WHERE kind = 'print'").fetchone()[0] == 1


def test_a_printer_that_is_not_there_is_a_message_and_no_print_logged(qtbot, tmp_path, cups):
    store, _ = demo_event_store(tmp_path / "kiosk.db", people=PEOPLE)
    store.close()
    tasks = TaskManager(tmp_path / "kiosk.db")
    printer = BadgePrinter(tasks, DeskCalls(), tmp_path / "prints", "desk-1", printer="no-such-queue")
    try:
        with qtbot.waitSignal(printer.failed, timeout=30_000) as failed:
            printer.print_badge(PEOPLE[0])
        assert "no-such-queue" in failed.args[0]
    finally:
        tasks.shutdown()
    assert sql(tmp_path / "kiosk.db").execute("SELECT count(*) FROM print_log").fetchone()[0] == 0

"""Badges at scale: templates as data, vector searchable PDFs with every name's glyphs, batches."""
from __future__ import annotations

import json
import math
import stat
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from entrypoints import server_cli
from kiosk import badgefonts, badges, badgetemplates
from kiosk.badgelayout import PT, TextLine, badge_text, fit, layout
from kiosk.badgepdf import BadgePdf
from kiosk.badgeprint import render_badge
from kiosk.errors import BadInput
from kiosk.identify import record_print
from kiosk.models import Attendee, Event
from sync.rounds import SyncClient
from sync.serverdb import ServerDB
from tests.helpers_sync import enrolled_kiosk
from tests.sql import sql

EVENT = Event("LSF2023", "2023 International Forum on Life Science", "2023国际生命科学论坛")
HARD = [
    Attendee("H1", "Łódź Ağaoğlu", organisation="Işık Üniversitesi", badge_type="vip"),
    Attendee("H2", "محمد عبد الرحمن", organisation="جامعة الملك سعود", badge_type="speaker"),
    Attendee("H3", "Kim Minjun", "김민준", organisation="서울대학교 의과대학", badge_type="press"),
    Attendee("H4", "Zhe Kun", "喆 堃 燊 䶮 𠮷", organisation="北京华展科技有限公司", badge_type="staff"),
    Attendee("H5", "Αλέξανδρος Παπαδόπουλος", organisation="Εθνικό Μετσόβιο Πολυτεχνείο"),
    Attendee("H6", "Алексей Щукин", organisation="Московский государственный университет"),
    Attendee("H7", "Sato Sakura", "佐藤さくら", organisation="東京大学 ナノテク研究所"),
]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def squeeze(text: str) -> str:
    return "".join(text.translate(BIDI_MARKS).split())


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = server_cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_hard_names_have_every_glyph_and_come_back_out_of_the_pdf_as_text(tmp_path):
    pdf = BadgePdf(badgetemplates.load("a6"), [v for a in HARD for v in badge_text(a, "X", EVENT).values.values()])
    for a in HARD:
        pdf.add(badge_text(a, f"FK1:TEST{a.id}", EVENT))
    out = pdf.save(tmp_path / "hard.pdf")
    assert pdf.missing_glyphs() == []
    for a in HARD:  # every character is in the cmap of the font of the chain that draws it
        for text in (a.name, a.name_zh, a.organisation):
            assert badgefonts.missing(text) == [] and badgefonts.missing(text, bold=True) == [], text
    assert badgefonts.font_for("𠮷").link.key in ("cjk", "hanb") and badgefonts.font_for("ı").link.key == "latin"
    assert badgefonts.font_for("م").link.key == "arabic" and badgefonts.font_for("김").link.key == "cjk"
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True, timeout=60).stdout
    for embedded in ("NotoSans-Bold", "NotoSansArabic-Bold", "NotoSansCJKSC-Bold"):  # each script set in its font
        assert embedded.replace("-", "") in fonts.replace("-", ""), fonts
    text = squeeze(pdftotext(out))
    for a in HARD:  # searchable: the names are text in the PDF, not pictures
        for value in (a.name, a.name_zh, a.organisation):
            assert squeeze(value) in text, value
    # pypdf too (it puts NULs between the characters of the CJK font's two-byte codes)
    reader_text = squeeze("".join(p.extract_text() for p in PdfReader(out).pages)).replace("\x00", "")
    assert squeeze("Łódź Ağaoğlu") in reader_text and "김민준" in reader_text


def test_a_character_outside_every_font_is_reported_not_silently_boxed(tmp_path):
    hieroglyph = "\U00013000"  # in no font of the chain
    data = badge_text(Attendee("Z1", f"Ann {hieroglyph}"), "FK1:X", EVENT)
    pdf = BadgePdf(badgetemplates.load("a6"), data.values.values())
    pdf.add(data)
    pdf.save(tmp_path / "z.pdf")
    assert pdf.missing_glyphs() == [hieroglyph]
    assert badgefonts.missing(f"Ann {hieroglyph}") == [hieroglyph]


def test_a_missing_font_names_the_debian_package(monkeypatch):
    link = badgefonts.FontLink("nope", "No Such Font Family", "fonts-nothing-here", "nothing")
    with pytest.raises(badgefonts.NotFound, match="fonts-nothing-here"):
        badgefonts.find(link)
    monkeypatch.setattr(badgefonts.shutil, "which", lambda _name: None)
    badgefonts.find.cache_clear()
    try:
        with pytest.raises(badgefonts.NotFound, match="fontconfig"):
            badgefonts.find(badgefonts.CHAIN[0])
    finally:
        badgefonts.find.cache_clear()


def _lines(ops, field_text: str) -> list[TextLine]:
    return [op for op in ops if isinstance(op, TextLine) and op.text in field_text]


def test_a_long_organisation_wraps_to_two_lines_before_it_shrinks_and_never_leaves_its_box():
    template = badgetemplates.load("a6")
    box = next(e for e in template.elements if e.kind == "text" and e.field == "organisation")
    pdf = BadgePdf(template)
    org = "Zhongguancun Life Science Park Development Corporation"
    ops = layout(template, badge_text(Attendee("L1", "Ann Lee", organisation=org), "FK1:X", EVENT), pdf.measure)
    lines = _lines(ops, org)
    assert len(lines) == 2 and {line.size for line in lines} == {box.size}  # wrapped, full size
    assert " ".join(line.text for line in lines) == org
    longer = org + " International Holdings Group Limited Shanghai Branch Office Research Division"
    ops = layout(template, badge_text(Attendee("L2", "Ann", organisation=longer), "FK1:X", EVENT), pdf.measure)
    lines = _lines(ops, longer)
    assert len(lines) == 2 and box.min_size <= lines[0].size < box.size  # shrunk, still whole
    for line in lines:
        assert pdf.measure(line.text, line.size, line.bold) <= box.w + 0.01
        assert box.y - 0.01 <= line.y and line.y + line.h <= box.y + box.h + 0.01
    endless = " ".join([longer] * 4)
    size, cut = fit(endless, box.w, box.h, box.size, box.min_size, box.lines, False, pdf.measure)
    assert size == box.min_size and len(cut) == 2 and cut[-1].endswith("…")
    assert all(pdf.measure(line, size, False) <= box.w + 0.01 for line in cut)


def test_chinese_wraps_between_characters_and_a_name_with_a_line_break_keeps_it(tmp_path):
    pdf = BadgePdf(badgetemplates.load("a6"), ["中关村", "Maria José González"])
    size, lines = fit("中关村生命科学园发展有限责任公司国际控股集团上海分公司", 95, 13, 14, 7, 2, False, pdf.measure)
    assert len(lines) == 2 and size == 14 and "".join(lines) == "中关村生命科学园发展有限责任公司国际控股集团上海分公司"
    size, lines = fit("Maria José\nGonzález Fernández", 95, 22, 34, 12, 2, True, pdf.measure)
    assert lines == ["Maria José", "González Fernández"]
    size, lines = fit("Ann\r\n\tLee\n\nSmith", 95, 8, 20, 12, 1, True, pdf.measure)
    assert lines == ["Ann Lee Smith"] and size * PT * 1.22 <= 8.01
    person = Attendee("N1", "Maria José\nGonzález", organisation="ACME\nLabs")
    pdf.add(badge_text(person, "FK1:X", EVENT))
    text = pdftotext(pdf.save(tmp_path / "n.pdf"))
    assert "Maria José" in text and "González" in text
    png = render_badge(person, "FK1:X", tmp_path / "n.png")  # the single PNG badge too: no multiline error
    assert png.stat().st_size > 0


def test_every_bundled_template_is_listed_and_draws_pages_of_its_size(capsys, tmp_path):
    rc, out, _ = cli(capsys, "templates")
    listed = {json.loads(line)["id"]: json.loads(line) for line in out.splitlines()}
    assert rc == 0 and {"a6", "4x3in", "4x6in", "cr80", "a4-4up"} <= set(listed)
    assert listed["a4-4up"]["per_page"] == 4 and listed["a4-4up"]["page_mm"] == [210, 297]
    assert listed["cr80"]["badge_mm"] == [85.6, 54]
    for name, info in listed.items():
        template = badgetemplates.load(name)
        pdf = BadgePdf(template)
        for a in HARD[:5]:
            pdf.add(badge_text(a, "FK1:X", EVENT))
        reader = PdfReader(pdf.save(tmp_path / f"{name}.pdf"))
        assert len(reader.pages) == math.ceil(5 / info["per_page"])
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / 72 * 25.4, 1), round(float(box.height) / 72 * 25.4, 1)) == \
            tuple(round(v, 1) for v in info["page_mm"])


def test_a_broken_template_file_names_the_element_and_the_problem(tmp_path):
    good = json.loads((badgetemplates.folder() / "a6.json").read_text())
    cases = [
        ({"elements": [{"kind": "qr", "x": 80, "y": 10, "size": 48}]}, "element 1: the box"),
        ({"elements": [{"kind": "text", "field": "nickname", "x": 0, "y": 0, "w": 10, "h": 10}]},
         "element 1: field must be one of"),
        ({"elements": [good["elements"][0], {"kind": "band", "x": 0, "y": 0, "w": 9, "h": 9, "colour": "red"}]},
         "element 2: colour"),
        ({"sheet": {"width": 210, "height": 297, "columns": 3, "rows": 2}}, "do not fit"),
    ]
    for change, message in cases:
        path = tmp_path / "t.json"
        path.write_text(json.dumps({**good, **change}))
        with pytest.raises(BadInput, match=message) as info:
            badgetemplates.load(str(path))
        assert str(path) in str(info.value)
    with pytest.raises(badgetemplates.NotFound, match="a4-4up, a6"):
        badgetemplates.load("../a6")


def test_the_printed_qr_is_vector_and_scans_as_the_signed_badge(capsys, tmp_path, server_db):
    out = tmp_path / "two.pdf"
    rc, stdout, _ = cli(capsys, "badges", "--db", str(server_db), "--out", str(out), "--ids", "A000007,A000008")
    assert rc == 0 and json.loads(stdout)["badges"] == 2
    page = PdfReader(out).pages[0]
    assert not page.images  # no bitmap anywhere: text and vector QR
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")], check=True,
                   timeout=60)
    codes = [r.text for r in zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("p*.png"))))]
    db = ServerDB(server_db)
    try:
        keys = [k.public() for k in [db.signing_key()]]
    finally:
        db.close()
    assert len(codes) == 1 and badges.decode(codes[0], keys, "LSF2023").attendee_id == "A000007"


def test_badges_batch_by_type_then_only_those_not_printed_by_a_desk_or_a_batch(capsys, tmp_path, server_db, server):
    speakers = [r[0] for r in sql(server_db).execute("SELECT id FROM attendees WHERE badge_type = 'speaker' "
                                                     "ORDER BY rowid")]
    desk = enrolled_kiosk(tmp_path / "desk.db", server_db, server.url)
    SyncClient(desk).round()
    record_print(desk, desk.attendee(speakers[0]), "desk-1", "Zebra ZD421", datetime.now(timezone.utc))
    SyncClient(desk).round()  # the desk's print reaches the server
    desk.close()
    assert sql(server_db).execute("SELECT count(*) FROM print_log WHERE attendee_id = ?",
                                  [speakers[0]]).fetchone()[0] == 1
    out = tmp_path / "speakers.pdf"
    rc, stdout, _ = cli(capsys, "badges", "--db", str(server_db), "--out", str(out), "--type", "speaker",
                        "--not-printed", "--template", "a4-4up")
    result = json.loads(stdout)
    assert rc == 0 and result["badges"] == len(speakers) - 1 - result["skipped_revoked"] > 0
    assert result["missing_glyphs"] == []
    assert len(PdfReader(out).pages) == math.ceil(result["badges"] / 4)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = pdftotext(out)
    assert speakers[1] not in text  # ids are not printed; names are
    name = sql(server_db).execute("SELECT name FROM attendees WHERE id = ?", [speakers[1]]).fetchone()[0]
    assert name in text
    rc, stdout, _ = cli(capsys, "badges", "--db", str(server_db), "--out", str(out), "--type", "speaker",
                        "--not-printed")
    assert json.loads(stdout)["badges"] == 0  # the batch counts as printed


def test_badges_refuse_unknown_ids_types_templates_and_endings(capsys, tmp_path, server_db):
    base = ["badges", "--db", str(server_db)]
    for args, message in [(["--out", "x.png"], "must end in .pdf"),
                          (["--out", "x.pdf", "--ids", "A000001", "NOBODY", "GHOST"], "'NOBODY', 'GHOST'"),
                          (["--out", "x.pdf", "--type", "royalty"], "not a badge type"),
                          (["--out", "x.pdf", "--template", "a5"], "no badge template 'a5'"),
                          (["--out", "x.pdf", "--ids", "A000001", "--type", "vip"], "--ids")]:
        rc, _, err = cli(capsys, *base, *[a.replace("x.", str(tmp_path / "x.")) for a in args])
        assert rc == 1 and message in err and err.startswith("error:"), (args, err)
    assert not list(tmp_path.glob("x.*"))


def test_a_print_pushed_twice_counts_once_and_only_desks_may_push_prints(tmp_path, server_db, server):
    from sync.protocol import KINDS_BY_ROLE

    assert "print" in KINDS_BY_ROLE["desk"] and "print" not in KINDS_BY_ROLE["exhibitor"]
    desk = enrolled_kiosk(tmp_path / "d.db", server_db, server.url)
    SyncClient(desk).round()
    record_print(desk, desk.attendee("A000003"), "d", "badge.pdf", datetime.now(timezone.utc))
    SyncClient(desk).round()
    assert sql(desk).execute("UPDATE outbox SET state = 'pending' WHERE kind = 'print'").rowcount == 1  # answer lost
    SyncClient(desk).round()
    desk.close()
    assert sql(server_db).execute("SELECT count(*) FROM print_log WHERE attendee_id = 'A000003'").fetchone()[0] == 1

"""Lead files a sales team opens: CSV with BOM (Excel shows Chinese), XLSX, formula-safe cells."""
from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from entrypoints import server_cli as admin
from kiosk.leadfile import LeadFileError, export_leads
from kiosk.models import Lead

LEADS = [
    Lead("L1", "EX01", "A1", "Wang Fang", "北京华展科技有限公司", name_zh="王芳", email="wang@example.cn",
         rating=4, tags=("hot", "PCR"), notes="需要报价\nwants a demo"),
    Lead("L2", "EX01", "A2", "=HYPERLINK(\"http://evil\")", "+Org", rating=0),
]


def test_csv_has_a_bom_and_reads_back_in_chinese(tmp_path):
    out = tmp_path / "leads.csv"
    assert export_leads(LEADS, out) == 2
    raw = out.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["Chinese name"] == "王芳" and rows[0]["Organisation"] == "北京华展科技有限公司"
    assert rows[0]["Tags"] == "hot, PCR" and rows[0]["Notes"] == "需要报价\nwants a demo"
    # a badge name cannot become a formula on the sales laptop
    assert rows[1]["Name"].startswith("'=") and rows[1]["Organisation"] == "'+Org"


def test_xlsx_opens_with_the_same_rows(tmp_path):
    out = tmp_path / "leads.xlsx"
    assert export_leads(LEADS, out) == 2
    ws = load_workbook(out).active
    values = list(ws.values)
    assert values[0][0] == "Name" and values[1][1] == "王芳" and values[1][7] == 4


def test_bad_file_ending_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(LeadFileError):
        export_leads(LEADS, tmp_path / "leads.txt")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("server_attendees", [30])
def test_export_leads_command_errors_are_one_line(tmp_path, capsys, server_db):
    db = server_db
    assert admin.main(["export-leads", "--db", str(db), "--exhibitor", "NOPE", "--out", str(tmp_path / "x.csv")]) == 1
    assert capsys.readouterr().err.startswith("error: no exhibitor")
    assert admin.main(["export-leads", "--db", str(db), "--exhibitor", "EX01", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "csv or .xlsx" in capsys.readouterr().err
    out = tmp_path / "empty.xlsx"
    assert admin.main(["export-leads", "--db", str(db), "--exhibitor", "EX01", "--out", str(out)]) == 0
    assert list(load_workbook(out).active.values)[0][0] == "Name"

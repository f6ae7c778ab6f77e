"""Attendee import: real exports (presets, XLSX, any delimiter), encodings decided or refused, header
and value mapping, every error named, --check, --cancel-missing, all or nothing.

The commands run in this process (the CLIs' own main(), stdout and stderr captured) so the many cases
stay fast; `run_process` runs the installed console script where the process itself matters."""
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from entrypoints import kiosk_cli, server_cli
from tests.helpers_sync import bundle_root

BIN = Path(sys.executable).parent
HEADER = "id,name,name_zh,organisation,title,email,phone,badge_type,consent,code\n"


def run_process(*args):
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=120)


def run(*args):
    """`kiosk-server …` or `kiosk …` as its main() runs it: exit status, stdout, stderr."""
    main = {"kiosk-server": server_cli.main, "kiosk": kiosk_cli.main}[args[0]]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(list(args[1:]))
    return subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())


@pytest.fixture
def server_attendees() -> int:
    """The shared `server_db` seeded with 30 demo attendees: the counts below start from 30."""
    return 30


def stats(db):
    return json.loads(run("kiosk-server", "stats", "--db", str(db)).stdout)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_imports_chinese_names_in_every_common_encoding(server_db, tmp_path, encoding):
    csv_file = tmp_path / "reg.csv"
    csv_file.write_bytes((HEADER + "R1,Zhao Lei,赵磊,北京协和医院,Doctor,zl@example.org,,vip,yes,EXT-1\n"
                          "R2,Anna Smith,,Roche,,,,,,\n").encode(encoding))
    res = run_process("kiosk-server", "import-attendees", str(csv_file), "--db", str(server_db))
    assert res.returncode == 0, res.stderr
    assert stats(server_db)["attendees"] == 32
    from kiosk.store import Store
    s = Store(server_db)
    zhao = s.attendee("R1")
    assert (zhao.name_zh, zhao.organisation, zhao.badge_type, zhao.consent, zhao.code) == (
        "赵磊", "北京协和医院", "vip", True, "EXT-1")
    assert s.attendee("R2").badge_type == "attendee" and not s.attendee("R2").consent
    s.close()


def test_reimport_updates_by_id(server_db, tmp_path):
    f = tmp_path / "reg.csv"
    f.write_text("id,name\nR1,First Name\n", encoding="utf-8")
    run("kiosk-server", "import-attendees", str(f), "--db", str(server_db))
    f.write_text("id,name\nR1,Corrected Name\n", encoding="utf-8")
    run("kiosk-server", "import-attendees", str(f), "--db", str(server_db))
    from kiosk.store import Store
    s = Store(server_db)
    assert s.attendee("R1").name == "Corrected Name" and s.attendee_count() == 31
    s.close()


def test_other_headers_by_mapping(server_db, tmp_path):
    f = tmp_path / "other.csv"
    f.write_text("Ticket,Full Name,Company\nT-9,Jonas Fischer,Charité\n", encoding="utf-8")
    res = run("kiosk-server", "import-attendees", str(f), "--db", str(server_db),
              "--map", "Ticket=id,Full Name=name,Company=organisation")
    assert res.returncode == 0, res.stderr
    assert stats(server_db)["attendees"] == 31


@pytest.mark.parametrize("body,needle", [
    ("R1,Good\nR2,\n", "row 3, column 'name'"),
    ("R1,Good,,,,,,alien,,\n", "row 2, column 'badge_type'"),
    ("R1,Good\nR1,Twice\n", "row 3, column 'id'"),
    ("R1,Good,,,,,,,maybe,\n", "column 'consent'"),
    ("R1,Good,extra,fields,here,too,many,x,1,c,d\n", "row 2"),
])
def test_a_bad_row_is_named_and_nothing_is_half_imported(server_db, tmp_path, body, needle):
    f = tmp_path / "bad.csv"
    header = "id,name\n" if body.count(",") <= 2 and "alien" not in body and "maybe" not in body else HEADER
    f.write_text(header + body, encoding="utf-8")
    res = run("kiosk-server", "import-attendees", str(f), "--db", str(server_db))
    assert res.returncode == 1 and needle in res.stderr and "bad.csv" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert stats(server_db)["attendees"] == 30


def test_missing_required_column(server_db, tmp_path):
    f = tmp_path / "nocol.csv"
    f.write_text("name,company\nX,Y\n", encoding="utf-8")
    res = run("kiosk-server", "import-attendees", str(f), "--db", str(server_db))
    assert res.returncode == 1 and "'id'" in res.stderr


# -- real exports: presets, XLSX, joins, values --------------------------------------------------------
DATA = Path(__file__).parent / "data"


def importing(db, path, *args):
    return run("kiosk-server", "import-attendees", str(path), "--db", str(db), *args)


def attendees(db) -> dict:
    from kiosk.store import Store
    s = Store(db)
    try:
        return {a.id: a for a in s.snapshot.attendees()}
    finally:
        s.close()


def revoked(db) -> set[str]:
    from kiosk.store import Store
    s = Store(db)
    try:
        return {r["attendee_id"] for r in s.snapshot.revocations() if r["issue"] == 0}
    finally:
        s.close()


def test_eventbrite_export_joins_names_maps_ticket_types_and_leaves_out_not_attending(server_db):
    res = importing(server_db, DATA / "eventbrite-attendees.csv", "--preset", "eventbrite")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout.splitlines()[-1])
    assert (summary["added"], summary["skipped"]) == (4, 1)
    got = attendees(server_db)
    assert got["5678901234"].name == "Désirée Müller"
    assert got["5678901234"].organisation == "Charité – Universitätsmedizin Berlin"
    # a two-ticket order: two people, each with their own barcode, both VIP
    kenji, aiko = got["5678901240"], got["5678901241"]
    assert (kenji.name, aiko.name, kenji.badge_type, aiko.badge_type) == (
        "Kenji Watanabe", "Aiko Watanabe", "vip", "vip")
    assert kenji.code == "4567123902567890124000" and aiko.code == "4567123902567890124100"
    assert got["5678901299"].badge_type == "press"
    assert not any(a.name == "Tom Baker" for a in got.values())  # "Not Attending"


def test_the_same_export_as_xlsx_imports_the_same(server_db, tmp_path):
    """Eventbrite's Excel download: numbers are numbers (12345, not 12345.0) and names still join."""
    import csv

    from openpyxl import Workbook

    rows = list(csv.reader((DATA / "eventbrite-attendees.csv").read_text(encoding="utf-8").splitlines()))
    wb = Workbook()
    ws = wb.active
    ws.append(rows[0])
    number_cols = {rows[0].index(h) for h in ("Order #", "Quantity", "Attendee #", "Total Paid")}
    for row in rows[1:]:
        ws.append([float(v) if i in number_cols else v for i, v in enumerate(row)])
    wb.save(tmp_path / "report.xlsx")
    res = importing(server_db, tmp_path / "report.xlsx", "--preset", "eventbrite")
    assert res.returncode == 0, res.stderr
    got = attendees(server_db)
    assert got["5678901241"].name == "Aiko Watanabe" and got["5678901241"].code == "4567123902567890124100"
    assert stats(server_db)["attendees"] == 34


def test_pretix_multi_ticket_order_imports_each_position_and_its_secret_checks_in_at_the_desk(server_db, tmp_path):
    res = importing(server_db, DATA / "pretix-orders.csv", "--preset", "pretix")
    assert res.returncode == 0, res.stderr
    got = attendees(server_db)
    order = [got[f"Q7RKD-{n}"] for n in (1, 2, 3)]  # one order code, three positions
    assert [a.name for a in order] == ["Jonas Fischer", "Lena Schmidt", "Anna Nowak"]
    assert [len(a.code) for a in order] == [32, 32, 32] and len({a.code for a in order}) == 3
    assert order[2].badge_type == "speaker" and got["ZT9WE-1"].badge_type == "vip"
    assert "LM3ZA-1" not in got  # canceled order
    assert order[0].organisation == "Bayer AG" and order[1].phone == ""  # the buyer's phone is not theirs
    bundle, kiosk = tmp_path / "event.bundle", tmp_path / "kiosk.db"
    assert run("kiosk-server", "export-bundle", "--db", str(server_db), "--out", str(bundle)).returncode == 0
    assert run("kiosk", "load-bundle", str(bundle), "--db", str(kiosk), "--trust", bundle_root(bundle)).returncode == 0
    res = run("kiosk", "check", "p2nwc8rfk4ytm7dxq3ahs6juz9gbe5vz", "--db", str(kiosk))
    verdict = json.loads(res.stdout)
    assert verdict["status"] == "ok" and verdict["attendee"]["id"] == "Q7RKD-2", res.stdout


def test_a_32_character_secret_as_the_id_is_refused_with_the_way_out(server_db):
    res = importing(server_db, DATA / "pretix-orders.csv", "--map", "Ticket secret=id,Attendee name=name")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    first = res.stderr.splitlines()[0]
    assert first.startswith("error: ") and "pretix-orders.csv: row 2, column 'Ticket secret' (id)" in first
    assert "map a longer registration code to 'code'" in first
    assert stats(server_db)["attendees"] == 30


def test_chinese_platform_export_in_gbk(server_db, tmp_path):
    res = importing(server_db, DATA / "zh-registrations.csv", "--preset", "zh")
    assert res.returncode == 0, res.stderr
    got = {a.name_zh: a for a in attendees(server_db).values() if a.code.startswith("839")}
    assert set(got) == {"张三", "李娜", "王喆"}  # 赵堃 cancelled; 喆 is beyond GB2312 and still reads right
    zhang = got["张三"]
    assert (zhang.name, zhang.organisation, zhang.title, zhang.phone, zhang.badge_type) == (
        "张三", "北京协和医院", "主任医师", "13800138000", "vip")
    assert got["王喆"].badge_type == "press" and len(zhang.id) <= 24
    bundle, kiosk = tmp_path / "event.bundle", tmp_path / "kiosk.db"
    run("kiosk-server", "export-bundle", "--db", str(server_db), "--out", str(bundle))
    run("kiosk", "load-bundle", str(bundle), "--db", str(kiosk), "--trust", bundle_root(bundle))
    verdict = json.loads(run("kiosk", "check", "83920571", "--db", str(kiosk)).stdout)
    assert verdict["status"] == "ok" and verdict["attendee"]["name_zh"] == "张三"


def test_join_parts():
    from sync.importer import join_parts
    assert join_parts(["张", "三"]) == "张三"
    assert join_parts(["김", "민준"]) == "김민준"
    assert join_parts(["Anna", "Smith"]) == "Anna Smith"
    assert join_parts(["Li", "娜"]) == "Li 娜"
    assert join_parts(["Q7RKD", "2"], identifier=True) == "Q7RKD-2"
    assert join_parts(["", " Smith "]) == "Smith"


def test_map_quotes_headers_holding_separators_and_one_column_feeds_two_fields(server_db, tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text('"Name, given","Name, family","Ref=No","Org+Dept","Role;Title"\n'
                 'Ada,Lovelace,R-77,Analytical Engines,Countess\n', encoding="utf-8")
    res = importing(server_db, f, "--map",
                    '"Name, given"+"Name, family"=name,"Ref=No"=id,"Ref=No"=code,"Org+Dept"=organisation,'
                    '"Role;Title"=title')
    assert res.returncode == 0, res.stderr
    ada = attendees(server_db)["R-77"]
    assert (ada.name, ada.code, ada.organisation, ada.title) == ("Ada Lovelace", "R-77", "Analytical Engines",
                                                                 "Countess")


def test_values_map_ticket_types_and_an_unknown_one_is_named_on_every_row(server_db, tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("id,name,Ticket\nR1,A,General Admission\nR2,B,VIP\nR3,C,Early Bird\nR4,D,Early Bird\n",
                 encoding="utf-8")
    res = importing(server_db, f, "--map", "Ticket=badge_type",
                    "--values", "badge_type:General Admission=attendee;VIP=vip")
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines)
    assert "row 4, column 'Ticket' (badge_type): 'Early Bird' is not one of" in lines[0]
    assert "--values 'badge_type:Early Bird=…'" in lines[0] and "row 5" in lines[1]
    assert "2 problems in all; nothing was imported" in lines[2]
    res = importing(server_db, f, "--map", "Ticket=badge_type",
                    "--values", "badge_type:General Admission=attendee;VIP=vip;*=attendee")
    assert res.returncode == 0, res.stderr
    got = attendees(server_db)
    assert (got["R1"].badge_type, got["R2"].badge_type, got["R3"].badge_type) == ("attendee", "vip", "attendee")


def test_every_error_is_reported_capped_with_a_count(server_db, tmp_path):
    f = tmp_path / "many.csv"
    f.write_text("id,name,email\n" + "".join(f"R{i},Name {i},not-an-address\n" for i in range(30)),
                 encoding="utf-8")
    res = run_process("kiosk-server", "import-attendees", str(f), "--db", str(server_db))
    lines = res.stderr.splitlines()
    assert res.returncode == 1 and len(lines) == 21 and "Traceback" not in res.stderr
    assert lines[0] == "error: " + f"{f}: row 2, column 'email': 'not-an-address' is not an e-mail address"
    assert lines[-1] == f"error: {f}: 30 problems in all (the first 20 shown); nothing was imported"
    assert stats(server_db)["attendees"] == 30


def test_an_order_number_as_the_code_of_a_two_ticket_order_is_refused_naming_both_rows(server_db):
    res = importing(server_db, DATA / "eventbrite-attendees.csv", "--preset", "eventbrite",
                    "--map", "Order #=code")
    assert res.returncode == 1
    assert "row 4, column 'Order #' (code): '4567123902' is also the code of row 3" in res.stderr
    assert stats(server_db)["attendees"] == 30


def test_a_code_already_held_by_someone_not_in_the_file_is_refused(server_db, tmp_path):
    holder = next(a for a in attendees(server_db).values() if a.code)
    f = tmp_path / "steal.csv"
    f.write_text(f"id,name,code\nNEW1,New Person,{holder.code}\n", encoding="utf-8")
    res = importing(server_db, f)
    assert res.returncode == 1 and f"is already the code of attendee {holder.id}" in res.stderr


@pytest.mark.parametrize("length,ok", [(64, True), (65, False)])
def test_codes_up_to_64_characters_and_ids_derived_from_them(server_db, tmp_path, length, ok):
    f = tmp_path / "codes.csv"
    code = "x" * length
    f.write_text(f"name,code\nLong Code,{code}\n", encoding="utf-8")
    res = importing(server_db, f)
    assert (res.returncode == 0) == ok, res.stderr
    if ok:
        person = next(a for a in attendees(server_db).values() if a.code == code)
        assert person.id.startswith("c-") and len(person.id) <= 24
    else:
        assert "column 'code': must be at most 64 characters" in res.stderr


# -- encodings and broken files ------------------------------------------------------------------------
def test_windows_1252_is_read_as_windows_1252_not_gbk(server_db, tmp_path):
    f = tmp_path / "excel.csv"
    f.write_bytes("id;name;organisation\r\nW1;Désirée Müller;Charité Berlin\r\nW2;François Lefèvre;Sanofi\r\n"
                  .encode("cp1252"))
    res = importing(server_db, f)
    assert res.returncode == 0, res.stderr
    got = attendees(server_db)
    assert got["W1"].name == "Désirée Müller" and got["W2"].name == "François Lefèvre"


def test_utf16_with_bom_tab_separated(server_db, tmp_path):
    f = tmp_path / "unicode.txt"
    f.write_bytes("id\tname\tname_zh\nU1\tZhang San\t张三\n".encode("utf-16"))
    assert importing(server_db, f).returncode == 0
    assert attendees(server_db)["U1"].name_zh == "张三"


def test_excel_sep_line_and_semicolons(server_db, tmp_path):
    f = tmp_path / "sep.csv"
    f.write_text('sep=;\nid;name;organisation\nS1;"Müller; Anna";"Roche, Basel"\n', encoding="utf-8")
    assert importing(server_db, f).returncode == 0
    assert attendees(server_db)["S1"].organisation == "Roche, Basel"


def test_an_ambiguous_encoding_is_refused_until_named(server_db, tmp_path):
    f = tmp_path / "amb.csv"
    f.write_bytes("id,name\nX1,Créée\n".encode("cp1252"))  # also reads as GBK: Cr轵e
    res = importing(server_db, f)
    assert res.returncode == 1 and "ambiguous" in res.stderr and "--encoding" in res.stderr
    assert stats(server_db)["attendees"] == 30
    assert importing(server_db, f, "--encoding", "cp1252").returncode == 0
    assert attendees(server_db)["X1"].name == "Créée"


@pytest.mark.parametrize("content,needle", [
    ("id,name\nM1,张三\n".encode() + "M2,李四\n".encode("gbk"), "mixed encodings: row 2 is UTF-8 but row 3 is not"),
    (b"id,name\nN1,Ann\nN2,A\x00nn\n", "row 3: NUL byte"),
    (b'id,name\nQ1,"Ann\nQ2,Bob\nQ3,Cy\n', "row 2: a quoted field opened here is never closed"),
    (b'id,name,org\nQ1,"Ann,X\nQ2,Bob,Y\nQ3,Cy,"Z"\n', "row 2: a quoted field opened here runs on to row 4"),
    (b'id,name,org\nQ1,"Ann,X\nQ2,Bob,Y\nQ3,Cy,Z\nQ4,"Di",W\n', "row 2: a quoted field opened here runs on to row 5"),
    (b"PK\x03\x04not really a workbook", "not a readable XLSX workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "an Excel 97-2003 workbook (.xls)"),
])
def test_hostile_files_are_refused_naming_the_row(server_db, tmp_path, content, needle):
    f = tmp_path / "hostile.csv"
    f.write_bytes(content)
    res = importing(server_db, f)
    assert res.returncode == 1 and needle in res.stderr and str(f) in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert stats(server_db)["attendees"] == 30


def test_nul_in_an_xlsx_cell_is_refused(server_db, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["id", "name"])
    wb.active.append(["X1", "Fine"])
    # openpyxl refuses to write NUL itself: put it in the sheet's XML as another writer might
    wb.active.append(["X2", "BadXName"])
    wb.save(tmp_path / "nul.xlsx")
    import zipfile
    src = zipfile.ZipFile(tmp_path / "nul.xlsx")
    with zipfile.ZipFile(tmp_path / "nul2.xlsx", "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"BadXName", b"Bad&#0;Name")
            out.writestr(item, data)
    res = importing(server_db, tmp_path / "nul2.xlsx")
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr


# -- what changes: --check, re-import, --cancel-missing ------------------------------------------------
def test_check_prints_the_changes_and_writes_nothing(server_db, tmp_path):
    f = tmp_path / "reg.csv"
    f.write_text("id,name\nR1,First Name\n", encoding="utf-8")
    importing(server_db, f)
    f.write_text("id,name,organisation\nR1,First Name,Roche\nR2,New Person,\n", encoding="utf-8")
    res = importing(server_db, f, "--check", "--cancel-missing")
    assert res.returncode == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert {"change": "add", "id": "R2", "name": "New Person"} in lines
    assert {"change": "update", "id": "R1", "name": "First Name", "fields": ["organisation"]} in lines
    active_demo = 30 - len(revoked(server_db))  # the demo's attendees not revoked already
    assert sum(1 for line in lines if line.get("change") == "cancel") == active_demo
    assert lines[-1]["written"] is False and lines[-1]["cancelled"] == active_demo
    got = attendees(server_db)
    assert "R2" not in got and got["R1"].organisation == "" and stats(server_db)["attendees"] == 31


def test_reimport_updates_and_cancel_missing_revokes_the_absent(server_db, tmp_path):
    from kiosk.store import Store
    f = tmp_path / "reg.csv"
    f.write_text("id,name,code\nR1,One,C-1\nR2,Two,C-2\nR3,Three,C-3\n", encoding="utf-8")
    importing(server_db, f)
    f.write_text("id,name,code\nR1,One Renamed,C-1\nR2,Two,C-2\n", encoding="utf-8")
    res = importing(server_db, f)
    assert json.loads(res.stdout)["updated"] == 1 and json.loads(res.stdout)["cancelled"] == 0
    s = Store(server_db)
    event_id = s.event().id
    assert s.revocation(event_id, "R3", 1) is None
    s.close()
    active_demo = 30 - len(revoked(server_db))
    res = importing(server_db, f, "--cancel-missing")
    assert json.loads(res.stdout)["cancelled"] == 1 + active_demo  # R3 and the demo's attendees
    s = Store(server_db)
    try:
        assert s.revocation(event_id, "R3", 1) == "cancelled" and s.revocation(event_id, "R1", 1) is None
        assert s.attendee("R1").name == "One Renamed" and s.attendee_count() == 33  # revoked, never deleted
    finally:
        s.close()
    # a plain-code scan of the cancelled ticket reads revoked at a desk
    from kiosk.identify import identify
    s = Store(server_db)
    try:
        assert identify(s, "C-3", event_id).status.value == "revoked"
        assert identify(s, "C-1", event_id).status is None
    finally:
        s.close()


def test_a_cancelled_attendee_listed_again_is_updated_but_stays_revoked_with_a_warning(server_db, tmp_path):
    f = tmp_path / "reg.csv"
    f.write_text("id,name,Status\nR1,One,active\nR2,Two,active\n", encoding="utf-8")
    importing(server_db, f, "--map", "Status=status")
    f.write_text("id,name,Status\nR1,One,active\nR2,Two,cancelled\n", encoding="utf-8")
    assert json.loads(importing(server_db, f, "--map", "Status=status").stdout)["cancelled"] == 1
    f.write_text("id,name,Status\nR1,One,active\nR2,Two Again,active\n", encoding="utf-8")
    res = importing(server_db, f, "--map", "Status=status")
    assert res.returncode == 0 and json.loads(res.stdout)["still_cancelled"] == 1
    assert "warning:" in res.stderr and "stay revoked (first: R2)" in res.stderr
    assert attendees(server_db)["R2"].name == "Two Again" and "R2" in revoked(server_db)


def test_a_preset_uses_only_its_own_columns(server_db, tmp_path):
    """pretix without the attendee e-mail column: the order's (buyer's) Email must not stand in."""
    f = tmp_path / "pretix.csv"
    f.write_text("Order code;Position ID;Status;Email;Attendee name;Ticket secret\n"
                 "ABC12;1;paid;buyer@example.org;Someone Else;" + "a" * 32 + "\n", encoding="utf-8")
    assert importing(server_db, f, "--preset", "pretix").returncode == 0
    assert attendees(server_db)["ABC12-1"].email == ""


def test_a_csv_download_named_xlsx_is_read_as_csv(server_db, tmp_path):
    f = tmp_path / "export.xlsx"
    f.write_text("id,name\nX9,Named Wrongly\n", encoding="utf-8")
    res = importing(server_db, f)
    assert res.returncode == 0, res.stderr
    assert attendees(server_db)["X9"].name == "Named Wrongly" and json.loads(res.stdout)["delimiter"] == ","


def test_a_duplicate_is_named_even_on_a_row_with_other_problems(server_db, tmp_path):
    f = tmp_path / "dups.csv"
    f.write_text("id,name,code\nD1,,C1\nD1,Second,C1\n", encoding="utf-8")
    lines = importing(server_db, f).stderr.splitlines()
    assert any("row 2, column 'name': is empty" in line for line in lines)
    assert any("row 3, column 'id': 'D1' appears twice (also row 2)" in line for line in lines)
    assert any("row 3, column 'code': 'C1' is also the code of row 2" in line for line in lines)


@pytest.mark.parametrize("ident,ok", [("A" * 24, True), ("测试编号八个字符", True), ("A" * 25, False), ("测试编号九个字符号", False)])
def test_the_longest_id_accepted_still_fits_a_signed_badge(server_db, tmp_path, ident, ok):
    from kiosk import badges
    from sync.serverdb import ServerDB
    f = tmp_path / "ids.csv"
    f.write_text(f"id,name,name_zh,organisation\n{ident},Maximilian Alexander Longname,欧阳娜娜,Long Organisation GmbH\n",
                 encoding="utf-8")
    res = importing(server_db, f)
    assert (res.returncode == 0) == ok, res.stderr
    if not ok:
        assert "too long for the signed badge" in res.stderr
        return
    db = ServerDB(server_db)
    try:
        code = db.badge_code(db.store.attendee(ident))
        claims = badges.decode(code, db.store.public_keys(), db.store.event().id)
    finally:
        db.close()
    assert claims.attendee_id == ident and len(code) <= 174


LATIN_NAMES = ["Désirée Müller", "Bjørn Ødegård", "Ana María Pérez", "Hélène Lefèvre", "Zoë Brontë", "José Núñez",
               "Jürgen Groß", "Ångström AB", "Œuvre Société", "Noël", "Ærø", "Mañana S.A.", "Château Lafite"]
CHINESE_NAMES = ["张三", "李娜", "王喆", "赵堃", "陈燊", "欧阳娜娜", "王", "复旦大学附属中山医院", "上海交通大学医学院"]


@pytest.mark.parametrize("text,encoding", [(n, "cp1252") for n in LATIN_NAMES] + [(n, "gbk") for n in CHINESE_NAMES])
def test_a_single_name_is_read_in_its_own_encoding(tmp_path, text, encoding):
    """One short value is the hardest case for telling GBK from Windows-1252: each must come back as
    written (or be refused), never as the other encoding's reading."""
    from sync.importfile import read_table
    f = tmp_path / "one.csv"
    f.write_bytes(f"id,name\nR1,{text}\n".encode(encoding))
    table = read_table(f)
    assert table.rows[0][1][1] == text and table.encoding == {"cp1252": "cp1252", "gbk": "gb18030"}[encoding]

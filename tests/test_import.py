"""Attendee CSV import: encodings, header mapping, clear errors, all or nothing."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
HEADER = "id,name,name_zh,organisation,title,email,phone,badge_type,consent,code\n"


def run(*args):
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=120)


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
    res = run("kiosk-server", "import-attendees", str(csv_file), "--db", str(server_db))
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

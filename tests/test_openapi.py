"""An honest OpenAPI document (issue 14, item 7): every status code each endpoint answers, with its real
body, and every push item kind's payload as a schema; then schemathesis against the real server on
127.0.0.1 finds zero failures (no 5xx, no undocumented status, no body that breaks its schema)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sync.protocol import API, PAYLOADS
from tests.helpers_sync import EXHIBITOR, device_token

HERE = Path(__file__).resolve().parent
MAX_EXAMPLES = 10  # per operation and phase: ~1,000 cases, a minute or two on a busy machine


def auth(token: str) -> dict:
    return {"Authorization": f"Device {token}"}


def documented(doc: dict, method: str, path: str) -> set[int]:
    return {int(c) for c in doc["paths"][f"{API}{path}"][method]["responses"]}


def test_every_status_code_and_push_payload_is_in_the_document(server_db, server):
    doc = requests.get(f"{server.url}/openapi.json", timeout=10).json()
    assert documented(doc, "post", "/enroll") == {200, 400, 403, 413, 422}
    assert documented(doc, "post", "/push") == {200, 400, 401, 403, 413, 422}
    assert documented(doc, "post", "/badges/{attendee_id}/reprint") == {200, 400, 401, 403, 404, 409, 413, 422}
    assert documented(doc, "get", "/handoff/{code}") == {200, 401, 403, 404, 422}
    assert {"DeviceToken"} == set(doc["components"]["securitySchemes"])
    branches = doc["components"]["schemas"]["PushItem"]["oneOf"]
    assert {b["properties"]["kind"]["const"] for b in branches} == set(PAYLOADS)
    for name in ("CheckinPayload", "LeadPayload", "LeadScanPayload", "LeadEditPayload", "UndoPayload", "ScanPayload"):
        assert name in doc["components"]["schemas"]
    assert "code" in doc["components"]["schemas"]["LeadPayload"]["properties"]  # the proof of a visit
    # the real bodies have the documented shape: a 422 of the framework and one of a refused batch
    error = doc["components"]["schemas"]["ErrorBody"]
    desk = device_token(server_db)
    for body in ({"items": "nope"}, {"items": [{"id": "x:1", "kind": "checkin", "payload": {}}]}):
        r = requests.post(f"{server.url}{API}/push", json=body, headers=auth(desk), timeout=10)
        assert r.status_code == 422 and set(r.json()) <= set(error["properties"]) and r.json()["detail"]
    booth = device_token(server_db, "exhibitor", "Booth", EXHIBITOR)
    r = requests.get(f"{server.url}{API}/handoff/ABC123", headers=auth(booth), timeout=10)
    assert r.status_code == 403 and set(r.json()) == {"detail"}


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("role", ["desk"])
def test_schemathesis_finds_nothing_against_the_real_server(server_db, server, role, tmp_path):
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert st, "schemathesis (the dev extra) is not installed next to this Python"
    token = device_token(server_db, role, "Fuzzed desk")
    proc = subprocess.run(
        [st, "--config-file", str(HERE / "schemathesis.toml"), "run", f"{server.url}/openapi.json",
         "-H", f"Authorization: Device {token}", "--max-examples", str(MAX_EXAMPLES), "--seed", "14",
         "--workers", "1", "--no-color", "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=540, cwd=tmp_path)
    tail = proc.stdout[-6000:]
    assert proc.returncode == 0, tail
    assert "passed" in tail and "failure" not in tail.split("Test cases:")[-1], tail

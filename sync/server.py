"""The central server: a FastAPI app over the server's SQLite database (WAL).

Endpoints (all under /api/v1, OpenAPI at /openapi.json and /docs):
- POST enroll            setup token -> long-lived device token (the only call without one)
- GET  time              a cheap "are you there" with the server clock
- GET  pull              one page of changes after a cursor (gzip)
- POST push              outbox items, each answered accepted / duplicate / conflict / rejected
- POST checkin           online verdict for a desk or self-service kiosk, by the same check() rules
- GET  handoff/{code}     a desk looks up what a kiosk's refusal with this hand-off code was
- POST badges/{id}/reprint  a desk has a badge reissued: new issue, old one revoked, new signed code
- GET  leads/{ex}.csv|xlsx  an exhibitor's own leads

Every request body is size-limited and validated before anything is written; hostile or
malformed requests get a 4xx and change nothing. Request handlers are plain functions
run on uvicorn's thread pool; each thread keeps its own SQLite connection.
"""

import json
import logging
import socket
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response

from kiosk import handoff
from kiosk.errors import KioskError, NotFound, Refused
from sync import devices, feed, receive
from sync.leadexport import export_leads, lead_rows
from sync.online import decide
from sync.protocol import (API, AUTH_SCHEME, MAX_BODY_BYTES, PULL_PAGE_DEFAULT, PULL_PAGE_MAX, EnrollRequest,
                           EnrollResponse, OnlineCheckRequest, PushRequest, PushResponse, ReprintRequest)
from sync.serverdb import ServerDB

# No `from __future__ import annotations` here: FastAPI must see the request models' classes.
# The kiosk imports this module only after its first frame (the demo's embedded server).
log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="milliseconds")


class BodyLimit:
    """Refuse bodies over the limit with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app, limit: int | None = None):
        self.app = app
        self.limit = limit or MAX_BODY_BYTES

    async def __call__(self, scope, receive, send):

        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = JSONResponse({"detail": f"request body over {self.limit} bytes"}, status_code=413)
        if declared is not None:
            try:
                if int(declared) > self.limit:
                    return await too_big(scope, receive, send)
            except ValueError:
                return await JSONResponse({"detail": "bad Content-Length"}, status_code=400)(scope, receive, send)
        seen = 0
        started = refused = False

        async def counted_receive():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # answer now and tell the app the client left: it stops reading and writes nothing
                    if not started:
                        await tracked_send_raw(too_big)
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send_raw(response):
            nonlocal started
            started = True

            async def no_receive():
                return {"type": "http.disconnect"}

            await response(scope, no_receive, send)

        async def tracked_send(message):
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), (b"x-server-time", _iso(_now()).encode())]
            await send(message)

        await self.app(scope, counted_receive, tracked_send)


class _Local(threading.local):
    server_db: ServerDB | None = None  # this thread's


def create_app(db_path: str | Path) -> FastAPI:
    """The API over one server database (created and migrated here if new)."""
    db_path = Path(db_path)
    ServerDB(db_path).close()  # migrate once, before any request thread opens it
    local = _Local()

    def get_db() -> ServerDB:
        if local.server_db is None:
            local.server_db = ServerDB(db_path)
        return local.server_db

    app = FastAPI(title="Forum Kiosk central server", version="1",
                  description="Device enrolment, offline-first sync and online check-in for Forum Kiosk devices.")
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimit)
    app.state.db_path = db_path

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()[:20]]
        return JSONResponse({"detail": "malformed request", "errors": errors}, status_code=422)

    def device(authorization: str | None = Header(default=None)) -> devices.Device:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme != AUTH_SCHEME or not token:
            raise HTTPException(401, "a device token is required (Authorization: Device <token>)")
        found = devices.authenticate(get_db(), token.strip())
        if found is None:
            raise HTTPException(401, "unknown or revoked device token")
        return found

    @app.post(f"{API}/enroll", response_model=EnrollResponse)
    def enroll(body: EnrollRequest) -> EnrollResponse:
        db = get_db()
        try:
            dev, token = devices.exchange(db, body.token)
        except devices.DeviceError as exc:
            raise HTTPException(403, str(exc)) from None
        event = db.store.event()
        return EnrollResponse(device_id=dev.id, name=dev.name, role=dev.role, exhibitor_id=dev.exhibitor_id,
                              api_token=token, server_time=_iso(_now()), event_id=event.id if event else None)

    @app.get(f"{API}/time")
    def server_time(dev: devices.Device = Depends(device)) -> dict:
        return {"server_time": _iso(_now()), "device": dev.id, "name": dev.name, "role": dev.role}

    @app.get(f"{API}/pull")
    def pull(cursor: int = Query(0, ge=0, le=2**62), limit: int = Query(PULL_PAGE_DEFAULT, ge=1, le=PULL_PAGE_MAX),
             dev: devices.Device = Depends(device),
             x_kiosk_health: str | None = Header(default=None)) -> Response:
        if x_kiosk_health:
            devices.report_health(get_db(), dev.id, x_kiosk_health, _iso(_now()))
        body = feed.page(get_db(), dev, cursor, limit)
        return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                        media_type="application/json")

    @app.post(f"{API}/push", response_model=PushResponse)
    def push(body: PushRequest, dev: devices.Device = Depends(device)):
        try:
            results = receive.apply_batch(get_db(), dev, body.items)
        except receive.Refused as exc:
            return JSONResponse({"detail": str(exc), "items": exc.items}, status_code=exc.status)
        return PushResponse(results=results, server_time=_iso(_now()))

    @app.post(f"{API}/checkin")
    def online_checkin(body: OnlineCheckRequest, dev: devices.Device = Depends(device)) -> dict:
        if dev.role not in ("desk", "attendee"):
            raise HTTPException(403, f"a {dev.role} device does not check people in")
        try:
            return decide(get_db(), dev, body)
        except KioskError as exc:
            raise HTTPException(422, str(exc)) from None

    @app.get(f"{API}/handoff/{{code}}")
    def handoff_case(code: str, dev: devices.Device = Depends(device)) -> dict:
        if dev.role != "desk":
            raise HTTPException(403, "only desk devices look hand-off codes up")
        if len(code) > handoff.MAX_CODE or not code.isalnum():
            raise HTTPException(422, "a hand-off code is six letters and digits")
        case = handoff.lookup(get_db().store, code, found_on="server")
        if case is None:
            raise HTTPException(404, "no scan with this hand-off code")
        return case.to_json()

    @app.post(f"{API}/badges/{{attendee_id}}/reprint")
    def reprint_badge(attendee_id: str, body: ReprintRequest | None = None,
                      dev: devices.Device = Depends(device)) -> dict:
        """A new badge issue. With a request id the call is safe to repeat (same answer, one new
        issue); without one every call reissues again."""
        db = get_db()
        if dev.role != "desk":
            raise HTTPException(403, "only desk devices print badges")
        if len(attendee_id) > 200:
            raise HTTPException(422, "attendee id too long")
        request_id = body.request_id if body is not None else None
        with db.write():
            try:
                if request_id:
                    attendee, issue, code = db.reprint_once(attendee_id, request_id, dev.id)
                else:
                    attendee = db.reprint(attendee_id)
                    issue, code = attendee.badge_issue, db.badge_code(attendee)  # may create the first key
            except NotFound:
                raise HTTPException(404, f"no attendee {attendee_id}") from None
            except Refused as exc:
                raise HTTPException(409, str(exc)) from None
        return {"attendee_id": attendee.id, "issue": issue, "code": code, "revoked_issue": issue - 1,
                "request_id": request_id, "server_time": _iso(_now())}

    @app.get(f"{API}/leads/{{exhibitor_id}}.{{fmt}}")
    def leads_file(exhibitor_id: str, fmt: str, dev: devices.Device = Depends(device)) -> Response:
        if dev.role != "exhibitor" or dev.exhibitor_id != exhibitor_id:
            raise HTTPException(403, "only this exhibitor's own devices may read its leads")
        if fmt not in ("csv", "xlsx"):
            raise HTTPException(404, "leads come as .csv or .xlsx")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"leads.{fmt}"
            export_leads(lead_rows(get_db(), exhibitor_id), out)
            data = out.read_bytes()
        media = "text/csv; charset=utf-8" if fmt == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="leads-{exhibitor_id}.{fmt}"'})

    return app


def _config(db_path: Path, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(create_app(db_path), host=host, port=port, log_level="warning", access_log=False,
                          timeout_keep_alive=30, lifespan="off")


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8765) -> int:
    """`kiosk-server serve`: run until interrupted."""
    db_path = Path(db_path)
    print(f"Forum Kiosk server on http://{host}:{port} (API docs at /docs), database {db_path}", flush=True)
    uvicorn.Server(_config(db_path, host, port)).run()
    return 0


class EmbeddedServer:
    """The real server in a background thread: for `kiosk demo` and the tests.

    port=0 picks a free port; with `or_free_port` the given port is tried first and a free one
    taken if it is in use (the demo's usual address). `.url` is known as soon as `start()`
    returns (the socket is bound first). `start(wait=False)` returns at once and builds the app on the thread,
    so a kiosk's start-up is not held up; requests made meanwhile wait in the socket's
    backlog (or fail and are retried, like any network trouble)."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 0, or_free_port: bool = False):
        self.db_path = Path(db_path)
        self.host = host
        self.port = port
        self.or_free_port = or_free_port
        self._server = None  # uvicorn.Server, once built
        self._thread: threading.Thread | None = None
        self._sock = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _bind(self, port: int) -> socket.socket:
        sock = socket.socket()
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        return sock

    def start(self, timeout: float = 15.0, wait: bool = True) -> "EmbeddedServer":
        try:
            sock = self._bind(self.port)
        except OSError:
            if not (self.or_free_port and self.port):
                raise
            sock = self._bind(0)
        self.port = sock.getsockname()[1]
        self._sock = sock
        self._thread = threading.Thread(target=self._run, name="kiosk-server", daemon=True)
        self._thread.start()
        if wait:
            self.wait_started(timeout)
        return self

    def wait_started(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not (self._server is not None and self._server.started):
            if self._error is not None:
                raise RuntimeError(f"the embedded server failed: {self._error}") from self._error
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the embedded server did not start on {self.url}")
            time.sleep(0.01)

    def _run(self) -> None:
        try:
            server = uvicorn.Server(_config(self.db_path, self.host, self.port))
            server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
            self._server = server
            if self._stopping.is_set():
                return
            server.run(sockets=[self._sock])
        except BaseException as exc:  # noqa: BLE001 - reported by wait_started
            self._error = exc
            log.exception("embedded server failed")

    def stop(self) -> None:
        """Stop serving and wait for the thread; idempotent."""
        self._stopping.set()
        if self._thread is not None:
            deadline = time.monotonic() + 15
            while self._thread.is_alive() and time.monotonic() < deadline:
                if self._server is not None:
                    self._server.should_exit = True
                self._thread.join(timeout=0.05)
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._server = None
        self._thread = None

    def __enter__(self) -> "EmbeddedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

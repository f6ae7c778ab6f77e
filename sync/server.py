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

Stateless: a process keeps no request state (idempotency keys, cursors, setup codes, reprint
ids and the write lock are all in the database), so `serve --workers N` and several servers on
one database file answer alike, whichever process a request reaches (docs/sync.md).
"""

import json
import logging
import os
import socket
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Header, HTTPException, Query, Request, Security
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader

from kiosk import handoff
from kiosk.errors import KioskError, NotFound, Refused
from sync import devices, feed, receive, tls
from sync.leadexport import export_leads, lead_rows
from sync.online import decide
from sync.protocol import (API, AUTH_SCHEME, MAX_BODY_BYTES, PULL_PAGE_DEFAULT, PULL_PAGE_MAX, ROOT_HEADER,
                           SIGNATURE_HEADER, EnrollRequest, EnrollResponse, OnlineCheckRequest, PullPage,
                           PushRequest, PushResponse, ReprintRequest, ReprintResponse, TimeResponse, error_responses,
                           push_item_schemas)
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


_TOKEN = APIKeyHeader(name="Authorization", auto_error=False, scheme_name="DeviceToken",
                      description=f"`{AUTH_SCHEME} <token>`: the device token enrolment gave this device")
_LEAD_FILES = {"text/csv": {"schema": {"type": "string"}},
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                   {"schema": {"type": "string", "format": "binary"}}}


def _honest_openapi(app: FastAPI) -> dict:
    """The generated document, with each push item kind's payload shown as its own schema."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        item, payloads = push_item_schemas()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(payloads)
        schemas["PushItem"] = item
        app.openapi_schema = doc
    return app.openapi_schema


class _Local(threading.local):
    server_db: ServerDB | None = None  # this thread's


def create_app(db_path: str | Path) -> FastAPI:
    """The API over one server database (created and migrated here if new)."""
    db_path = Path(db_path)
    first = ServerDB(db_path)  # migrate once, before any request thread opens it
    try:
        root = first.trust_root()
    finally:
        first.close()
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

    app.openapi = lambda: _honest_openapi(app)  # type: ignore[method-assign]

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()[:20]]
        return JSONResponse({"detail": "malformed request", "errors": errors}, status_code=422)

    def device(authorization: str | None = Security(_TOKEN)) -> devices.Device:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme != AUTH_SCHEME or not token:
            raise HTTPException(401, "a device token is required (Authorization: Device <token>)")
        found = devices.authenticate(get_db(), token.strip())
        if found is None:
            raise HTTPException(401, "unknown or revoked device token")
        return found

    posted = (400, 413, 422)  # any body: broken framing, too big, malformed

    @app.post(f"{API}/enroll", response_model=EnrollResponse, responses=error_responses(403, *posted))
    def enroll(body: EnrollRequest) -> EnrollResponse:
        db = get_db()
        try:
            dev, token = devices.exchange(db, body.token)
        except devices.DeviceError as exc:
            raise HTTPException(403, str(exc)) from None
        event = db.store.event()
        return EnrollResponse(device_id=dev.id, name=dev.name, role=dev.role, exhibitor_id=dev.exhibitor_id,
                              api_token=token, server_time=_iso(_now()), event_id=event.id if event else None,
                              trust_root=root.public)

    @app.get(f"{API}/time", response_model=TimeResponse, responses=error_responses(401))
    def server_time(dev: devices.Device = Security(device)) -> dict:
        return {"server_time": _iso(_now()), "device": dev.id, "name": dev.name, "role": dev.role}

    @app.get(f"{API}/pull", response_class=Response,
             responses={200: {"model": PullPage, "description": "one page of changes"}, **error_responses(401, 422)})
    def pull(cursor: int = Query(0, ge=0, le=2**62), limit: int = Query(PULL_PAGE_DEFAULT, ge=1, le=PULL_PAGE_MAX),
             dev: devices.Device = Security(device),
             x_kiosk_health: str | None = Header(default=None)) -> Response:
        if x_kiosk_health:
            devices.report_health(get_db(), dev.id, x_kiosk_health, _iso(_now()))
        body = feed.page(get_db(), dev, cursor, limit)
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # signed by the event root: a device believes keys, revocations and attendees only with this
        return Response(raw, media_type="application/json",
                        headers={SIGNATURE_HEADER: root.sign(raw), ROOT_HEADER: root.public})

    @app.post(f"{API}/push", response_model=PushResponse, responses=error_responses(401, 403, *posted))
    def push(body: PushRequest, dev: devices.Device = Security(device)):
        try:
            results = receive.apply_batch(get_db(), dev, body.items)
        except receive.Refused as exc:
            return JSONResponse({"detail": str(exc), "items": exc.items}, status_code=exc.status)
        return PushResponse(results=results, server_time=_iso(_now()))

    @app.post(f"{API}/checkin", responses=error_responses(401, 403, *posted))
    def online_checkin(body: OnlineCheckRequest, dev: devices.Device = Security(device)) -> dict:
        if dev.role not in ("desk", "attendee"):
            raise HTTPException(403, f"a {dev.role} device does not check people in")
        try:
            return decide(get_db(), dev, body)
        except KioskError as exc:
            raise HTTPException(422, str(exc)) from None

    @app.get(f"{API}/handoff/{{code}}", responses=error_responses(401, 403, 404, 422))
    def handoff_case(code: str = PathParam(max_length=handoff.MAX_CODE, pattern=r"^[A-Za-z0-9]+$"),
                     dev: devices.Device = Security(device)) -> dict:
        if dev.role != "desk":
            raise HTTPException(403, "only desk devices look hand-off codes up")
        case = handoff.lookup(get_db().store, code, found_on="server")
        if case is None:
            raise HTTPException(404, "no scan with this hand-off code")
        return case.to_json()

    @app.post(f"{API}/badges/{{attendee_id}}/reprint", response_model=ReprintResponse,
              responses=error_responses(401, 403, 404, 409, *posted))
    def reprint_badge(attendee_id: str, body: ReprintRequest | None = None,
                      dev: devices.Device = Security(device)) -> dict:
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

    @app.get(f"{API}/leads/{{exhibitor_id}}.{{fmt}}", response_class=Response,
             responses={200: {"description": "the exhibitor's leads", "content": _LEAD_FILES},
                        **error_responses(401, 403, 404, 422)})
    def leads_file(exhibitor_id: str, fmt: str, dev: devices.Device = Security(device)) -> Response:
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


def _ssl(tls_files: tuple[Path, Path] | None) -> dict:
    return {"ssl_certfile": str(tls_files[0]), "ssl_keyfile": str(tls_files[1])} if tls_files else {}


def _config(db_path: Path, host: str, port: int, tls_files: tuple[Path, Path] | None = None) -> uvicorn.Config:
    return uvicorn.Config(create_app(db_path), host=host, port=port, log_level="warning", access_log=False,
                          timeout_keep_alive=30, lifespan="off", **_ssl(tls_files))


def server_certificate(db_path: Path, cert: str | Path | None = None, key: str | Path | None = None,
                       names: tuple[str, ...] = ()) -> tuple[Path, Path, str]:
    """The certificate to serve (the given one, else the server's own, made on first use), with its
    SHA-256 recorded in the database for `kiosk-server enroll` to put in setup codes."""
    if cert or key:
        if not (cert and key):
            raise tls.CertificateError("--cert and --key go together")
        files = (Path(cert), Path(key))
        if not files[1].is_file():
            raise tls.CertificateError(f"{key}: no such key file")
        found = (*files, tls.fingerprint(files[0]))
    else:
        found = tls.ensure_certificate(db_path, names)
    db = ServerDB(db_path)
    try:
        db.store.set_meta(tls.META_FINGERPRINT, found[2])
    finally:
        db.close()
    return found


# uvicorn kills a worker that has not answered its supervisor's ping within this many seconds; a
# worker answers only once it has imported the app, which on a busy machine takes longer than 5 s.
WORKER_START_S = 60
DB_ENV = "KIOSK_SERVER_DB"  # how `serve --workers N` hands the database to its worker processes


def app_from_environment() -> FastAPI:
    """The app factory uvicorn's worker processes call (`serve --workers N`)."""
    return create_app(os.environ[DB_ENV])


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8765, insecure_http: bool = False,
          cert: str | Path | None = None, key: str | Path | None = None, workers: int = 1) -> int:
    """`kiosk-server serve`: HTTPS (plain HTTP only with insecure_http, on loopback); run until interrupted.

    With workers > 1, uvicorn's supervisor binds the port once and starts that many worker
    processes on it, all serving the one certificate (a dead one is replaced); the database is
    migrated here first, once."""
    db_path = Path(db_path)
    if insecure_http:
        if not tls.is_loopback(host):
            raise tls.CertificateError(f"--insecure-http serves loopback only (not {host}): devices on the "
                                       "network need HTTPS, or a reverse proxy in front (docs/operations.md)")
        files, scheme, note = None, "http", "plain HTTP, this machine only"
    else:
        cert_path, key_path, sha = server_certificate(db_path, cert, key, (host,))
        files, scheme, note = (cert_path, key_path), "https", f"certificate SHA-256 {sha}"
    print(f"Forum Kiosk server on {scheme}://{host}:{port} ({note}; API docs at /docs), database {db_path}"
          + (f", {workers} worker processes" if workers > 1 else ""), flush=True)
    if workers <= 1:
        uvicorn.Server(_config(db_path, host, port, files)).run()
        return 0
    ServerDB(db_path).close()
    os.environ[DB_ENV] = str(db_path.resolve())
    uvicorn.run("sync.server:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning", access_log=False, timeout_keep_alive=30, lifespan="off",
                timeout_worker_healthcheck=WORKER_START_S, **_ssl(files))
    return 0


class EmbeddedServer:
    """The real server in a background thread: for `kiosk demo` and the tests.

    port=0 picks a free port; with `or_free_port` the given port is tried first and a free one
    taken if it is in use (the demo's usual address). `.url` is known as soon as `start()`
    returns (the socket is bound first). `start(wait=False)` returns at once and builds the app on the thread,
    so a kiosk's start-up is not held up; requests made meanwhile wait in the socket's
    backlog (or fail and are retried, like any network trouble)."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 0, or_free_port: bool = False,
                 tls: bool = False):
        self.db_path = Path(db_path)
        self.host = host
        self.port = port
        self.or_free_port = or_free_port
        self.tls_files: tuple[Path, Path] | None = None
        self.tls_pin: str | None = None  # the certificate's SHA-256 when serving HTTPS
        if tls:
            cert, key, self.tls_pin = server_certificate(self.db_path)
            self.tls_files = (cert, key)
        self._server = None  # uvicorn.Server, once built
        self._thread: threading.Thread | None = None
        self._sock = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls_files else 'http'}://{self.host}:{self.port}"

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
            server = uvicorn.Server(_config(self.db_path, self.host, self.port, self.tls_files))
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

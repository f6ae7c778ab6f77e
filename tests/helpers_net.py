"""A small TCP proxy between a kiosk and the real server that misbehaves on request.

Each new connection takes the next mode from a script (then the default mode):
- "pass": forward both ways;
- "refuse": accept, then close at once (connection reset);
- "cut_response": forward the request, let the server answer, but drop the connection
  after `cut_after` bytes of the answer (the server did the work; the client never hears);
- "cut_request": forward only the first `cut_after` bytes of the request, then close;
- "hold": forward the request, let the server answer, and keep the answer until release() (at most
  HOLD_LIMIT seconds; `holding` is set once an answer waits), so a test decides when it arrives;
- "error500": answer "500 Internal Server Error" without asking the server.
Changing modes closes open connections, so a pooled keep-alive connection cannot dodge it.
It works on TCP, so it sits in front of a TLS server as well (`scheme="https"`): cuts and refusals
land inside TLS records the same way. Not "hold": over TLS it would hold the handshake, so the
request would never be sent; and "error500" becomes a broken handshake rather than an HTTP 500.
"""
from __future__ import annotations

import socket
import threading
from collections import deque

HOLD_LIMIT = 30.0  # seconds a held answer waits for release() before it goes anyway


class FaultProxy:
    def __init__(self, upstream_port: int, host: str = "127.0.0.1", scheme: str = "http"):
        self.upstream = (host, upstream_port)
        self.host = host
        self.scheme = scheme  # "https" in front of a TLS server: the bytes pass through untouched
        self.default = "pass"
        self.script: deque[str] = deque()
        self.cut_after = 200
        self.connections = 0
        self.holding = threading.Event()  # an answer from the server waits in "hold" mode
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)  # so stop() is noticed without waiting for a client
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def start(self) -> "FaultProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._released.set()
        try:
            self._listener.close()
        except OSError:
            pass
        self.drop_all()
        self._thread.join(timeout=5)
        for t in list(self._threads):
            t.join(timeout=5)

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def set(self, default: str = "pass", script: list[str] | None = None, **options) -> None:
        with self._lock:
            self.default = default
            self.script = deque(script or [])
            for k, v in options.items():
                setattr(self, k, v)
            self.holding.clear()
            self._released.clear()
        self.drop_all()

    def release(self) -> None:
        """Lets the answers held in "hold" mode go on to the client."""
        self._released.set()

    def drop_all(self) -> None:
        with self._lock:
            socks, self._open = list(self._open), set()
        for s in socks:
            _close(s)

    # -- internals ------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                mode = self.script.popleft() if self.script else self.default
                self.connections += 1
                self._open.add(client)
            t = threading.Thread(target=self._handle, args=(client, mode), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()] + [t]
            t.start()

    def _handle(self, client: socket.socket, mode: str) -> None:
        try:
            if mode == "refuse":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return
            if mode == "error500":
                _read_request(client)
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                               b"Connection: close\r\n\r\n")
                return
            upstream = socket.create_connection(self.upstream, timeout=30)
            with self._lock:
                self._open.add(upstream)
            up = threading.Thread(target=self._pipe, args=(client, upstream, mode, "request"), daemon=True)
            up.start()
            self._pipe(upstream, client, mode, "response")
            up.join(timeout=30)
        except OSError:
            pass
        finally:
            _close(client)

    def _pipe(self, src: socket.socket, dst: socket.socket, mode: str, direction: str) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if mode == "hold" and direction == "response":
                    self.holding.set()
                    self._released.wait(HOLD_LIMIT)
                limit = self.cut_after if mode == f"cut_{direction}" else None
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[:max(0, limit - sent)])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)


def _read_request(sock: socket.socket) -> None:
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return
        body += chunk


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RoundRobinProxy:
    """A load balancer in miniature: each new connection goes to the next server in turn, and a
    server that refuses the connection (dead) is skipped for the next one. `served[i]` counts the
    connections server i took; `active[i]` how many are open now."""

    def __init__(self, upstream_ports: list[int], host: str = "127.0.0.1"):
        self.upstreams = [(host, p) for p in upstream_ports]
        self.host = host
        self.served = [0] * len(upstream_ports)
        self.active = [0] * len(upstream_ports)
        self._next = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="round-robin-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> "RoundRobinProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopped.set()
        _close(self._listener)
        with self._lock:
            socks, self._open = list(self._open), set()
        for s in socks:
            _close(s)
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            client.settimeout(None)
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _connect(self) -> tuple[int, socket.socket] | None:
        with self._lock:
            first = self._next
            self._next = (self._next + 1) % len(self.upstreams)
        for k in range(len(self.upstreams)):
            i = (first + k) % len(self.upstreams)
            try:
                return i, socket.create_connection(self.upstreams[i], timeout=5)
            except OSError:
                continue
        return None

    def _handle(self, client: socket.socket) -> None:
        picked = self._connect()
        if picked is None:
            _close(client)
            return
        i, upstream = picked
        upstream.settimeout(None)
        with self._lock:
            self.served[i] += 1
            self.active[i] += 1
            self._open |= {client, upstream}
        try:
            up = threading.Thread(target=_copy, args=(client, upstream), daemon=True)
            up.start()
            _copy(upstream, client)
            up.join(timeout=30)
        finally:
            with self._lock:
                self.active[i] -= 1
                self._open -= {client, upstream}


def _copy(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        _close(src)
        _close(dst)

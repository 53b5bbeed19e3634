"""Stand-ins for chatbot replicas behind the gateway: one that answers as told, one that drops."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bench.processes import free_port


@dataclass
class FakeReplica:
    """A chatbot replica whose health and answers the test decides; it counts what it got."""

    name: str
    status: int = 200  # of its API answers
    health: int = 200  # of /api/chat/health
    hits: list[str] = field(default_factory=list)  # "METHOD path" of each API request

    def app(self) -> FastAPI:
        """Build the replica's app."""
        app = FastAPI()

        @app.get("/api/chat/health")
        async def health() -> JSONResponse:
            return JSONResponse({"status": "up"}, status_code=self.health)

        @app.api_route("/api/chat/{rest:path}", methods=["GET", "POST"])
        async def api(request: Request, rest: str) -> JSONResponse:
            self.hits.append(f"{request.method} /api/chat/{rest}")
            body = {"replica": self.name, "key": request.headers.get("idempotency-key")}
            return JSONResponse(body, status_code=self.status)

        return app


class DroppingReplica:
    """A replica that is healthy, then drops every API request without a word (as a process
    killed mid-request does): it reads the request and closes the connection."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dropped: list[str] = []
        self._sock = socket.create_server(("127.0.0.1", self.port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                while True:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        data += chunk
                    line = data.split(b"\r\n", 1)[0].decode()
                    if re.match(r"GET /api/chat/health ", line):
                        conn.sendall(
                            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                            b"content-length: 2\r\n\r\n{}"
                        )
                        continue
                    self.dropped.append(" ".join(line.split(" ")[:2]))
                    return  # the connection closes with no answer
            except OSError:
                return

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


@contextmanager
def dropping_replica() -> Iterator[DroppingReplica]:
    """Run a dropping replica on a loopback port while the block runs."""
    replica = DroppingReplica()
    try:
        yield replica
    finally:
        replica.close()


def metric(text: str, name: str, **labels: str) -> float:
    """Sum the samples of `name` in Prometheus text whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        found = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if found is None or found.group(1) != name:
            continue
        have = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', found.group(2) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(found.group(3))
    return total

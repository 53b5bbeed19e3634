"""The HTTP server every service runs: slow or oversized request heads and slow bodies are cut."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI, Request

from bench.processes import free_port
from okla.common.serving import ServerLimits, server_config


def echo() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def body(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    return app


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    import threading

    port = free_port()
    limits = ServerLimits(
        header_timeout_seconds=1, body_timeout_seconds=1.5, keep_alive_seconds=1,
        max_header_bytes=4096,
    )  # fmt: skip
    server = uvicorn.Server(server_config(echo(), "127.0.0.1", port, limits=limits))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)


def closed_after(conn: socket.socket, limit: float = 10) -> tuple[float, bytes]:
    """Wait until the server hangs up; return how long it took and what it said."""
    began, said = time.monotonic(), b""
    conn.settimeout(limit)
    while data := conn.recv(4096):
        said += data
    return time.monotonic() - began, said


def test_a_connection_that_sends_nothing_is_closed(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as conn:
        waited, said = closed_after(conn)
    assert 0.8 < waited < 3
    assert said.startswith(b"HTTP/1.1 408")


def test_a_head_that_never_ends_is_cut(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as conn:
        conn.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\n")
        waited, said = closed_after(conn)
    assert waited < 3 and said.startswith(b"HTTP/1.1 408")


def test_an_oversized_head_is_refused(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8192 + b"\r\n")
        _waited, said = closed_after(conn)
    assert said.startswith(b"HTTP/1.1 431")


def test_a_body_that_never_ends_is_cut_and_a_quick_one_is_served(
    address: tuple[str, int],
) -> None:
    with socket.create_connection(address) as conn:
        conn.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
            b"Content-Type: application/json\r\n\r\n12"
        )
        waited, _said = closed_after(conn)
    assert 1.2 < waited < 4
    # Keep-alive: two requests on one connection, each well within its bounds.
    with socket.create_connection(address) as conn:
        for _ in range(2):
            conn.sendall(
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                b"Content-Type: application/json\r\n\r\n12"
            )
            conn.settimeout(5)
            assert b'{"received":2}' in conn.recv(4096)
            time.sleep(0.5)


def test_no_server_banner(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as conn:
        conn.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        _waited, said = closed_after(conn)
    head = said.split(b"\r\n\r\n")[0].lower()
    assert b"\r\nserver:" not in head
    assert head.count(b"\r\ndate:") == 1

"""Fixtures shared by every test: free ports and real server processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
# A developer's own settings must not leak into the servers the tests start.
_SERVER_ENV = {
    "MODEL_PATH",
    "MODEL_ALIAS",
    "HOST",
    "PORT",
    "N_CTX",
    "N_GPU_LAYERS",
    "N_THREADS",
    "N_BATCH",
    "N_PARALLEL",
    "PROMPT_CHUNK",
    "KV_CACHE_TYPE",
    "MAX_TOKENS",
    "MAX_QUEUE",
    "API_KEY",
}


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    """A real `okla llm serve` process on a loopback port."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def launch_llm_server(
    tmp: Path,
    env: dict[str, str] | None = None,
    args: list[str] | None = None,
    port: int | None = None,
) -> ServerProcess:
    """Start `okla llm serve` on a free port (or the given one); don't wait for it."""
    port = port or free_port()
    log = tmp / f"llm-{port}.log"
    inherited = {k: v for k, v in os.environ.items() if k not in _SERVER_ENV}
    full_env = {**inherited, "PORT": str(port), "HOST": "127.0.0.1", **(env or {})}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "okla", "llm", "serve", *(args or [])],
            env=full_env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return ServerProcess(process=process, port=port, log=log)


def wait_ready(server: ServerProcess, timeout: float = 120.0) -> None:
    """Wait until /health answers 200, or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server exited with {server.process.returncode}:\n{server.log_text()}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    pytest.fail(f"server not ready after {timeout} s:\n{server.log_text()}")


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """Serve the bundled model, with room for several waiting requests."""
    server = launch_llm_server(
        tmp_path_factory.mktemp("llm"),
        env={"MAX_QUEUE": "8", "MAX_TOKENS": "256", "N_CTX": "2048", "MODEL_ALIAS": "smollm2"},
    )
    wait_ready(server)
    yield server
    server.stop()

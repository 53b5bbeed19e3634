"""Servers as child processes on loopback ports: one server, or the whole stack with `okla up`.

The benchmarks use these, and so do the tests (tests may import bench, never the reverse).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

# The stack's own settings a developer may have exported: a run must not pick them up.
_STACK_ENV = {"MODEL_PATH", "API_KEY", "DATABASE_URL", "REDIS_URL", "LLM_BASE_URL"}


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class NotReady(RuntimeError):
    """A server exited, or did not answer, before it was ready."""


@dataclass
class ServerProcess:
    """A server running as a child process on a loopback port, its output in a log file."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @classmethod
    def launch(
        cls, command: Sequence[str], env: Mapping[str, str], log: Path, port: int
    ) -> ServerProcess:
        """Start `command` with exactly `env`, writing its output to `log`; don't wait for it."""
        with log.open("wb") as handle:
            process = subprocess.Popen(
                list(command), env=dict(env), stdout=handle, stderr=subprocess.STDOUT
            )
        return cls(process=process, port=port, log=log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, path: str = "/health", timeout: float = 120.0) -> None:
        """Wait until `path` answers 200; stop the server and raise NotReady if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NotReady(f"server exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                if httpx.get(f"{self.url}{path}", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise NotReady(f"server not ready after {timeout} s:\n{self.log_text()}")

    def stop(self, timeout: float = 20.0) -> int:
        """Terminate the server (kill it if it lingers); return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class Stack:
    """The whole stack started with `okla up` in its own run directory and ports."""

    def __init__(self, run_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.run_dir = run_dir
        self.env = {k: v for k, v in os.environ.items() if k not in _STACK_ENV}
        self.env.update(
            OKLA_RUN_DIR=str(run_dir),
            PORT=str(free_port()),
            CHATBOT_PORT=str(free_port()),
            GATEWAY_PORT=str(free_port()),
            HOST="127.0.0.1",
            **(extra_env or {}),
        )
        self.gateway = f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"
        self.llm = f"http://127.0.0.1:{self.env['PORT']}"

    def okla(self, *args: str, timeout: float = 400) -> subprocess.CompletedProcess[str]:
        """Run an `okla` command against this stack."""
        return subprocess.run(
            [sys.executable, "-m", "okla", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def pids(self) -> dict[str, int]:
        """Return the process id of each service the run directory knows of."""
        found = {}
        for name in ("llm", "chat", "gateway"):
            path = self.run_dir / f"{name}.pid"
            if path.exists():
                found[name] = int(json.loads(path.read_text())["pid"])
        return found

    @property
    def database(self) -> Path:
        return self.run_dir / "okla-chat.db"

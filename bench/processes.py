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
# Those a single service started by a benchmark must not pick up either.
_SERVICE_ENV = _STACK_ENV | {"ANSWER_MODE", "ROUTES_FILE"}
# A rate limit no benchmark reaches.
UNLIMITED = "1000000/minute"
_REPO = Path(__file__).resolve().parent.parent


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


def service_env(**settings: str) -> dict[str, str]:
    """Return this process's environment without the stack's settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in _SERVICE_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(_REPO / "src"), str(_REPO)])
    return env | settings


def templated_chatbot(run_dir: Path, name: str, **settings: str) -> ServerProcess:
    """Start `okla chat serve --demo` answering from templates only, its limits out of the way.

    `settings` (DATABASE_URL, REDIS_URL, JWT_SECRET, ...) go in its environment.
    """
    port = free_port()
    env = service_env(
        CHATBOT_PORT=str(port),
        ANSWER_MODE="template",
        LLM_BASE_URL=f"http://127.0.0.1:{free_port()}/v1",  # never called
        RATE_LIMIT_MESSAGES=UNLIMITED,
        RATE_LIMIT_SESSIONS=UNLIMITED,
        RATE_LIMIT_TOKEN_MISSES=UNLIMITED,
        RATE_LIMIT_LOGINS=UNLIMITED,
        OKLA_RUN_DIR=str(run_dir),
        **settings,
    )
    command = [sys.executable, "-m", "okla", "chat", "serve", "--demo"]
    server = ServerProcess.launch(command, env, run_dir / f"chat-{name}.log", port)
    server.wait_ready("/api/chat/health", timeout=120)
    return server


def unlimited_gateway(run_dir: Path, chatbot_url: str, name: str, **settings: str) -> ServerProcess:
    """Start the gateway in front of a chatbot, its rate limits out of the way."""
    routes = json.loads((_REPO / "src" / "okla" / "gateway" / "routes.json").read_text())
    routes["rateLimits"] = {key: UNLIMITED for key in routes["rateLimits"]}
    routes_file = run_dir / f"routes-{name}.json"
    routes_file.write_text(json.dumps(routes))
    port = free_port()
    env = service_env(
        GATEWAY_PORT=str(port), CHATBOT_URL=chatbot_url, ROUTES_FILE=str(routes_file), **settings
    )
    command = [sys.executable, "-m", "okla", "gateway", "serve"]
    server = ServerProcess.launch(command, env, run_dir / f"gateway-{name}.log", port)
    server.wait_ready("/health", timeout=60)
    return server

"""Run a service in the background: PID file, log file, health wait; never kill a stranger."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from okla.common.files import private_dir, private_file, write_private


def default_run_dir() -> Path:
    """Return where PID and log files go (OKLA_RUN_DIR, else ~/.local/state/okla)."""
    configured = os.environ.get("OKLA_RUN_DIR")
    if configured:
        return Path(configured).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "okla"


@dataclass(frozen=True)
class ServiceSpec:
    """A background service: its name, how to run it in the foreground, where it listens."""

    name: str
    command: list[str]
    host: str
    port: int
    health_path: str = "/health"
    run_dir: Path | None = None
    # Settings given to the process in its environment, over ours (secrets: never in its
    # command line, where any local user could read them, nor in the PID file).
    env: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def directory(self) -> Path:
        """Return the run directory."""
        return self.run_dir or default_run_dir()

    @property
    def pid_file(self) -> Path:
        """Return the PID file's path."""
        return self.directory / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        """Return the log file's path."""
        return self.directory / f"{self.name}.log"

    @property
    def health_url(self) -> str:
        """Return the URL of the health check."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}{self.health_path}"


class ServiceError(Exception):
    """A start, stop or status that cannot go on; the message says why."""


def read_pid_file(spec: ServiceSpec) -> dict[str, Any] | None:
    """Return the PID file's record if it names a live process we started."""
    try:
        record: dict[str, Any] = json.loads(spec.pid_file.read_text())
        process = psutil.Process(int(record["pid"]))
        # A PID can be reused by an unrelated process: the start time must match too.
        if abs(process.create_time() - float(record["create_time"])) > 1.0:
            return None
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return record
    except (OSError, ValueError, KeyError, TypeError, psutil.Error):
        return None


def port_owner(host: str, port: int) -> int | None:
    """Return the PID listening on the port, 0 if unknown, None if the port is free."""
    try:
        connections = psutil.net_connections(kind="inet")
    except psutil.Error:
        connections = []
    for conn in connections:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
            return conn.pid or 0
    import socket

    # net_connections may not see every socket (permissions); try to bind as a last check.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: connections a stopped server closed, still in TIME_WAIT on the
        # port, must not count as someone using it.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return 0
    return None


def health(spec: ServiceSpec, timeout: float = 2.0) -> tuple[int | None, dict[str, Any] | None]:
    """Return the health check's status code and body, or (None, None) if unreachable."""
    try:
        response = httpx.get(spec.health_url, timeout=timeout)
    except httpx.HTTPError:
        return None, None
    try:
        body = response.json()
    except ValueError:
        body = None
    return response.status_code, body if isinstance(body, dict) else None


def stop(spec: ServiceSpec, timeout: float = 20.0) -> str:
    """Stop our background server, if it runs; return what happened."""
    record = read_pid_file(spec)
    if record is None:
        spec.pid_file.unlink(missing_ok=True)
        return f"{spec.name}: not running"
    pid = int(record["pid"])
    process = psutil.Process(pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except psutil.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    spec.pid_file.unlink(missing_ok=True)
    return f"{spec.name}: stopped (PID {pid})"


def start(spec: ServiceSpec, wait_timeout: float = 120.0) -> str:
    """Start the server in the background and wait until its health check says ready."""
    private_dir(spec.directory)
    ours = read_pid_file(spec)
    owner = port_owner(spec.host, spec.port)
    if owner is not None:
        if ours is not None and owner in (int(ours["pid"]), 0):
            stop(spec)
        elif owner == 0:
            raise ServiceError(
                f"Port {spec.port} is already in use by another process (its PID could not be "
                f"read). Free the port or choose another with --port."
            )
        else:
            raise ServiceError(
                f"Port {spec.port} is already in use by PID {owner} "
                f"({_describe_process(owner)}), which okla did not start. Stop it yourself, "
                f"or choose another port with --port; okla does not kill processes it "
                f"didn't start."
            )
    elif ours is not None:
        stop(spec)  # our earlier server, not listening (stuck or still loading)

    with private_file(spec.log_file).open("ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {spec.name}\n".encode())
        log.flush()
        process = subprocess.Popen(
            spec.command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
            env={**os.environ, **spec.env} if spec.env else None,
        )
    created = psutil.Process(process.pid).create_time()
    write_private(
        spec.pid_file,
        json.dumps(
            {
                "pid": process.pid,
                "create_time": created,
                "port": spec.port,
                "host": spec.host,
                "command": spec.command,
                "log": str(spec.log_file),
            }
        ),
    )
    deadline = time.monotonic() + wait_timeout
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            spec.pid_file.unlink(missing_ok=True)
            raise ServiceError(
                f"{spec.name} exited with code {code} before it was ready. "
                f"Last lines of {spec.log_file}:\n{tail(spec.log_file)}"
            )
        status, _body = health(spec)
        if status == 200:
            return status_text(spec)
        time.sleep(0.25)
    raise ServiceError(
        f"{spec.name} (PID {process.pid}) did not become ready within {wait_timeout:.0f} s "
        f"({spec.health_url} never answered 200). It is still running: see {spec.log_file}, "
        f"or stop it with 'okla {spec.name} stop'. Last log lines:\n{tail(spec.log_file)}"
    )


def status_text(spec: ServiceSpec) -> str:
    """Describe whether the server runs and what its health check says."""
    record = read_pid_file(spec)
    code, body = health(spec)
    if record is None and code is None:
        return f"{spec.name}: not running"
    head = f"{spec.name}: PID {record['pid']}" if record else f"{spec.name}: not started by okla"
    lines = [f"{head}, {spec.health_url} -> {code if code is not None else 'no answer'}"]
    if body:
        lines.extend(f"  {key}: {value}" for key, value in body.items())
    if record:
        lines.append(f"  log: {record.get('log')}")
    return "\n".join(lines)


def tail(path: Path, lines: int = 15) -> str:
    """Return the last lines of a log file."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _describe_process(pid: int) -> str:
    try:
        return " ".join(psutil.Process(pid).cmdline())[:120] or psutil.Process(pid).name()
    except psutil.Error:
        return "unknown process"


def python_command(*args: str) -> list[str]:
    """Return the command that runs `okla ARGS` with this interpreter."""
    return [sys.executable, "-m", "okla", *args]

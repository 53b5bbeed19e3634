"""`okla llm start | status | stop`: background runs that never kill a stranger."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from bench.processes import free_port
from okla.process import port_owner


@pytest.fixture
def run_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"MODEL_PATH", "PORT", "HOST", "API_KEY"}
    }
    env["OKLA_RUN_DIR"] = str(tmp_path / "run")
    env["PORT"] = str(free_port())
    yield env
    okla(env, "stop")


def okla(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okla", "llm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.integration
def test_start_status_restart_stop(run_env: dict[str, str]) -> None:
    started = okla(run_env, "start")
    assert started.returncode == 0, started.stderr
    assert "-> 200" in started.stdout
    pid_file = Path(run_env["OKLA_RUN_DIR"]) / "llm.pid"
    log_file = Path(run_env["OKLA_RUN_DIR"]) / "llm.log"
    assert pid_file.exists() and log_file.exists()
    # Logs may hold what customers wrote: the owner's alone, as is their folder.
    assert stat.S_IMODE(pid_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(pid_file.parent.stat().st_mode) == 0o700
    first_pid = pid_file.read_text()

    status = okla(run_env, "status")
    assert status.returncode == 0
    assert "status: ok" in status.stdout

    # Its own earlier server on the port is replaced, not reported as a stranger.
    again = okla(run_env, "start")
    assert again.returncode == 0, again.stderr
    assert pid_file.read_text() != first_pid

    stopped = okla(run_env, "stop")
    assert stopped.returncode == 0
    assert "stopped" in stopped.stdout
    assert not pid_file.exists()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{run_env['PORT']}/health", timeout=2)
    assert okla(run_env, "status").returncode == 3


@pytest.mark.integration
def test_port_taken_by_a_stranger_is_left_alone(run_env: dict[str, str]) -> None:
    stranger = subprocess.Popen(
        [sys.executable, "-m", "http.server", run_env["PORT"], "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{run_env['PORT']}/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        result = okla(run_env, "start")
        assert result.returncode == 1
        assert f"PID {stranger.pid}" in result.stderr
        assert "did not start" in result.stderr
        assert stranger.poll() is None, "the stranger must still be running"
    finally:
        stranger.terminate()
        stranger.wait()


@pytest.mark.integration
def test_start_explains_a_server_that_dies(run_env: dict[str, str], tmp_path: Path) -> None:
    run_env["MODEL_PATH"] = str(tmp_path / "nowhere.gguf")
    result = okla(run_env, "start")
    assert result.returncode == 1
    assert "exited with code 2" in result.stderr
    assert "Model file not found" in result.stderr


@pytest.mark.integration
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_start_gives_up_after_the_wait_timeout(run_env: dict[str, str], tmp_path: Path) -> None:
    pipe = tmp_path / "never.gguf"
    os.mkfifo(pipe)  # reading it blocks: the server never becomes ready
    run_env["MODEL_PATH"] = str(pipe)
    result = okla(run_env, "start", "--wait-timeout", "3")
    assert result.returncode == 1
    assert "did not become ready within 3 s" in result.stderr
    assert "okla llm stop" in result.stderr
    assert okla(run_env, "stop").returncode == 0


def test_a_port_with_closed_connections_waiting_is_free() -> None:
    # `okla down; okla up`: the server closed its connections first, so their ends wait in
    # TIME_WAIT on its port for a minute; a new server (uvicorn: SO_REUSEADDR) can bind anyway.
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port: int = server.getsockname()[1]
        assert port_owner("127.0.0.1", port) is not None
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()
            client.recv(1)  # the server's FIN arrived
    deadline = time.monotonic() + 5
    while not any(
        c.laddr and c.laddr.port == port and c.status == psutil.CONN_TIME_WAIT
        for c in psutil.net_connections(kind="tcp4")
    ):
        assert time.monotonic() < deadline, "no TIME_WAIT to test with"
        time.sleep(0.05)

    assert port_owner("127.0.0.1", port) is None
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))

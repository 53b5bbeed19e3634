"""Real `okla llm serve` processes for the tests, away from a developer's own settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.processes import ServerProcess, free_port

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


def launch_llm_server(
    tmp: Path,
    env: dict[str, str] | None = None,
    args: list[str] | None = None,
    port: int | None = None,
) -> ServerProcess:
    """Start `okla llm serve` on a free port (or the given one); don't wait for it."""
    port = port or free_port()
    inherited = {k: v for k, v in os.environ.items() if k not in _SERVER_ENV}
    return ServerProcess.launch(
        [sys.executable, "-m", "okla", "llm", "serve", *(args or [])],
        {**inherited, "PORT": str(port), "HOST": "127.0.0.1", **(env or {})},
        tmp / f"llm-{port}.log",
        port,
    )

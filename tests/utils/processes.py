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
    "SPECULATION",
    "SPECULATION_NGRAM_MIN",
    "SPECULATION_NGRAM_MAX",
    "SPECULATION_DRAFT_MAX",
    "SPECULATION_STEP_BUDGET",
    "SPECULATION_TOKEN_COST",
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


# The chatbot's and the gateway's own settings a developer may have exported.
_STACK_ENV = _SERVER_ENV | {
    "CHATBOT_HOST", "CHATBOT_PORT", "DATABASE_URL", "REDIS_URL", "LLM_BASE_URL", "LLM_API_KEY",
    "GATEWAY_HOST", "GATEWAY_PORT", "CHATBOT_URL", "ROUTES_FILE", "ALLOWED_ORIGINS", "JWT_SECRET",
    "TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS", "GATEWAY_KEY", "GATEWAY_DOCS", "GATEWAY_TEST_PAGES",
    "ANSWER_MODE", "OKLA_RUN_DIR", "RETENTION_DAYS",
}  # fmt: skip


def _clean_env(tmp: Path, env: dict[str, str] | None) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in _STACK_ENV}
    return {**inherited, "OKLA_RUN_DIR": str(tmp / "run"), **(env or {})}


def launch_chatbot(
    tmp: Path, llm_url: str, env: dict[str, str] | None = None, port: int | None = None
) -> ServerProcess:
    """Start `okla chat serve --demo` on SQLite in `tmp`, answering from the templates unless
    told otherwise; don't wait for it."""
    port = port or free_port()
    values = {
        "CHATBOT_PORT": str(port),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'chat.db'}",
        "LLM_BASE_URL": llm_url,
        "ANSWER_MODE": "template",
        **(env or {}),
    }
    return ServerProcess.launch(
        [sys.executable, "-m", "okla", "chat", "serve", "--demo"],
        _clean_env(tmp, values),
        tmp / f"chat-{port}.log",
        port,
    )


def launch_gateway(
    tmp: Path, chatbot_url: str, env: dict[str, str] | None = None, port: int | None = None
) -> ServerProcess:
    """Start `okla gateway serve` in front of the chatbot; don't wait for it."""
    port = port or free_port()
    values = {"GATEWAY_PORT": str(port), "CHATBOT_URL": chatbot_url, **(env or {})}
    return ServerProcess.launch(
        [sys.executable, "-m", "okla", "gateway", "serve"],
        _clean_env(tmp, values),
        tmp / f"gateway-{port}.log",
        port,
    )

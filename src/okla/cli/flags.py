"""The flags that override settings, as tables shared by `serve` and `start`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple


class Flag(NamedTuple):
    """A command-line flag that sets one settings field."""

    option: str
    dest: str
    kind: type
    help: str


LLM_FLAGS = (
    Flag("--model", "model_path", str, "GGUF file (MODEL_PATH); default: the bundled SmolLM2"),
    Flag("--alias", "model_alias", str, "model id reported by the API (MODEL_ALIAS)"),
    Flag("--host", "host", str, "bind address (HOST, default 127.0.0.1)"),
    Flag("--port", "port", int, "port (PORT, default 8000)"),
    Flag("--n-ctx", "n_ctx", int, "context window in tokens (N_CTX, default 2048)"),
    Flag("--n-gpu-layers", "n_gpu_layers", int, "layers offloaded to the GPU (N_GPU_LAYERS)"),
    Flag("--n-threads", "n_threads", int, "CPU threads (N_THREADS, default: all cores)"),
    Flag("--n-batch", "n_batch", int, "tokens per decode step (N_BATCH, default 512)"),
    Flag("--n-parallel", "n_parallel", int,
         "conversations decoded together (N_PARALLEL, default 4)"),
    Flag("--prompt-chunk", "prompt_chunk", int,
         "prompt tokens per step (PROMPT_CHUNK, default 64)"),
    Flag("--speculation", "speculation", str, "off or ngram (SPECULATION)"),
    Flag("--kv-cache-type", "kv_cache_type", str, "bf16, q8_0, f16 or f32 (KV_CACHE_TYPE)"),
    Flag("--max-tokens", "max_tokens", int, "cap on tokens per reply (MAX_TOKENS, default 200)"),
    Flag("--max-queue", "max_queue", int, "requests waiting for a slot (MAX_QUEUE, default 4)"),
    Flag("--api-key", "api_key", str, "require this Bearer key on /v1 (API_KEY)"),
)  # fmt: skip

CHAT_FLAGS = (
    Flag("--host", "host", str, "bind address (CHATBOT_HOST, default 127.0.0.1)"),
    Flag("--port", "port", int, "port (CHATBOT_PORT, default 5060)"),
    Flag("--database-url", "database_url", str, "DATABASE_URL (default: a SQLite file)"),
    Flag("--redis-url", "redis_url", str, "REDIS_URL (default: in-process)"),
    Flag("--llm-base-url", "llm_base_url", str,
         "LLM_BASE_URL (default http://127.0.0.1:8000/v1)"),
)  # fmt: skip

GATEWAY_FLAGS = (
    Flag("--host", "host", str, "bind address (GATEWAY_HOST, default 127.0.0.1)"),
    Flag("--port", "port", int, "port (GATEWAY_PORT, default 18443)"),
    Flag("--chatbot-url", "chatbot_url", str, "CHATBOT_URL (default http://127.0.0.1:5060)"),
    Flag("--routes-file", "routes_file", str, "ROUTES_FILE (default: the shipped routes.json)"),
)


def add_flags(parser: argparse.ArgumentParser, flags: Sequence[Flag]) -> None:
    """Add the flags; each defaults to None, meaning "as the environment says"."""
    for flag in flags:
        parser.add_argument(flag.option, dest=flag.dest, type=flag.kind, default=None,
                            help=flag.help)  # fmt: skip


def given(args: argparse.Namespace, flags: Sequence[Flag]) -> dict[str, Any]:
    """Return the settings given on the command line (they override the environment)."""
    return {
        flag.dest: getattr(args, flag.dest)
        for flag in flags
        if getattr(args, flag.dest, None) is not None
    }


def options(values: Mapping[str, object], flags: Sequence[Flag]) -> list[str]:
    """Return the flags that give these settings again, for a `serve` run in the background."""
    return [f"{flag.option}={values[flag.dest]}" for flag in flags if flag.dest in values]


def configure_logging(level: str) -> None:
    """Log to stderr at this level, for a server in the foreground, with personal data masked."""
    from okla.common.log_privacy import protect

    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    protect()

"""The `okla` command: one subcommand per service."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from okla import __version__

_LLM_FLAGS: list[tuple[str, str, type, str]] = [
    ("--model", "model_path", str, "GGUF file (MODEL_PATH); default: the bundled SmolLM2"),
    ("--alias", "model_alias", str, "model id reported by the API (MODEL_ALIAS)"),
    ("--host", "host", str, "bind address (HOST, default 127.0.0.1)"),
    ("--port", "port", int, "port (PORT, default 8000)"),
    ("--n-ctx", "n_ctx", int, "context window in tokens (N_CTX, default 2048)"),
    ("--n-gpu-layers", "n_gpu_layers", int, "layers offloaded to the GPU (N_GPU_LAYERS)"),
    ("--n-threads", "n_threads", int, "CPU threads (N_THREADS, default: all cores)"),
    ("--n-batch", "n_batch", int, "prompt batch size (N_BATCH, default 512)"),
    ("--max-tokens", "max_tokens", int, "cap on tokens per reply (MAX_TOKENS, default 200)"),
    ("--max-queue", "max_queue", int, "requests that may wait (MAX_QUEUE, default 16)"),
    ("--api-key", "api_key", str, "require this Bearer key on /v1 (API_KEY)"),
]


def _add_llm_flags(parser: argparse.ArgumentParser) -> None:
    for flag, dest, kind, text in _LLM_FLAGS:
        parser.add_argument(flag, dest=dest, type=kind, default=None, help=text)


def _llm_overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {dest: getattr(args, dest) for _, dest, _, _ in _LLM_FLAGS if getattr(args, dest)}


def _llm_forwarded_flags(args: argparse.Namespace) -> list[str]:
    out: list[str] = []
    for flag, dest, _, _ in _LLM_FLAGS:
        value = getattr(args, dest)
        if value is not None:
            out += [flag, str(value)]
    return out


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    parser = argparse.ArgumentParser(prog="okla", description="OKLA Chat")
    parser.add_argument("--version", action="version", version=f"okla {__version__}")
    services = parser.add_subparsers(dest="service", required=True)

    llm = services.add_parser("llm", help="the OpenAI-compatible LLM server (llama.cpp)")
    llm_cmds = llm.add_subparsers(dest="command", required=True)
    serve = llm_cmds.add_parser("serve", help="run in the foreground")
    _add_llm_flags(serve)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    start = llm_cmds.add_parser("start", help="run in the background and wait until ready")
    _add_llm_flags(start)
    start.add_argument("--wait-timeout", type=float, default=180.0, help="seconds (180)")
    for name, text in (("stop", "stop the background server"), ("status", "show its state")):
        sub = llm_cmds.add_parser(name, help=text)
        sub.add_argument("--host", default=None)
        sub.add_argument("--port", type=int, default=None)
    return parser


def _llm_spec(args: argparse.Namespace) -> Any:
    from okla.llm_server.settings import LlmServerSettings
    from okla.process import ServiceSpec, python_command

    settings = LlmServerSettings(
        **{k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    )
    forwarded = _llm_forwarded_flags(args) if args.command == "start" else []
    return ServiceSpec(
        name="llm",
        command=python_command("llm", "serve", *forwarded),
        host=settings.host,
        port=settings.port,
    )


def _serve_llm(args: argparse.Namespace) -> int:
    import uvicorn

    from okla.llm_server.app import create_app
    from okla.llm_server.errors import ModelLoadError
    from okla.llm_server.model_file import read_gguf_header, resolve_model_path
    from okla.llm_server.settings import LlmServerSettings

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = LlmServerSettings(**_llm_overrides(args))
    try:
        # Explain a missing or foreign file before opening a port.
        read_gguf_header(resolve_model_path(settings.model_path))
    except ModelLoadError as exc:
        print(f"okla llm serve: cannot serve the model: {exc}", file=sys.stderr)
        return 2
    failures: list[str] = []
    holder: dict[str, uvicorn.Server] = {}

    def on_load_failure(message: str) -> None:
        failures.append(message)
        holder["server"].should_exit = True

    app = create_app(settings, on_load_failure=on_load_failure)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )
    server = holder["server"] = uvicorn.Server(config)
    server.run()
    if failures:
        print(f"okla llm serve: the model failed to load: {failures[0]}", file=sys.stderr)
        return 1
    return 0 if server.started else 1


def _manage(args: argparse.Namespace) -> int:
    from okla import process

    spec = _llm_spec(args)
    try:
        if args.command == "start":
            print(process.start(spec, wait_timeout=args.wait_timeout))
        elif args.command == "stop":
            print(process.stop(spec))
        else:
            text = process.status_text(spec)
            print(text)
            return 0 if "-> 200" in text else 3
    except process.ServiceError as exc:
        print(f"okla {spec.name} {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = build_parser().parse_args(argv)
    if args.service == "llm":
        if args.command == "serve":
            return _serve_llm(args)
        return _manage(args)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

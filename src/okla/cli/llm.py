"""`okla llm`: the OpenAI-compatible LLM server."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from okla.cli.background import Background
from okla.cli.flags import LLM_FLAGS, add_flags, add_log_level, configure_logging, given, options

if TYPE_CHECKING:
    from okla.llm_server.settings import LlmServerSettings
    from okla.process import ServiceSpec


def add_commands(services: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `okla llm serve | start | stop | status`."""
    llm = services.add_parser("llm", help="the OpenAI-compatible LLM server (llama.cpp)")
    commands = llm.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help="run in the foreground")
    add_flags(serve_command, LLM_FLAGS)
    add_log_level(serve_command)
    serve_command.set_defaults(run=serve)
    background = Background(_spec)
    start = commands.add_parser("start", help="run in the background and wait until ready")
    add_flags(start, LLM_FLAGS)
    start.add_argument("--wait-timeout", type=float, default=180.0, help="seconds (180)")
    start.set_defaults(run=background.start)
    background.add_stop_and_status(commands, "stop the background server")


def llm_spec(settings: LlmServerSettings, values: Mapping[str, object]) -> ServiceSpec:
    """Describe the LLM server run in the background, `serve` given these settings' flags."""
    from okla.process import ServiceSpec, python_command

    return ServiceSpec(
        name="llm",
        command=python_command("llm", "serve", *options(values, LLM_FLAGS)),
        host=settings.host,
        port=settings.port,
    )


def _spec(args: argparse.Namespace) -> ServiceSpec:
    from okla.llm_server.settings import LlmServerSettings

    values = given(args, LLM_FLAGS)
    # Only where it listens: the server checks the rest itself, and explains it in its log.
    where = {k: v for k, v in values.items() if k in ("host", "port")}
    return llm_spec(LlmServerSettings(**where), values)


def serve(args: argparse.Namespace) -> int:
    """Run the LLM server in the foreground."""
    import uvicorn

    from okla.llm_server.app import create_app
    from okla.llm_server.errors import ModelLoadError
    from okla.llm_server.model_file import read_gguf_header, resolve_model_path
    from okla.llm_server.settings import LlmServerSettings

    configure_logging(args.log_level)
    settings = LlmServerSettings(**given(args, LLM_FLAGS))
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

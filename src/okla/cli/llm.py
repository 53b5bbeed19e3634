"""`okla llm`: the OpenAI-compatible LLM server."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from okla.cli.flags import LLM_FLAGS, configure_logging, given

if TYPE_CHECKING:
    from okla.llm_server.settings import LlmServerSettings


def listening(values: dict[str, Any]) -> LlmServerSettings:
    """Return the settings, with only where it listens taken from the flags.

    The server checks the rest itself, and explains a bad value in its log.
    """
    from okla.llm_server.settings import LlmServerSettings

    return LlmServerSettings(**{k: v for k, v in values.items() if k in ("host", "port")})


def serve(args: argparse.Namespace) -> int:
    """Run the LLM server in the foreground."""
    import uvicorn

    from okla.common.serving import server_config
    from okla.llm_server.app import create_app
    from okla.llm_server.errors import ModelLoadError
    from okla.llm_server.model_file import read_gguf_header, resolve_model_path
    from okla.llm_server.settings import LlmServerSettings

    configure_logging(args.log_level)
    settings = LlmServerSettings(**given(args, LLM_FLAGS))
    if settings.open_without_key():
        print(
            f"okla llm serve: listening on {settings.host} would let anyone who can reach it "
            "use the model: set API_KEY (or --api-key), or ALLOW_NO_API_KEY=1 to serve "
            "without one.",
            file=sys.stderr,
        )
        return 2
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
    config = server_config(
        app, settings.host, settings.port, log_level=args.log_level, graceful_seconds=5
    )
    server = holder["server"] = uvicorn.Server(config)
    server.run()
    if failures:
        print(f"okla llm serve: the model failed to load: {failures[0]}", file=sys.stderr)
        return 1
    return 0 if server.started else 1

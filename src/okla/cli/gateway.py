"""`okla gateway`: the API gateway and the web pages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from okla.cli.background import Background
from okla.cli.flags import (
    GATEWAY_FLAGS,
    add_flags,
    add_log_level,
    configure_logging,
    given,
    options,
)

if TYPE_CHECKING:
    from okla.gateway.settings import GatewaySettings
    from okla.process import ServiceSpec


def add_commands(services: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `okla gateway serve | start | stop | status`."""
    gateway = services.add_parser("gateway", help="the API gateway and web pages")
    commands = gateway.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help="run in the foreground")
    add_flags(serve_command, GATEWAY_FLAGS)
    add_log_level(serve_command)
    serve_command.set_defaults(run=serve)
    background = Background(_spec)
    start = commands.add_parser("start", help="run in the background and wait until ready")
    start.add_argument("--wait-timeout", type=float, default=60.0)
    add_flags(start, GATEWAY_FLAGS)
    start.set_defaults(run=background.start)
    background.add_stop_and_status(commands, "stop the background gateway")


def gateway_spec(settings: GatewaySettings, values: Mapping[str, object]) -> ServiceSpec:
    """Describe the gateway run in the background, `serve` given these settings' flags."""
    from okla.process import ServiceSpec, python_command

    return ServiceSpec(
        name="gateway",
        command=python_command("gateway", "serve", *options(values, GATEWAY_FLAGS)),
        host=settings.host,
        port=settings.port,
        health_path="/health",
    )


def _settings(args: argparse.Namespace) -> GatewaySettings:
    from okla.gateway.settings import GatewaySettings

    return GatewaySettings(**given(args, GATEWAY_FLAGS))


def _spec(args: argparse.Namespace) -> ServiceSpec:
    return gateway_spec(_settings(args), given(args, GATEWAY_FLAGS))


def serve(args: argparse.Namespace) -> int:
    """Run the gateway in the foreground."""
    import uvicorn

    from okla.gateway.app import create_app
    from okla.gateway.routes import RouteTableError

    configure_logging(args.log_level)
    settings = _settings(args)
    try:
        app = create_app(settings)
    except RouteTableError as exc:
        print(f"okla gateway serve: {exc}", file=sys.stderr)
        return 2
    # Our own access log redacts session tokens; uvicorn's would not.
    # The gateway is the edge: it appends to X-Forwarded-For, never trusts it for the peer.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level,
                access_log=False, proxy_headers=False, timeout_graceful_shutdown=10)  # fmt: skip
    return 0

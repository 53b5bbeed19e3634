"""`okla gateway`: the API gateway and the web pages."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from okla.cli.flags import GATEWAY_FLAGS, configure_logging, given

if TYPE_CHECKING:
    from okla.gateway.settings import GatewaySettings


def gateway_settings(values: dict[str, Any]) -> GatewaySettings:
    """Return the settings: the environment's, overridden by the flags given."""
    from okla.gateway.settings import GatewaySettings

    return GatewaySettings(**values)


def serve(args: argparse.Namespace) -> int:
    """Run the gateway in the foreground."""
    import uvicorn

    from okla.common.serving import server_config
    from okla.gateway.app import create_app
    from okla.gateway.routes import RouteTableError

    configure_logging(args.log_level)
    settings = gateway_settings(given(args, GATEWAY_FLAGS))
    try:
        app = create_app(settings)
    except RouteTableError as exc:
        print(f"okla gateway serve: {exc}", file=sys.stderr)
        return 2
    uvicorn.Server(server_config(app, settings.host, settings.port, log_level=args.log_level)).run()
    return 0

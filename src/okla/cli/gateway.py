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

    from okla.gateway.app import create_app
    from okla.gateway.routes import RouteTableError

    configure_logging(args.log_level)
    settings = gateway_settings(given(args, GATEWAY_FLAGS))
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

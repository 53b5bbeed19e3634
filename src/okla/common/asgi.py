"""Small helpers for plain ASGI middleware."""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from okla.common.errors import error_body


def header(scope: Scope, name: bytes) -> str | None:
    """Return a request header's value, or None."""
    for key, value in scope["headers"]:
        if key == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


async def send_json_error(
    send: Send, status: int, code: str, message: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """Send a whole JSON error response from middleware, before any app has answered."""
    body = json.dumps(error_body(code, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HttpMiddleware:
    """Plain ASGI middleware that acts on the HTTP requests it `applies` to; others pass by."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.applies(scope):
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def applies(self, scope: Scope) -> bool:
        """Tell whether to act on this HTTP request (every one, unless overridden)."""
        return True

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Act on one HTTP request; call `self.app` to pass it on."""
        raise NotImplementedError

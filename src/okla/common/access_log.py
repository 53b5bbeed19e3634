"""An access log that never writes session tokens (shared by the services)."""

from __future__ import annotations

import logging
import re
import time

from starlette.types import Message, Receive, Scope, Send

from okla.common.asgi import HttpMiddleware

access_log = logging.getLogger("okla.access")

# Session tokens travel in this path; they must never reach a log file.
_SECRET_PATHS = re.compile(r"^(/api/chat/session/)[^/?]+")


class AccessLogMiddleware(HttpMiddleware):
    """Log one line a request, with session tokens redacted."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, then log it."""
        started = time.perf_counter()
        status = 0

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            client = scope.get("client") or ("-", 0)
            access_log.info(
                '%s "%s %s" %s %.1fms id=%s',
                client[0],
                scope["method"],
                redact(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
                scope.get("state", {}).get("request_id", "-"),
            )


def redact(path: str) -> str:
    """Hide secrets that travel in paths."""
    return _SECRET_PATHS.sub(r"\1[redacted]", path)

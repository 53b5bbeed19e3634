"""A cap on the event streams (SSE) one client keeps open at once."""

from __future__ import annotations

from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from okla.common.asgi import HttpMiddleware, header, send_json_error


def wants_stream(scope: Scope) -> bool:
    """Tell whether a request asks for server-sent events."""
    return "text/event-stream" in (header(scope, b"accept") or "")


class StreamLimitMiddleware(HttpMiddleware):
    """Refuse (429) a client's event stream beyond `per_client` open at once, in this process.

    Each open stream holds a task, a connection and, in the chatbot, perhaps a model slot;
    without a cap one client could hold them all. The client is scope["client"], as the
    forwarded-headers middleware found it.
    """

    def __init__(self, app: ASGIApp, per_client: int = 8, retry_after: int = 5) -> None:
        super().__init__(app)
        self.per_client = per_client
        self.retry_after = retry_after
        self.open: Counter[str] = Counter()

    def applies(self, scope: Scope) -> bool:
        """Count requests for event streams only."""
        return wants_stream(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the stream through if the client has room, and count it while it is open."""
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.open[client] >= self.per_client:
            await send_json_error(
                send,
                429,
                "too_many_streams",
                f"At most {self.per_client} event streams may be open at once from one client.",
                [(b"retry-after", str(self.retry_after).encode())],
            )
            return
        self.open[client] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open[client] -= 1
            if self.open[client] <= 0:
                del self.open[client]

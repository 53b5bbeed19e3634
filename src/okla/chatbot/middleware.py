"""Plain ASGI middleware of the chatbot service."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from okla.common.asgi import HttpMiddleware, send_json_error
from okla.common.forwarded import ForwardedMiddleware

# Where the customer's address goes in the request's state: for rate limits that must not
# lump together every customer behind the gateway.
CLIENT_ADDRESS_STATE = "client_address"


class ClientAddressMiddleware(ForwardedMiddleware):
    """Record the customer's address: the peer's, or the one the gateway forwards.

    Only a trusted proxy (TRUSTED_PROXIES, by default this machine's loopback, where `okla up`
    runs the gateway) is believed, and with GATEWAY_KEY set only if it shows the key: a local
    process that sends its own X-Forwarded-For doesn't get a fresh rate-limit bucket per lie.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})[CLIENT_ADDRESS_STATE] = self.apply(scope)
        await self.app(scope, receive, send)


class BodyLimitMiddleware(HttpMiddleware):
    """Refuse bodies over `max_bytes` (413) and non-JSON POSTs to the API (415)."""

    def __init__(self, app: ASGIApp, max_bytes: int = 16 * 1024, prefix: str = "/api/") -> None:
        super().__init__(app)
        self.max_bytes = max_bytes
        self.prefix = prefix

    def applies(self, scope: Scope) -> bool:
        """Check requests to the API only."""
        return bool(scope["path"].startswith(self.prefix))

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the body early if it is too large or not JSON; cut it off if it grows."""
        headers = dict(scope["headers"])
        if scope["method"] in ("POST", "PUT", "PATCH"):
            kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if kind != b"application/json":
                await send_json_error(
                    send,
                    415,
                    "unsupported_media_type",
                    "Send the body as JSON with 'Content-Type: application/json'.",
                )
                return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await send_json_error(send, 413, "payload_too_large", self._too_large())
            return
        received = 0
        too_large = False

        async def limited() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    # Stop reading: the handler sees a disconnect and gives up.
                    return {"type": "http.disconnect"}
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large and not started:
                started = True
                await send_json_error(send, 413, "payload_too_large", self._too_large())
                return
            if too_large:
                return
            started = message["type"] == "http.response.start" or started
            await send(message)

        await self.app(scope, limited, guarded_send)

    def _too_large(self) -> str:
        return f"The body is larger than {self.max_bytes // 1024} KB."

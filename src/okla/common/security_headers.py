"""The security headers of every response, set in one place for every service."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from okla.common.asgi import HttpMiddleware

# Pages load their scripts, styles and data from their own origin only: no inline script,
# no third-party script, no plugin, no <base> games. Images may come from the stock's URLs.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)
# Everything else (JSON, SSE, JavaScript and CSS files) is data, never a document.
DATA_POLICY = "default-src 'none'"

# Headers the app's responses must not carry: the server names itself nowhere, and the one
# Date is the server's own (a proxied reply brings its upstream's).
_DROPPED = {b"server", b"date"}


def frame_ancestors(origins: Iterable[str]) -> str:
    """Return the CSP frame-ancestors source list that allows these origins (and no other)."""
    allowed = " ".join(o for o in origins if o)
    return f"'self' {allowed}".strip() if allowed else "'none'"


class SecurityHeadersMiddleware(HttpMiddleware):
    """Add CSP, nosniff, Referrer-Policy and (on personal data) no-store to every response.

    `frameable` lists the paths that other sites in `allowed_origins` may frame; every other
    response refuses framing. `private_prefixes` are the paths whose answers hold personal
    data: no cache may keep them.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        private_prefixes: Sequence[str] = ("/api/",),
        frameable: Iterable[str] = (),
        allowed_origins: Iterable[str] = (),
    ) -> None:
        super().__init__(app)
        self.private_prefixes = tuple(private_prefixes)
        self.frameable = frozenset(frameable)
        self.framers = frame_ancestors(allowed_origins)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite the response's headers as it starts."""
        path: str = scope["path"]
        private = path.startswith(self.private_prefixes)
        framers = self.framers if path in self.frameable else "'none'"

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self.headers(message.get("headers", []), private, framers)
            await send(message)

        await self.app(scope, receive, secured)

    def headers(
        self, original: Iterable[tuple[bytes, bytes]], private: bool, framers: str
    ) -> list[tuple[bytes, bytes]]:
        """Return the response's headers with the security headers set."""
        headers = [(k, v) for k, v in original if k.lower() not in _DROPPED]
        kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        page = kind.split(b";")[0].strip().lower() == b"text/html"
        policy = (PAGE_POLICY if page else DATA_POLICY) + f"; frame-ancestors {framers}"
        replaced = {
            b"content-security-policy": policy.encode(),
            b"x-content-type-options": b"nosniff",
            b"referrer-policy": b"no-referrer",
            b"cross-origin-opener-policy": b"same-origin",
        }
        if framers == "'none'":
            replaced[b"x-frame-options"] = b"DENY"
        if private:
            replaced[b"cache-control"] = b"no-store"
        headers = [(k, v) for k, v in headers if k.lower() not in replaced]
        return headers + list(replaced.items())

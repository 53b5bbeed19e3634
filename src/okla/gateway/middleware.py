"""Plain ASGI middleware of the gateway: request ids, CSRF."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from okla.common.asgi import HttpMiddleware, header, send_json_error
from okla.common.staff_tokens import CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE, SESSION_COOKIE

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class RequestIdMiddleware(HttpMiddleware):
    """Keep a valid X-Request-ID or make one; pass it on and send it back."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with its id, and send the id back."""
        given = header(scope, b"x-request-id")
        request_id = given if given and _REQUEST_ID.match(given) else uuid.uuid4().hex
        headers = [(k, v) for k, v in scope["headers"] if k != b"x-request-id"]
        headers.append((b"x-request-id", request_id.encode()))
        scope = {**scope, "headers": headers}
        scope.setdefault("state", {})["request_id"] = request_id

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        (b"x-request-id", request_id.encode()),
                    ],
                }
            await send(message)

        await self.app(scope, receive, with_id)


class CsrfMiddleware(HttpMiddleware):
    """Refuse cross-site state changes; the checks browsers make possible, done right.

    - A state-changing request to /api/ from a browser must come from the gateway's own
      origin or an allowed one (Origin, or Sec-Fetch-Site when Origin is absent).
    - Chat posts must be JSON: forms and text/plain are what cross-site forgeries send.
    - A request authenticated by cookie (the okla_session JWT without a Bearer header, or the
      okla_refresh token of staff logins) needs the double-submit token (X-CSRF-Token equal
      to the okla_csrf cookie).
    Exemptions, if configured, match exact paths only.
    """

    def __init__(
        self, app: ASGIApp, allowed_origins: Iterable[str], exempt_paths: Iterable[str] = ()
    ) -> None:
        super().__init__(app)
        self.allowed = {o.rstrip("/").lower() for o in allowed_origins}
        self.exempt = set(exempt_paths)

    def applies(self, scope: Scope) -> bool:
        """Check state-changing API requests, except the exempt paths."""
        return (
            scope["method"] in _UNSAFE
            and scope["path"].startswith("/api/")
            and scope["path"] not in self.exempt
        )

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the request if it looks forged; else pass it on."""
        problem = self.problem(scope)
        if problem is not None:
            status, code, message = problem
            await send_json_error(send, status, code, message)
            return
        await self.app(scope, receive, send)

    def own_origin(self, scope: Scope) -> str:
        host = header(scope, b"host") or ""
        return f"{scope.get('scheme', 'http')}://{host}".lower()

    def problem(self, scope: Scope) -> tuple[int, str, str] | None:
        origin = header(scope, b"origin")
        fetch_site = header(scope, b"sec-fetch-site")
        if origin is not None:
            origin = origin.rstrip("/").lower()
            if origin != self.own_origin(scope) and origin not in self.allowed:
                return 403, "csrf_origin", f"Requests from {origin} are not allowed."
        elif fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return 403, "csrf_origin", "Cross-site requests without an allowed Origin are refused."
        kind = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if scope["path"].startswith("/api/chat/") and kind != "application/json":
            return (
                415,
                "unsupported_media_type",
                "Send the body as JSON with 'Content-Type: application/json'.",
            )
        if _cookie_authenticated(scope):
            cookies = header(scope, b"cookie") or ""
            expected = _cookie(cookies, CSRF_COOKIE)
            given = header(scope, CSRF_HEADER.encode())
            if not expected or given != expected:
                return 403, "csrf_token", "Missing or wrong X-CSRF-Token for a cookie session."
        return None


def _cookie_authenticated(scope: Scope) -> bool:
    """Tell whether a cookie is the request's credential.

    The session cookie is, unless a Bearer token is sent; the refresh cookie (sent only to
    /api/chatbot/auth) always is: refresh and logout act on it whatever else comes along.
    """
    cookies = header(scope, b"cookie") or ""
    if _cookie(cookies, REFRESH_COOKIE) is not None:
        return True
    return _cookie(cookies, SESSION_COOKIE) is not None and header(scope, b"authorization") is None


def _cookie(cookies: str, name: str) -> str | None:
    for part in cookies.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None

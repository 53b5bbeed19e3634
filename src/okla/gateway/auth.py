"""JWT checks for the routes that need a role."""

from __future__ import annotations

from fastapi import Request

from okla.common.errors import ForbiddenError, UnauthorizedError
from okla.common.staff_tokens import SESSION_COOKIE, bearer_token, decode_access_token
from okla.gateway.routes import Route
from okla.gateway.settings import GatewaySettings


def authorize(request: Request, route: Route, settings: GatewaySettings) -> None:
    """Raise unless the request's JWT (Bearer, else the okla_session cookie) has a route role.

    The token must carry exp and iat and live at most 15 minutes (okla.common.staff_tokens);
    the chatbot checks it again, with the revocations (logout, disabled users) the gateway
    can't see.
    """
    token = bearer_token(request.headers.get("authorization"), request.cookies.get(SESSION_COOKIE))
    if not token:
        raise UnauthorizedError(
            "This route needs a JWT (Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if settings.jwt_secret is None:
        raise UnauthorizedError("JWT_SECRET is not configured on the gateway.")
    claims = decode_access_token(
        token, settings.jwt_secret.get_secret_value(), settings.jwt_algorithm
    )
    if not route.roles & set(claims.roles):
        names = " or ".join(sorted(route.roles))
        raise ForbiddenError(f"This route needs the role {names}.")

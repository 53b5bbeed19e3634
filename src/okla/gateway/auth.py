"""JWT checks for the routes that need a role."""

from __future__ import annotations

import jwt
from fastapi import Request

from okla.common.errors import ForbiddenError, UnauthorizedError
from okla.gateway.routes import Route
from okla.gateway.settings import GatewaySettings


def authorize(request: Request, route: Route, settings: GatewaySettings) -> None:
    """Raise unless the request's JWT (Bearer, else the okla_session cookie) has a route role."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        token = request.cookies.get("okla_session", "")
    if not token:
        raise UnauthorizedError(
            "This route needs a JWT (Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if settings.jwt_secret is None:
        raise UnauthorizedError("JWT_SECRET is not configured on the gateway.")
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            options={"require": ["exp", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise UnauthorizedError(
            f"Invalid token: {exc}.", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from exc
    roles = claims.get("roles") or [claims.get("role")]
    if not route.roles & {str(r) for r in roles if r}:
        raise ForbiddenError(f"This route needs the role {sorted(route.roles)[0]}.")

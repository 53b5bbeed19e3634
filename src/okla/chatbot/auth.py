"""Who calls a staff route (/api/chatbot/*), and which dealer's data they may see.

The gateway checks the JWT first; the chatbot checks it again, so a request that reaches
the service directly (or through a misconfigured proxy) can't read another dealer's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, Request

from okla.common.errors import ForbiddenError, NotFoundError, UnauthorizedError


class Role(StrEnum):
    """What a staff member may do."""

    AGENT = "agent"  # answers one dealer's customers
    MANAGER = "manager"  # one dealer's agents, profile, leads and bookings
    ADMIN = "admin"  # the operator; every dealer unless the token names one


@dataclass(frozen=True)
class Caller:
    """A verified staff member: their role and, unless an operator, their dealer (slug)."""

    subject: str
    role: Role
    dealer: str | None  # None: every dealer (an operator's admin token without a dealer)

    def sees(self, dealer_slug: str) -> bool:
        """Tell whether this caller may see a dealer's data."""
        return self.dealer is None or self.dealer == dealer_slug

    def scope(self, requested: str | None) -> str | None:
        """Return the dealer a query is limited to: the caller's own, or the one asked for.

        Another dealer's data is answered as missing (404), never as forbidden: a 403 would
        confirm that it exists.
        """
        if self.dealer is None:
            return requested
        if requested is not None and requested != self.dealer:
            raise NotFoundError(f"No dealer '{requested}'.")
        return self.dealer

    def require(self, *roles: Role) -> None:
        """Raise 403 unless the caller has one of the roles."""
        if self.role not in roles:
            names = " or ".join(r.value for r in roles)
            raise ForbiddenError(f"This route needs the role {names}.")


def verify(token: str, secret: str | None, algorithm: str) -> Caller:
    """Return the caller a JWT names, or raise 401."""
    if secret is None:
        raise UnauthorizedError("JWT_SECRET is not configured on the chatbot service.")
    try:
        claims = jwt.decode(
            token, secret, algorithms=[algorithm], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError as exc:
        raise UnauthorizedError(
            f"Invalid token: {exc}.", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from exc
    roles = claims.get("roles") or [claims.get("role")]
    known = [Role(r) for r in roles if r in Role.__members__.values()]
    if not known:
        raise ForbiddenError("The token names no staff role (agent, manager or admin).")
    role = max(known, key=list(Role).index)
    dealer = claims.get("dealer")
    if dealer is not None and not isinstance(dealer, str):
        raise UnauthorizedError("Invalid token: the dealer claim must be a slug.")
    if dealer is None and role != Role.ADMIN:
        raise ForbiddenError("An agent's or manager's token must name its dealer.")
    return Caller(subject=str(claims["sub"]), role=role, dealer=dealer)


async def get_caller(request: Request) -> Caller:
    """Return the verified caller of a staff route (Bearer, else the okla_session cookie)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        token = request.cookies.get("okla_session", "")
    if not token:
        raise UnauthorizedError(
            "This route needs a JWT (Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings = request.state.services.settings
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    return verify(token, secret, settings.jwt_algorithm)


CallerDep = Annotated[Caller, Depends(get_caller)]

"""Who calls a staff route (/api/chatbot/*), and which dealer's data they may see.

The gateway checks the JWT first; the chatbot checks it again, so a request that reaches
the service directly (or through a misconfigured proxy) can't read another dealer's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request

from okla.common.errors import ForbiddenError, NotFoundError, UnauthorizedError
from okla.common.staff_tokens import SESSION_COOKIE, bearer_token, decode_access_token


class Role(StrEnum):
    """What a staff member may do."""

    AGENT = "agent"  # answers one dealer's customers
    MANAGER = "manager"  # one dealer's agents, profile, leads and bookings
    ADMIN = "admin"  # the operator; every dealer unless the token names one


@dataclass(frozen=True)
class Caller:
    """A verified staff member: their role and, unless an operator, their dealer (slug)."""

    subject: str  # the account's id
    role: Role
    dealer: str | None  # None: every dealer (an operator's admin token without a dealer)
    session: str | None = None  # the login the token belongs to (its refresh-token family)
    # The token's exp (seconds since the epoch): when a live stream of it ends. Not part of
    # who the caller is: two tokens of one login name the same caller.
    expires_at: int | None = field(default=None, compare=False)

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
    """Return the caller a JWT names, or raise 401 (403 for a token of no staff role).

    This checks the token alone (signature, exp, iat, a lifetime of 15 minutes at most);
    `get_caller` also checks that its login is live.
    """
    if secret is None:
        raise UnauthorizedError("JWT_SECRET is not configured on the chatbot service.")
    claims = decode_access_token(token, secret, algorithm)
    known = [Role(r) for r in claims.roles if r in Role.__members__.values()]
    if not known:
        raise ForbiddenError("The token names no staff role (agent, manager or admin).")
    role = max(known, key=list(Role).index)
    dealer = claims.dealer
    if dealer is not None and not isinstance(dealer, str):
        raise UnauthorizedError("Invalid token: the dealer claim must be a slug.")
    if dealer is None and role != Role.ADMIN:
        raise ForbiddenError("An agent's or manager's token must name its dealer.")
    return Caller(
        subject=claims.subject,
        role=role,
        dealer=dealer,
        session=claims.session,
        expires_at=claims.expires_at,
    )


async def get_caller(request: Request) -> Caller:
    """Return the verified caller of a staff route (Bearer, else the okla_session cookie).

    The token must come from a login that is still live, of an enabled account
    (staff/service.py `confirm`): logging out or disabling the account ends it at once.
    """
    token = bearer_token(request.headers.get("authorization"), request.cookies.get(SESSION_COOKIE))
    if not token:
        raise UnauthorizedError(
            "This route needs a JWT (Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    services = request.state.services
    settings = services.settings
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    caller = verify(token, secret, settings.jwt_algorithm)
    confirmed: Caller = await services.staff.confirm(caller)
    return confirmed


CallerDep = Annotated[Caller, Depends(get_caller)]

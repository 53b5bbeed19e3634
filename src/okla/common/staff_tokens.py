"""Staff access tokens as both the gateway and the chatbot check them, and the staff cookies.

An access token is a short-lived JWT (HS256 with JWT_SECRET) that the chatbot's login issues:
`sub` (the user's id), `role`, `dealer` (slug; absent for an operator), `iat`, `exp`, `jti`
and `sid` (the login it belongs to, which logout and disabling revoke). Whoever checks it
refuses a token without `exp` and `iat`, or one that lives longer than MAX_ACCESS_SECONDS:
a token pasted somewhere must stop working soon, whatever its signer wrote in `exp`.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt

from okla.common.errors import UnauthorizedError

MAX_ACCESS_SECONDS = 15 * 60

# The cookies of a staff browser: the JWT (if a page keeps it in a cookie), the refresh
# token (HttpOnly, sent only to /api/chatbot/auth) and the double-submit CSRF token.
SESSION_COOKIE = "okla_session"
REFRESH_COOKIE = "okla_refresh"
CSRF_COOKIE = "okla_csrf"
CSRF_HEADER = "x-csrf-token"

_INVALID = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


@dataclass(frozen=True)
class AccessClaims:
    """The claims of a verified access token, as written by its signer (not yet trusted)."""

    subject: str
    roles: tuple[str, ...]
    dealer: object  # a slug when well formed; the chatbot checks its type
    session: str | None  # the login (refresh-token family) the token was issued for
    issued_at: int
    expires_at: int


def bearer_token(authorization: str | None, session_cookie: str | None) -> str:
    """Return the JWT of a request (Authorization: Bearer, else the session cookie), or ''."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        token = session_cookie or ""
    return token.strip()


def decode_access_token(token: str, secret: str, algorithm: str) -> AccessClaims:
    """Verify an access token's signature and lifetime; return its claims or raise 401."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[algorithm], options={"require": ["exp", "iat", "sub"]}
        )
    except jwt.PyJWTError as exc:
        raise UnauthorizedError(f"Invalid token: {exc}.", headers=_INVALID) from exc
    issued, expires = claims["iat"], claims["exp"]
    if not _is_time(issued) or not _is_time(expires):
        raise UnauthorizedError("Invalid token: iat and exp must be numbers.", headers=_INVALID)
    if expires - issued > MAX_ACCESS_SECONDS:
        raise UnauthorizedError(
            f"Invalid token: it lives longer than {MAX_ACCESS_SECONDS // 60} minutes "
            "(exp - iat); sign in again (POST /api/chatbot/auth/login).",
            headers=_INVALID,
        )
    roles = claims.get("roles") or [claims.get("role")]
    session = claims.get("sid")
    return AccessClaims(
        subject=str(claims["sub"]),
        roles=tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else (),
        dealer=claims.get("dealer"),
        session=session if isinstance(session, str) else None,
        issued_at=int(issued),
        expires_at=int(expires),
    )


def _is_time(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)

"""Minting staff access tokens (JWT) and refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid

import jwt

from okla.chatbot.staff.domain import StaffMember


def access_token(
    member: StaffMember, login: str, secret: str, algorithm: str, lifetime_seconds: int
) -> str:
    """Return a signed access token for one login of a staff member."""
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": member.id,
        "role": member.role.value,
        "iat": now,
        "exp": now + lifetime_seconds,
        "jti": uuid.uuid4().hex,
        "sid": login,
    }
    if member.dealer is not None:
        claims["dealer"] = member.dealer
    return jwt.encode(claims, secret, algorithm=algorithm)


def new_refresh_token() -> str:
    """Return a new refresh token: 256 bits from the OS's secure generator."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    """Return the stored form of a refresh token."""
    return hashlib.sha256(token.encode()).hexdigest()

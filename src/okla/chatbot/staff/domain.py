"""What the staff side shares: who a staff member is, and what a login hands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from okla.chatbot.auth import Role


@dataclass(frozen=True)
class StaffMember:
    """A staff account as the API shows it."""

    id: str
    name: str
    email: str
    role: Role
    dealer: str | None  # the dealer's slug; None for an operator


@dataclass(frozen=True)
class Grant:
    """What a login or a refresh hands out: a short-lived JWT and the next refresh token."""

    access_token: str
    expires_in: int  # seconds
    refresh_token: str
    refresh_expires_at: datetime
    user: StaffMember

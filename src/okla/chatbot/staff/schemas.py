"""What the staff login routes take and give (/api/chatbot/auth/*)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from okla.chatbot.auth import Role
from okla.chatbot.schemas import CamelModel
from okla.chatbot.staff.domain import Grant, StaffMember
from okla.chatbot.staff.passwords import MAX_LENGTH


class LoginRequest(CamelModel):
    """An email and a password."""

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=MAX_LENGTH)]


class StaffUserOut(CamelModel):
    """The signed-in account."""

    id: str
    name: str
    email: str
    role: Role
    dealer: str | None  # the dealer's slug; null for an operator

    @classmethod
    def of(cls, member: StaffMember) -> StaffUserOut:
        """Describe an account."""
        return cls(
            id=member.id,
            name=member.name,
            email=member.email,
            role=member.role,
            dealer=member.dealer,
        )


class LoginResponse(CamelModel):
    """A new access token (send it as Authorization: Bearer) and whose it is.

    The refresh token travels only in the okla_refresh cookie (HttpOnly).
    """

    access_token: str
    token_type: str = "Bearer"
    expires_in: int  # seconds
    user: StaffUserOut

    @classmethod
    def of(cls, grant: Grant) -> LoginResponse:
        """Describe what a login or a refresh handed out."""
        return cls(
            access_token=grant.access_token,
            expires_in=grant.expires_in,
            user=StaffUserOut.of(grant.user),
        )

"""Errors of the chatbot service; one handler (okla.common.handlers) maps them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from okla.chatbot.bookings.domain import Refusal
from okla.common.errors import (
    ApiError,
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    Problem,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnprocessableError,
)

__all__ = [
    "AppointmentNotFoundError",
    "ChatError",
    "ConflictError",
    "NotFoundError",
    "PayloadTooLargeError",
    "ServiceUnavailableError",
    "SessionNotFoundError",
    "SlotUnavailableError",
    "TooManyRequestsError",
    "UnprocessableError",
    "session_id_instead_of_token",
]

# Every error the chatbot raises is an ApiError; the old name stays for its callers.
ChatError = ApiError


class SessionNotFoundError(NotFoundError, code="session_not_found"):
    """Unknown and expired tokens get the same answer, so tokens can't be probed."""

    def __init__(self) -> None:
        super().__init__(
            "No active chat session has this sessionToken.",
            field="sessionToken",
            hint="Sessions expire after a period without messages; start a new one with "
            "POST /api/chat/start and send its sessionToken.",
        )


def session_id_instead_of_token(body: object) -> list[Problem]:
    """Explain a body that sends 'sessionId' where the API wants 'sessionToken'."""
    if isinstance(body, dict) and "sessionId" in body and "sessionToken" not in body:
        return [
            Problem(
                field="sessionToken",
                message="send the session's token in 'sessionToken' (the value returned by "
                "/api/chat/start), not 'sessionId'",
            )
        ]
    return []


class AppointmentNotFoundError(NotFoundError, code="appointment_not_found"):
    """Another session's appointment is as missing as one that never existed."""

    def __init__(self) -> None:
        super().__init__("No appointment of this session has this id.", field="appointmentId")


_REFUSALS = {
    Refusal.FULL: "Every seat of that test-drive slot is taken.",
    Refusal.CLOSED: "The dealer is closed at that time.",
    Refusal.PAST: "That time has passed.",
    Refusal.MISALIGNED: "No test-drive slot starts at that time.",
    Refusal.VEHICLE_TAKEN: "That vehicle is in another test drive at that time.",
}


class SlotUnavailableError(ConflictError, code="slot_unavailable"):
    """The wanted start can't be booked: why, and the next free starts to offer instead."""

    def __init__(self, reason: Refusal, alternatives: Sequence[datetime]) -> None:
        super().__init__(
            _REFUSALS[reason],
            field="vehicleId" if reason == Refusal.VEHICLE_TAKEN else "start",
            hint="Book one of the starts in 'alternatives'." if alternatives else None,
        )
        self.reason = reason
        self.alternatives = tuple(alternatives)

    def body(self) -> dict[str, Any]:
        """Return the error envelope with the reason and the alternatives (ISO 8601)."""
        body = super().body()
        body["error"]["reason"] = self.reason.value
        body["error"]["alternatives"] = [a.isoformat() for a in self.alternatives]
        return body

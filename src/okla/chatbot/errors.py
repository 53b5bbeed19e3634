"""Errors of the chatbot service; one handler (okla.common.handlers) maps them."""

from __future__ import annotations

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
    "ChatError",
    "ConflictError",
    "NotFoundError",
    "PayloadTooLargeError",
    "ServiceUnavailableError",
    "SessionNotFoundError",
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

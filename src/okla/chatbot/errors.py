"""Domain errors of the chatbot service; one handler maps them to responses."""

from __future__ import annotations

from typing import Any


class ChatError(Exception):
    """An error the client sees as {"error": {code, message, field?, hint?}}."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON error body."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        if self.hint:
            error["hint"] = self.hint
        return {"error": error}


class NotFoundError(ChatError):
    """The session or dealer does not exist (or the session expired)."""

    status_code = 404
    code = "not_found"


class SessionNotFoundError(NotFoundError):
    """Unknown and expired tokens get the same answer, so tokens can't be probed."""

    code = "session_not_found"

    def __init__(self) -> None:
        super().__init__(
            "No active chat session has this sessionToken.",
            field="sessionToken",
            hint="Sessions expire after a period without messages; start a new one with "
            "POST /api/chat/start and send its sessionToken.",
        )


class ConflictError(ChatError):
    """The request conflicts with the session's state."""

    status_code = 409
    code = "conflict"


class UnprocessableError(ChatError):
    """The request is well-formed but cannot be processed as asked."""

    status_code = 422
    code = "unprocessable"


class TooManyRequestsError(ChatError):
    """A rate limit was hit."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class PayloadTooLargeError(ChatError):
    """The body is larger than allowed."""

    status_code = 413
    code = "payload_too_large"


class ServiceUnavailableError(ChatError):
    """A dependency (the database) is down; retry later."""

    status_code = 503
    code = "service_unavailable"

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})

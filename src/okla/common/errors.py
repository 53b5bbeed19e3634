"""The JSON error envelope, and errors that carry their HTTP status (one handler maps them).

An error class names its status and code where it is declared:
`class ConflictError(ApiError, status=409, code="conflict")`.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict

from pydantic import BaseModel


class Problem(TypedDict):
    """One thing wrong with a request: the field it concerns and what is wrong."""

    field: str
    message: str


class ErrorDetail(BaseModel):
    """An error: a code, a message naming the field, perhaps a hint."""

    code: str
    message: str
    field: str | None = None
    hint: str | None = None


class ErrorResponse(BaseModel):
    """Body of every error response (what error_body writes), for the OpenAPI document."""

    error: ErrorDetail


def error_body(
    code: str, message: str, *, field: str | None = None, hint: str | None = None
) -> dict[str, Any]:
    """Return the JSON error envelope: {"error": {code, message, field?, hint?}}."""
    error: dict[str, Any] = {"code": code, "message": message}
    if field:
        error["field"] = field
    if hint:
        error["hint"] = hint
    return {"error": error}


class ApiError(Exception):
    """An error the client sees as {"error": {code, message, field?, hint?}} with its status."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init_subclass__(
        cls, *, status: int | None = None, code: str | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status_code = status
        if code is not None:
            cls.code = code

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
        return error_body(self.code, self.message, field=self.field, hint=self.hint)


class RetryLaterError(ApiError):
    """An error that says, in Retry-After, when trying again may succeed."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class UnauthorizedError(ApiError, status=401, code="unauthorized"):
    """The request needs credentials (a valid JWT) it does not carry."""


class ForbiddenError(ApiError, status=403, code="forbidden"):
    """The credentials are valid but lack the role the request needs."""


class CsrfError(ForbiddenError, code="csrf_token"):
    """A cookie-authenticated request without the right double-submit token (X-CSRF-Token)."""


class NotFoundError(ApiError, status=404, code="not_found"):
    """What the request names does not exist (or no longer does)."""


class MethodNotAllowedError(ApiError, status=405, code="method_not_allowed"):
    """The path exists, but not for this method."""


class ConflictError(ApiError, status=409, code="conflict"):
    """The request conflicts with the current state (e.g. the session has ended)."""


class PayloadTooLargeError(ApiError, status=413, code="payload_too_large"):
    """The body is larger than allowed."""


class UnprocessableError(ApiError, status=422, code="unprocessable"):
    """The request is well-formed but cannot be processed as asked."""


class TooManyRequestsError(RetryLaterError, status=429, code="rate_limited"):
    """A rate limit was hit."""


class BadGatewayError(ApiError, status=502, code="bad_gateway"):
    """The service behind the gateway could not be reached."""


class ServiceUnavailableError(RetryLaterError, status=503, code="service_unavailable"):
    """A dependency (such as the database) is down; retry later."""

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message, retry_after)


class GatewayTimeoutError(ApiError, status=504, code="gateway_timeout"):
    """The service behind the gateway did not answer in time."""

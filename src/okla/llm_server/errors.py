"""Domain errors of the LLM server, each carrying its HTTP status and OpenAI error fields."""

from __future__ import annotations

from typing import Any


class LlmServerError(Exception):
    """An error a client sees as an OpenAI-style error object."""

    status_code = 500
    error_type = "server_error"
    code: str | None = None

    def __init__(
        self, message: str, *, param: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the OpenAI error object."""
        return {
            "error": {
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
                "code": self.code,
            }
        }


class InvalidRequestError(LlmServerError):
    """The request is malformed or asks for something this server cannot do."""

    status_code = 400
    error_type = "invalid_request_error"


class ContextLengthExceededError(InvalidRequestError):
    """The prompt does not fit in the context window."""

    code = "context_length_exceeded"


class AuthenticationError(LlmServerError):
    """The API key is missing or wrong."""

    status_code = 401
    error_type = "invalid_request_error"
    code = "invalid_api_key"


class QueueFullError(LlmServerError):
    """Too many requests are already waiting for the model."""

    status_code = 503
    error_type = "server_overloaded"
    code = "queue_full"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ModelNotReadyError(LlmServerError):
    """The model is still loading, or failed to load."""

    status_code = 503
    error_type = "model_not_ready"
    code = "model_not_ready"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"Retry-After": "5"})


class ModelLoadError(Exception):
    """The model file cannot be served; the message says why and what to do."""

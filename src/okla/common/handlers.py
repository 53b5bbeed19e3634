"""One mapping from exceptions to JSON error responses, for every service that shares it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from okla.common.errors import ApiError, Problem, error_body

# Given the request's JSON body (None if it has none), return problems to list first.
ProblemHint = Callable[[object], list[Problem]]

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def error_response(error: ApiError) -> JSONResponse:
    """Return the response for a domain error."""
    return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)


def install_error_handlers(
    app: FastAPI, logger: logging.Logger, hint: ProblemHint | None = None
) -> None:
    """Map domain errors, invalid requests, routing errors and crashes to the JSON envelope."""

    @app.exception_handler(ApiError)
    async def on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [describe(e) for e in exc.errors()]
        fields = [p["field"] for p in problems]
        if hint is not None:
            body: object = None
            try:
                body = await request.json()
            except Exception:  # not JSON: the problems already say so
                body = None
            problems = [*hint(body), *problems]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        error = {
            "code": "validation_error",
            "message": message,
            "field": fields[0] if fields else None,
            "problems": problems,
        }
        return JSONResponse({"error": error}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error", exc_info=exc)
        return JSONResponse(
            error_body("internal_error", "Internal error; see the log."), status_code=500
        )


def describe(error: Any) -> Problem:
    """Name the field of one validation error and say what is wrong, in plain words."""
    skipped = ("body", "header", "path", "query", "[key]")  # "[key]": a mapping's key is wrong
    loc = [str(p) for p in error.get("loc", ()) if p not in skipped]
    field = ".".join(loc) or "body"
    kind = error.get("type")
    if kind == "missing":
        message = "this field is required"
    elif kind == "extra_forbidden":
        message = "unknown field"
    elif kind == "json_invalid":
        field, message = "body", "the body is not valid JSON"
    elif kind == "model_attributes_type" or (kind == "dict_type" and field == "body"):
        field, message = "body", "expected a JSON object"
    elif kind == "string_too_short" and field == "message":
        message = "must not be empty or only whitespace"
    elif kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        message = f"must be at most {limit} characters"
    else:
        message = str(error.get("msg", "invalid value"))
    return Problem(field=field, message=message)

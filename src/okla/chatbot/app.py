"""The chatbot service's FastAPI application."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

import okla
from okla.access_log import AccessLogMiddleware
from okla.chatbot.advisors.endpoints import router as advisors_router
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.endpoints import router as chat_router
from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.errors import ChatError, ServiceUnavailableError
from okla.chatbot.inventory.endpoints import router as inventory_router
from okla.chatbot.inventory.service import load_demo
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.client import LlmClient
from okla.chatbot.middleware import BodyLimitMiddleware, ClientAddressMiddleware
from okla.chatbot.ops.endpoints import router as ops_router
from okla.chatbot.services import build_services
from okla.chatbot.settings import ChatbotSettings

logger = logging.getLogger("okla.chatbot")


def create_app(settings: ChatbotSettings | None = None, *, demo_data: bool = False) -> FastAPI:
    """Build the app; the database is migrated (and demo data loaded) at startup."""
    settings = settings or ChatbotSettings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(settings.database_url)
        if settings.auto_migrate:
            await migrate(engine)
        sessions = session_factory(engine)
        if demo_data:
            await load_demo(sessions)
        coordinator = Coordinator(settings.redis_url)
        llm = LlmClient(settings)
        breaker = CircuitBreaker(
            settings.breaker_failure_threshold, settings.breaker_cooldown_seconds
        )
        services = build_services(settings, sessions, coordinator, llm, breaker)
        try:
            yield {"services": services}
        finally:
            if services.chat.background:
                # Replies still being written for customers who left: let them finish.
                await asyncio.wait(services.chat.background, timeout=settings.llm_timeout_seconds)
            await llm.close()
            await coordinator.close()
            await engine.dispose()

    app = FastAPI(
        title="OKLA chatbot service",
        version=okla.__version__,
        description="Chat sessions with a dealer's sales assistant, answered from the "
        "dealer's inventory.",
        lifespan=lifespan,
    )
    for router in (chat_router, inventory_router, advisors_router, ops_router):
        app.include_router(router)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(ClientAddressMiddleware)
    app.add_middleware(AccessLogMiddleware)
    _add_error_handlers(app)
    return app


def _error(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ChatError)
    async def on_chat_error(_request: Request, exc: ChatError) -> JSONResponse:
        return _error(exc.status_code, exc.body(), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_describe(e) for e in exc.errors()]
        fields = [p["field"] for p in problems]
        body: Any = None
        try:
            body = await request.json()
        except Exception:  # not JSON: the problems already say so
            body = None
        if isinstance(body, dict) and "sessionId" in body and "sessionToken" not in body:
            problems.insert(
                0,
                {
                    "field": "sessionToken",
                    "message": "send the session's token in 'sessionToken' (the value "
                    "returned by /api/chat/start), not 'sessionId'",
                },
            )
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return _error(
            422,
            {
                "error": {
                    "code": "validation_error",
                    "message": message,
                    "field": fields[0] if fields else None,
                    "problems": problems,
                }
            },
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, {"error": {"code": code, "message": str(exc.detail)}})

    async def on_database_down(_request: Request, exc: Exception) -> JSONResponse:
        logger.warning("Database unavailable: %s", exc)
        error = ServiceUnavailableError("The database is unavailable; retry in a few seconds.")
        return _error(error.status_code, error.body(), error.headers)

    for kind in (OperationalError, DBAPIError, PoolTimeoutError, OSError, TimeoutError):
        app.add_exception_handler(kind, on_database_down)

    @app.exception_handler(Exception)
    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error", exc_info=exc)
        return _error(
            500, {"error": {"code": "internal_error", "message": "Internal error; see the log."}}
        )


def _describe(error: Any) -> dict[str, str]:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "header", "path", "query")]
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
    return {"field": field, "message": message}

"""The chatbot service's FastAPI application."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

import okla
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.admin import admin_router
from okla.chatbot.chat.endpoints import ops_router, router
from okla.chatbot.chat.service import ChatService
from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.errors import ServiceUnavailableError, session_id_instead_of_token
from okla.chatbot.inventory.loader import load_demo
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.client import LlmClient
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.middleware import BodyLimitMiddleware, ClientAddressMiddleware
from okla.chatbot.settings import ChatbotSettings
from okla.common.access_log import AccessLogMiddleware
from okla.common.handlers import error_response, install_error_handlers

logger = logging.getLogger("okla.chatbot")

BREAKER_STATES = {"closed": 0.0, "half_open": 1.0, "open": 2.0}


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
        metrics = ChatMetrics()
        metrics.bind(
            breaker_state=lambda: BREAKER_STATES[breaker.state],
            breaker_opened=lambda: float(breaker.times_opened),
            cache_degraded=lambda: 1.0 if coordinator.state == "degraded" else 0.0,
        )
        service = ChatService(settings, sessions, coordinator, llm, breaker, metrics)
        try:
            yield {"service": service, "metrics": metrics, "settings": settings}
        finally:
            if service.background:
                # Replies still being written for customers who left: let them finish.
                await asyncio.wait(service.background, timeout=settings.llm_timeout_seconds)
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
    app.include_router(router)
    app.include_router(admin_router)
    app.include_router(ops_router)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(ClientAddressMiddleware)
    app.add_middleware(AccessLogMiddleware)
    _add_error_handlers(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    install_error_handlers(app, logger, hint=session_id_instead_of_token)

    async def on_database_down(_request: Request, exc: Exception) -> JSONResponse:
        logger.warning("Database unavailable: %s", exc)
        return error_response(
            ServiceUnavailableError("The database is unavailable; retry in a few seconds.")
        )

    for kind in (OperationalError, DBAPIError, PoolTimeoutError, OSError, TimeoutError):
        app.add_exception_handler(kind, on_database_down)

"""The chatbot service's FastAPI application."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

import okla
from okla.chatbot.advisors.endpoints import router as advisors_router
from okla.chatbot.bookings.endpoints import router as bookings_router
from okla.chatbot.bookings.endpoints import staff_router as bookings_staff_router
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.endpoints import router as chat_router
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.db import create_engine, in_memory, migrate, session_factory
from okla.chatbot.dealers.endpoints import router as dealers_router
from okla.chatbot.errors import (
    ConflictError,
    ServiceUnavailableError,
    UnprocessableError,
    session_id_instead_of_token,
)
from okla.chatbot.inventory.endpoints import router as inventory_router
from okla.chatbot.inventory.service import load_demo
from okla.chatbot.leads.endpoints import router as leads_router
from okla.chatbot.live.broker import build_broker
from okla.chatbot.live.endpoints import router as live_router
from okla.chatbot.llm.router import ReplicaRouter
from okla.chatbot.middleware import BodyLimitMiddleware, ClientAddressMiddleware
from okla.chatbot.ops.endpoints import router as ops_router
from okla.chatbot.outbox.endpoints import router as outbox_router
from okla.chatbot.outbox.worker import OutboxWorker
from okla.chatbot.qualification.endpoints import router as qualification_router
from okla.chatbot.services import build_services
from okla.chatbot.settings import AnswerMode, ChatbotSettings
from okla.chatbot.staff.endpoints import router as staff_router
from okla.common.access_log import AccessLogMiddleware
from okla.common.docs import add_docs
from okla.common.forwarded import TrustedProxies
from okla.common.handlers import error_response, install_error_handlers
from okla.common.security_headers import SecurityHeadersMiddleware
from okla.common.streams import StreamLimitMiddleware

logger = logging.getLogger("okla.chatbot")


def create_app(
    settings: ChatbotSettings | None = None,
    *,
    demo_data: bool = False,
    clock: Clock = system_clock,
) -> FastAPI:
    """Build the app; the database is migrated (and demo data loaded) at startup.

    `clock` is the time the app reads (opening hours, the demo's holidays): a fixed one makes
    tests and benchmarks repeatable.
    """
    settings = settings or ChatbotSettings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(settings.database_url)
        if settings.auto_migrate:
            await migrate(engine)
        sessions = session_factory(engine)
        if demo_data:
            await load_demo(sessions, clock().date())
        coordinator = Coordinator(settings.redis_url)
        # One replica or several (LLM_BASE_URL's list), each with its own breaker.
        llm = ReplicaRouter.from_settings(settings)
        broker = build_broker(settings.redis_url)
        await broker.start()
        services = build_services(settings, sessions, coordinator, llm, llm.breakers, clock, broker)
        services.metrics.register(llm.metrics.collectors())
        if settings.answer_mode == AnswerMode.AUTO:
            # In the background: the templates answer until the model has passed.
            services.qualifier.start()
        webhooks = httpx.AsyncClient(timeout=settings.outbox_timeout_seconds)
        outbox = OutboxWorker(settings, sessions, webhooks)
        # An in-memory SQLite database is one connection shared by every session: a background
        # job's commit or rollback would land inside a request's transaction. Tests and the
        # corpus use it; they run these jobs explicitly.
        background_jobs = not in_memory(settings.database_url)
        if settings.outbox_worker and background_jobs:
            outbox.start()
        if background_jobs:
            services.privacy.start()
        try:
            yield {"services": services}
        finally:
            await services.privacy.close()
            await outbox.close()
            await webhooks.aclose()
            await services.qualifier.close()
            if services.chat.background:
                # Replies still being written for customers who left: let them finish.
                await asyncio.wait(services.chat.background, timeout=settings.llm_timeout_seconds)
            await llm.close()
            await broker.close()
            await coordinator.close()
            await engine.dispose()

    app = FastAPI(
        title="OKLA chatbot service",
        version=okla.__version__,
        description="Chat sessions with a dealer's sales assistant, answered from the "
        "dealer's inventory.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    routers = (
        chat_router,
        bookings_router,
        inventory_router,
        advisors_router,
        live_router,
        bookings_staff_router,
        dealers_router,
        leads_router,
        outbox_router,
        staff_router,
        qualification_router,
        ops_router,
    )
    for router in routers:
        app.include_router(router)
    add_docs(app)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(StreamLimitMiddleware, per_client=settings.max_streams_per_client)
    key = settings.gateway_key.get_secret_value() if settings.gateway_key else None
    app.add_middleware(
        ClientAddressMiddleware, trusted=TrustedProxies.of(settings.trusted_proxies, key)
    )
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    _add_error_handlers(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    install_error_handlers(app, logger, hint=session_id_instead_of_token)

    async def on_database_down(_request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, IntegrityError):
            # Two writers raced for one unique row (a message number, a slot): nothing is
            # down, and the loser may simply try again.
            return error_response(
                ConflictError("A concurrent change conflicted with this request; retry it.")
            )
        if isinstance(exc, DBAPIError) and value_refused(exc):
            # The database refused a value (a NUL character, say), not the connection: the
            # request is at fault, and nothing is down.
            return error_response(
                UnprocessableError(
                    "The request holds a value the database cannot store (such as a NUL character)."
                )
            )
        logger.warning("Database unavailable: %s", exc)
        return error_response(
            ServiceUnavailableError("The database is unavailable; retry in a few seconds.")
        )

    for kind in (OperationalError, DBAPIError, PoolTimeoutError, OSError, TimeoutError):
        app.add_exception_handler(kind, on_database_down)


def value_refused(exc: DBAPIError) -> bool:
    """Tell whether the database refused a value (SQLSTATE class 22, data exception)."""
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return isinstance(state, str) and state.startswith("22")

"""The LLM server's FastAPI application: lifespan-owned engine, one error mapping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

import okla
from okla.common.docs import add_docs
from okla.common.security_headers import SecurityHeadersMiddleware
from okla.llm_server.endpoints import openai_router, ops_router
from okla.llm_server.engine import LlamaEngine
from okla.llm_server.errors import LlmServerError
from okla.llm_server.metrics import LlmMetrics
from okla.llm_server.serving import OpenAIServingChat
from okla.llm_server.settings import LlmServerSettings

logger = logging.getLogger("okla.llm_server")


def create_app(
    settings: LlmServerSettings | None = None,
    on_load_failure: Callable[[str], None] | None = None,
) -> FastAPI:
    """Build the app; the model starts loading when the app starts."""
    settings = settings or LlmServerSettings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = LlamaEngine(settings)
        metrics = LlmMetrics()
        metrics.bind_gauges(
            queue_depth=lambda: engine.queue_depth,
            in_flight=lambda: engine.in_flight,
            ready=lambda: 1.0 if engine.ready else 0.0,
            slots_busy=lambda: engine.slots_busy,
            slots_total=lambda: settings.n_parallel,
            cached_tokens=engine.cached_tokens,
        )
        engine.on_job_done = lambda job: metrics.completion_tokens.inc(job.completion_tokens)
        engine.on_step = metrics.observe_step
        serving = OpenAIServingChat(engine, metrics, settings)

        def loaded(_task: asyncio.Task[None]) -> None:
            if engine.state == "failed" and on_load_failure is not None:
                on_load_failure(engine.load_error or "unknown error")

        # Loading runs behind the lifespan so /health can answer 503 meanwhile.
        loading = asyncio.create_task(engine.load(), name="llama-load")
        loading.add_done_callback(loaded)
        try:
            yield {"engine": engine, "metrics": metrics, "serving": serving, "settings": settings}
        finally:
            if not loading.done():
                await asyncio.wait({loading})
            await engine.close()

    app = FastAPI(
        title="OKLA LLM server",
        version=okla.__version__,
        description="OpenAI-compatible chat completions on llama.cpp.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(openai_router)
    app.include_router(ops_router)
    add_docs(app)
    _add_error_handlers(app)
    # Prompts and replies are customers' words: no cache keeps them.
    app.add_middleware(SecurityHeadersMiddleware, private_prefixes=("/v1/",))
    return app


def _error(status: int, message: str, kind: str, param: str | None = None) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "param": param, "code": None}}
    return JSONResponse(body, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LlmServerError)
    async def on_domain_error(_request: Request, exc: LlmServerError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if request.url.path.endswith("/chat/completions"):
            request.state.metrics.requests.labels(outcome="invalid").inc()
        if any(e.get("type") == "json_invalid" for e in errors):
            detail = next(e for e in errors if e.get("type") == "json_invalid")
            message = f"The request body is not valid JSON: {detail.get('ctx', {}).get('error')}"
            return _error(400, message, "invalid_request_error")
        described = [_describe(e) for e in errors]
        param = _param(errors[0]) if errors else None
        return _error(400, "; ".join(described), "invalid_request_error", param)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        return _error(exc.status_code, str(exc.detail), kind)

    @app.exception_handler(Exception)
    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error", exc_info=exc)
        return _error(500, "Internal server error; see the server log.", "server_error")


def _param(error: Any) -> str:
    parts = [str(p) for p in error.get("loc", ()) if p != "body"]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def _describe(error: Any) -> str:
    param = _param(error)
    message = str(error.get("msg", "invalid value"))
    if error.get("type") == "missing":
        return f"{param}: this field is required"
    if error.get("type") == "literal_error" and param.endswith(".role"):
        return f"{param}: unknown role {error.get('input')!r}; expected one of " + (
            "'system', 'developer', 'user', 'assistant'"
        )
    return f"{param}: {message}"

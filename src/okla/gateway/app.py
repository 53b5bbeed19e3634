"""The gateway's app: its lifespan, the proxy and health routes, the web pages, middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.middleware.cors import CORSMiddleware

import okla
from okla.common.access_log import AccessLogMiddleware
from okla.common.errors import NotFoundError
from okla.common.handlers import install_error_handlers
from okla.common.health import Health
from okla.common.rate_limit import RateLimiter
from okla.common.redis_link import RedisLink
from okla.gateway.middleware import CsrfMiddleware, RequestIdMiddleware
from okla.gateway.proxy import Gateway
from okla.gateway.routes import RouteTable
from okla.gateway.settings import GatewaySettings

logger = logging.getLogger("okla.gateway")

PAGES = {"/": "index.html", "/widget.js": "widget.js", "/chat-test.html": "chat-test.html",
         "/agent.html": "agent.html"}  # fmt: skip
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]


async def get_gateway(request: Request) -> Gateway:
    """Return the app's gateway (async: a plain def would hop to the thread pool)."""
    gateway: Gateway = request.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """Build the gateway app."""
    settings = settings or GatewaySettings()
    overrides = {"chatbot": settings.chatbot_url} if settings.chatbot_url else {}
    table = RouteTable.load(settings.routes_file, overrides)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            follow_redirects=False,
        )
        redis = RedisLink(settings.redis_url, logger)
        gateway = Gateway(settings, table, client, RateLimiter(redis))
        try:
            yield {"gateway": gateway}
        finally:
            await client.aclose()
            await redis.close()

    app = FastAPI(title="OKLA gateway", version=okla.__version__, lifespan=lifespan)
    install_error_handlers(app, logger)

    @app.get("/health")
    async def health(gateway: GatewayDep) -> JSONResponse:
        """Report the gateway and each downstream service."""
        services: dict[str, Any] = {}
        for name, base in table.services.items():
            path = "/api/chat/health" if name == "chatbot" else "/health"
            try:
                answer = await gateway.client.get(base.rstrip("/") + path, timeout=5.0)
                status = Health.UP if answer.status_code == 200 else Health.DEGRADED
                services[name] = {"url": base, "status": status, "httpStatus": answer.status_code}
            except httpx.HTTPError as exc:
                services[name] = {"url": base, "status": Health.DOWN, "error": type(exc).__name__}
        ok = all(s["status"] == Health.UP for s in services.values())
        return JSONResponse(
            {
                "status": Health.OK if ok else Health.DEGRADED,
                "gateway": Health.UP,
                "services": services,
            },
            status_code=200 if ok else 503,
        )

    @app.api_route("/api/{path:path}", methods=_METHODS, include_in_schema=False)
    @app.api_route("/api", methods=_METHODS, include_in_schema=False)
    async def proxy(request: Request, gateway: GatewayDep) -> Response:
        return await gateway.handle(request)

    for path, name in PAGES.items():
        _add_page(app, path, settings, name)

    app.add_middleware(
        CsrfMiddleware,
        allowed_origins=settings.allowed_origins,
        exempt_paths=settings.csrf_exempt_paths,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Idempotency-Key", "X-Request-ID", "Accept"],
        expose_headers=["Retry-After", "X-Request-ID"],
        max_age=600,
    )
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


def _add_page(app: FastAPI, path: str, settings: GatewaySettings, name: str) -> None:
    media = "text/javascript" if name.endswith(".js") else None

    async def page() -> Response:
        file = settings.web_root / name
        if not file.is_file():
            raise NotFoundError(f"{name} is not installed.")
        return FileResponse(file, media_type=media, headers={"Cache-Control": "no-cache"})

    app.add_api_route(path, page, methods=["GET"], include_in_schema=False)

"""The gateway's app: its lifespan, the proxy and health routes, the web pages, middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.middleware.cors import CORSMiddleware

import okla
from okla.common.access_log import AccessLogMiddleware
from okla.common.docs import add_docs
from okla.common.errors import ApiError, NotFoundError
from okla.common.forwarded import ForwardedMiddleware, TrustedProxies, is_loopback
from okla.common.handlers import install_error_handlers
from okla.common.health import Health
from okla.common.rate_limit import RateLimiter
from okla.common.redis_link import RedisLink
from okla.common.security_headers import SecurityHeadersMiddleware
from okla.common.streams import StreamLimitMiddleware
from okla.gateway.auth import authorize
from okla.gateway.metrics import GatewayMetrics
from okla.gateway.middleware import CsrfMiddleware, RequestIdMiddleware
from okla.gateway.proxy import Gateway
from okla.gateway.routes import Route, RouteTable
from okla.gateway.settings import GatewaySettings
from okla.gateway.upstreams import Pool, Upstreams, probing

logger = logging.getLogger("okla.gateway")

PAGES = {"/": "index.html", "/index.css": "index.css", "/widget.js": "widget.js",
         "/widget.css": "widget.css", "/agent.html": "agent.html", "/agent.css": "agent.css",
         "/agent.js": "agent.js"}  # fmt: skip
# The developers' test page: only with GATEWAY_TEST_PAGES=1 (okla up's demo turns it on).
TEST_PAGES = {"/chat-test.html": "chat-test.html", "/chat-test.css": "chat-test.css",
              "/chat-test.js": "chat-test.js"}  # fmt: skip
# Pages a dealer's site (ALLOWED_ORIGINS) may show in a frame; nothing else may be framed.
FRAMEABLE = {"/"}
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]


async def get_gateway(request: Request) -> Gateway:
    """Return the app's gateway (async: a plain def would hop to the thread pool)."""
    gateway: Gateway = request.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """Build the gateway app."""
    settings = settings or GatewaySettings()
    overrides = {"chatbot": settings.chatbot_replicas} if settings.chatbot_replicas else {}
    table = RouteTable.load(settings.routes_file, overrides)
    scrapers = TrustedProxies.of(settings.metrics_networks)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            follow_redirects=False,
        )
        redis = RedisLink(settings.redis_url, logger)
        upstreams = Upstreams(table.services, settings.upstream_down_seconds, GatewayMetrics())
        gateway = Gateway(settings, table, client, RateLimiter(redis), upstreams)
        try:
            async with probing(upstreams, client, settings.upstream_probe_seconds):
                yield {"gateway": gateway}
        finally:
            await client.aclose()
            await redis.close()

    app = FastAPI(
        title="OKLA gateway",
        version=okla.__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.gateway_docs else None,
    )
    install_error_handlers(app, logger)
    if settings.gateway_docs:
        add_docs(app)

    @app.get("/health")
    async def health(request: Request, gateway: GatewayDep) -> JSONResponse:
        """Say up or down; to an admin or a local caller, each downstream replica too."""
        services = {
            name: await _service_health(gateway, pool)
            for name, pool in gateway.upstreams.pools.items()
        }
        ok = all(_serves(report) for report in services.values())
        if not _insider(request, settings):
            # Strangers learn whether it works, not where the services live.
            return JSONResponse(
                {"status": Health.UP if ok else Health.DOWN}, status_code=200 if ok else 503
            )
        return JSONResponse(
            {
                "status": Health.OK if ok else Health.DEGRADED,
                "gateway": Health.UP,
                "services": services,
            },
            status_code=200 if ok else 503,
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request, gateway: GatewayDep) -> Response:
        """Expose the gateway's metrics to a caller on this machine or an admin."""
        scraper = request.client is not None and scrapers.trusts(request.client.host)
        if not scraper and not _insider(request, settings):
            # Where the replicas live is not for strangers.
            raise NotFoundError("Not found.")
        return Response(generate_latest(gateway.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.api_route("/api/{path:path}", methods=_METHODS, include_in_schema=False)
    @app.api_route("/api", methods=_METHODS, include_in_schema=False)
    async def proxy(request: Request, gateway: GatewayDep) -> Response:
        return await gateway.handle(request)

    pages = PAGES | (TEST_PAGES if settings.gateway_test_pages else {})
    for path, name in pages.items():
        _add_page(app, path, settings, name)

    app.add_middleware(StreamLimitMiddleware, per_client=settings.max_streams_per_client)
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
    # The proxies in front show no key (GATEWAY_KEY is what the gateway shows the chatbot).
    app.add_middleware(ForwardedMiddleware, trusted=TrustedProxies.of(settings.trusted_proxies))
    app.add_middleware(
        SecurityHeadersMiddleware, frameable=FRAMEABLE, allowed_origins=settings.allowed_origins
    )
    return app


_ADMIN_ONLY = Route(upstream="/health", methods=frozenset({"GET"}), service="gateway",
                    downstream="/health", roles=frozenset({"admin"}))  # fmt: skip


def _insider(request: Request, settings: GatewaySettings) -> bool:
    """Tell whether the caller may see details: a client on this machine, or an admin."""
    if request.client is not None and is_loopback(request.client.host):
        return True
    if not request.headers.get("authorization") and "okla_session" not in request.cookies:
        return False
    try:
        authorize(request, _ADMIN_ONLY, settings)
    except ApiError:
        return False
    return True


async def _service_health(gateway: Gateway, pool: Pool) -> dict[str, Any]:
    """Ask each replica of a service; up if every one answers 200, down if none does."""
    replicas: list[dict[str, Any]] = []
    for replica in pool.replicas:
        try:
            answer = await gateway.upstreams.check(gateway.client, replica)
            status = Health.UP if answer.status_code == 200 else Health.DEGRADED
            replicas.append(
                {"url": replica.url, "status": status, "httpStatus": answer.status_code}
            )
        except httpx.HTTPError as exc:
            replicas.append(
                {"url": replica.url, "status": Health.DOWN, "error": type(exc).__name__}
            )
    up = sum(r["status"] == Health.UP for r in replicas)
    status = Health.UP if up == len(replicas) else Health.DEGRADED if up else Health.DOWN
    if len(replicas) == 1:
        return replicas[0]
    return {"status": status, "replicas": replicas}


def _serves(report: dict[str, Any]) -> bool:
    """Tell whether a service serves: its one replica is up, or some of its replicas are."""
    if "replicas" in report:
        return bool(report["status"] != Health.DOWN)
    return bool(report["status"] == Health.UP)


def _add_page(app: FastAPI, path: str, settings: GatewaySettings, name: str) -> None:
    media = _MEDIA.get(Path(name).suffix)

    async def page() -> Response:
        file = settings.web_root / name
        if not file.is_file():
            raise NotFoundError(f"{name} is not installed.")
        return FileResponse(file, media_type=media, headers={"Cache-Control": "no-cache"})

    app.add_api_route(path, page, methods=["GET"], include_in_schema=False)

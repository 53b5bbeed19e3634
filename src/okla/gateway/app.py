"""The gateway's app: route table, JWT for admin routes, rate limits, streaming proxy, web."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

import okla
from okla.access_log import AccessLogMiddleware
from okla.gateway.middleware import CsrfMiddleware, RequestIdMiddleware
from okla.gateway.routes import Route, RouteTable
from okla.gateway.settings import GatewaySettings

logger = logging.getLogger("okla.gateway")

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "trailers", "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip
PAGES = {"/": "index.html", "/widget.js": "widget.js", "/chat-test.html": "chat-test.html",
         "/agent.html": "agent.html", "/widget.css": "widget.css"}  # fmt: skip


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


class Gateway:
    """Route, check and forward one request; owns the shared client and limiter."""

    def __init__(self, settings: GatewaySettings, table: RouteTable, client: httpx.AsyncClient,
                 storage: Storage) -> None:  # fmt: skip
        self.settings = settings
        self.table = table
        self.client = client
        self.limiter = MovingWindowRateLimiter(storage)
        self.memory = MovingWindowRateLimiter(MemoryStorage())

    async def handle(self, request: Request) -> Response:
        """Answer one request on an /api path."""
        route, params, known = self.table.match(request.method, request.url.path)
        if route is None:
            if known:
                return _error(405, "method_not_allowed", f"{request.method} is not allowed here.")
            return _error(404, "not_found", f"No route for {request.url.path}.")
        client_ip = request.client.host if request.client else "unknown"
        limited = await self._rate_limit(route, client_ip)
        if limited is not None:
            return limited
        if route.roles:
            denied = self._authorize(request, route)
            if denied is not None:
                return denied
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > route.max_body_bytes:
            return _too_large(route)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > route.max_body_bytes:
                return _too_large(route)
        return await self._forward(request, route, params, body, client_ip)

    async def _rate_limit(self, route: Route, client_ip: str) -> Response | None:
        item = parse(self.table.rate_limits[route.rate_limit])
        limiter = self.limiter
        try:
            allowed = await limiter.hit(item, route.rate_limit, client_ip)
        except Exception as exc:  # Redis down: limit per process rather than not at all
            logger.warning("Rate-limit storage unavailable (%s); limiting in memory", exc)
            limiter = self.memory
            allowed = await limiter.hit(item, route.rate_limit, client_ip)
        if allowed:
            return None
        stats = await limiter.get_window_stats(item, route.rate_limit, client_ip)
        retry = max(1, int(stats.reset_time - time.time()) + 1)
        return _error(429, "rate_limited", "Too many requests; slow down.",
                      {"Retry-After": str(retry)})  # fmt: skip

    def _authorize(self, request: Request, route: Route) -> Response | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            token = request.cookies.get("okla_session", "")
        if not token:
            return _error(401, "unauthorized", "This route needs a JWT (Authorization: Bearer).",
                          {"WWW-Authenticate": "Bearer"})  # fmt: skip
        if self.settings.jwt_secret is None:
            return _error(401, "unauthorized", "JWT_SECRET is not configured on the gateway.")
        try:
            claims = jwt.decode(
                token,
                self.settings.jwt_secret.get_secret_value(),
                algorithms=[self.settings.jwt_algorithm],
                options={"require": ["exp", "sub"]},
            )
        except jwt.PyJWTError as exc:
            return _error(401, "unauthorized", f"Invalid token: {exc}.",
                          {"WWW-Authenticate": 'Bearer error="invalid_token"'})  # fmt: skip
        roles = claims.get("roles") or [claims.get("role")]
        if not route.roles & {str(r) for r in roles if r}:
            return _error(403, "forbidden", f"This route needs the role {sorted(route.roles)[0]}.")
        return None

    async def _forward(self, request: Request, route: Route, params: dict[str, str],
                       body: bytes, client_ip: str) -> Response:  # fmt: skip
        base = self.table.services[route.service].rstrip("/")
        url = base + route.downstream_path(params)
        if request.url.query:
            url += "?" + request.url.query
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        forwarded = request.headers.get("x-forwarded-for")
        headers = [(k, v) for k, v in headers if k.lower() != "x-forwarded-for"]
        headers.append(("x-forwarded-for", f"{forwarded}, {client_ip}" if forwarded else client_ip))
        headers.append(("x-forwarded-proto", request.url.scheme))
        headers.append(("x-forwarded-host", request.headers.get("host", "")))
        outgoing = self.client.build_request(
            request.method,
            url,
            headers=headers,
            content=body,
            timeout=httpx.Timeout(route.timeout, connect=5.0),
        )
        try:
            upstream = await self.client.send(outgoing, stream=True)
        except httpx.TimeoutException:
            return _error(
                504,
                "gateway_timeout",
                f"The {route.service} service did not answer within {route.timeout:g} s.",
            )
        except httpx.HTTPError as exc:
            return _error(502, "bad_gateway", f"The {route.service} service is unreachable: "
                          f"{type(exc).__name__}.")  # fmt: skip
        response_headers = {
            k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP
        }
        return StreamingResponse(
            _relay(upstream),
            status_code=upstream.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream.aclose),
        )


async def _relay(upstream: httpx.Response) -> AsyncIterator[bytes]:
    """Pass the body on as it arrives (SSE token by token), ending cleanly on a timeout."""
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    except httpx.HTTPError as exc:
        logger.warning("Upstream stream ended early: %s", exc)


def _too_large(route: Route) -> Response:
    return _error(413, "payload_too_large",
                  f"The body is larger than {route.max_body_bytes // 1024} KB.")  # fmt: skip


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
        storage: Storage = MemoryStorage()
        if settings.redis_url:
            scheme, _, rest = settings.redis_url.partition("://")
            storage = RedisStorage(f"async+{scheme}://{rest}", implementation="redispy",
                                   socket_timeout=0.5, socket_connect_timeout=0.5)  # fmt: skip
        gateway = Gateway(settings, table, client, storage)
        try:
            yield {"gateway": gateway}
        finally:
            await client.aclose()

    app = FastAPI(title="OKLA gateway", version=okla.__version__, lifespan=lifespan)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.get("/health")
    async def health(request: Request) -> JSONResponse:
        """Report the gateway and each downstream service."""
        gateway: Gateway = request.state.gateway
        services: dict[str, Any] = {}
        for name, base in table.services.items():
            path = "/api/chat/health" if name == "chatbot" else "/health"
            try:
                answer = await gateway.client.get(base.rstrip("/") + path, timeout=5.0)
                services[name] = {"url": base, "status": "up" if answer.status_code == 200
                                  else "degraded", "httpStatus": answer.status_code}  # fmt: skip
            except httpx.HTTPError as exc:
                services[name] = {"url": base, "status": "down", "error": type(exc).__name__}
        ok = all(s["status"] == "up" for s in services.values())
        return JSONResponse(
            {"status": "ok" if ok else "degraded", "gateway": "up", "services": services},
            status_code=200 if ok else 503,
        )

    @app.api_route("/api/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
                   include_in_schema=False)  # fmt: skip
    @app.api_route("/api", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
                   include_in_schema=False)  # fmt: skip
    async def proxy(request: Request) -> Response:
        gateway: Gateway = request.state.gateway
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
            return _error(404, "not_found", f"{name} is not installed.")
        return FileResponse(file, media_type=media, headers={"Cache-Control": "no-cache"})

    app.add_api_route(path, page, methods=["GET"], include_in_schema=False)

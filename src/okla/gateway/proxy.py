"""Route, check and forward one request to the service behind it, streaming the answer back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from okla.common.deadline import REQUEST_TIMEOUT_HEADER, format_timeout
from okla.common.errors import (
    BadGatewayError,
    GatewayTimeoutError,
    MethodNotAllowedError,
    NotFoundError,
    PayloadTooLargeError,
    TooManyRequestsError,
)
from okla.common.forwarded import GATEWAY_KEY_HEADER
from okla.common.rate_limit import RateLimiter
from okla.gateway.auth import authorize
from okla.gateway.routes import Route, RouteTable
from okla.gateway.settings import GatewaySettings

logger = logging.getLogger("okla.gateway")

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "trailers", "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip
# Request headers the gateway sets itself: a client's own values never pass.
_REPLACED = {
    "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip",
    GATEWAY_KEY_HEADER, REQUEST_TIMEOUT_HEADER,
}  # fmt: skip
# Response headers of the service's that the gateway's server writes itself (one of each).
_SERVER_WRITES = {"server", "date"}


class Gateway:
    """Route, check and forward one request; owns the shared client and limiter."""

    def __init__(self, settings: GatewaySettings, table: RouteTable, client: httpx.AsyncClient,
                 limiter: RateLimiter) -> None:  # fmt: skip
        self.settings = settings
        self.table = table
        self.client = client
        self.limiter = limiter

    async def handle(self, request: Request) -> Response:
        """Answer one request on an /api path."""
        route, params, known = self.table.match(request.method, request.url.path)
        if route is None:
            if known:
                raise MethodNotAllowedError(f"{request.method} is not allowed here.")
            raise NotFoundError(f"No route for {request.url.path}.")
        client_ip = request.client.host if request.client else "unknown"
        limit = self.table.rate_limits[route.rate_limit]
        decision = await self.limiter.hit(limit, route.rate_limit, client_ip)
        if not decision.allowed:
            raise TooManyRequestsError("Too many requests; slow down.", decision.retry_after)
        if route.roles:
            authorize(request, route, self.settings)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > route.max_body_bytes:
            raise _too_large(route)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > route.max_body_bytes:
                raise _too_large(route)
        return await self._forward(request, route, params, body, client_ip)

    async def _forward(self, request: Request, route: Route, params: dict[str, str],
                       body: bytes, client_ip: str) -> Response:  # fmt: skip
        base = self.table.services[route.service].rstrip("/")
        url = base + route.downstream_path(params)
        if request.url.query:
            url += "?" + request.url.query
        headers = [
            (k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP | _REPLACED
        ]
        # The client as the gateway found it (its own peer, or what a trusted proxy in front
        # said): the addresses a client wrote itself go no further.
        headers.append(("x-forwarded-for", client_ip))
        headers.append(("x-forwarded-proto", request.url.scheme))
        headers.append(("x-forwarded-host", request.headers.get("host", "")))
        if self.settings.gateway_key is not None:
            headers.append((GATEWAY_KEY_HEADER, self.settings.gateway_key.get_secret_value()))
        # The service must answer before the gateway gives up on it.
        headers.append((REQUEST_TIMEOUT_HEADER, format_timeout(route.timeout)))
        outgoing = self.client.build_request(
            request.method,
            url,
            headers=headers,
            content=body,
            timeout=httpx.Timeout(route.timeout, connect=5.0),
        )
        try:
            upstream = await self.client.send(outgoing, stream=True)
        except httpx.TimeoutException as exc:
            raise GatewayTimeoutError(
                f"The {route.service} service did not answer within {route.timeout:g} s."
            ) from exc
        except httpx.HTTPError as exc:
            raise BadGatewayError(
                f"The {route.service} service is unreachable: {type(exc).__name__}."
            ) from exc
        response = StreamingResponse(
            _relay(upstream),
            status_code=upstream.status_code,
            background=BackgroundTask(upstream.aclose),
        )
        # Every value of a repeated header passes: a login sets two cookies.
        response.raw_headers = [
            (k, v)
            for k, v in upstream.headers.raw
            if k.decode("latin-1").lower() not in HOP_BY_HOP | _SERVER_WRITES
        ]
        return response


async def _relay(upstream: httpx.Response) -> AsyncIterator[bytes]:
    """Pass the body on as it arrives (SSE token by token), ending cleanly on a timeout."""
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    except httpx.HTTPError as exc:
        logger.warning("Upstream stream ended early: %s", exc)


def _too_large(route: Route) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"The body is larger than {route.max_body_bytes // 1024} KB.")

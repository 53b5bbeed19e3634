"""Route, check and forward one request to the service behind it, streaming the answer back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum

import httpx
from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from okla.common.deadline import REQUEST_TIMEOUT_HEADER, format_timeout
from okla.common.errors import (
    ApiError,
    BadGatewayError,
    GatewayTimeoutError,
    MethodNotAllowedError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceUnavailableError,
    TooManyRequestsError,
)
from okla.common.forwarded import GATEWAY_KEY_HEADER
from okla.common.rate_limit import RateLimiter
from okla.gateway.auth import authorize
from okla.gateway.routes import Route, RouteTable
from okla.gateway.settings import GatewaySettings
from okla.gateway.upstreams import Pool, Replica, Upstreams

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
# A replica answering these is down or overloaded: another may serve the request. A 500 is
# the request's own failure (and the service may have stored part of it): passed on as it is.
_REPLICA_DOWN = {502, 503, 504}
# Response headers of the service's that the gateway's server writes itself (one of each).
_SERVER_WRITES = {"server", "date"}
# Computed once: these are looked up for every header of every request.
_DROPPED_REQUEST_HEADERS = frozenset(HOP_BY_HOP | _REPLACED)
_DROPPED_RESPONSE_HEADERS = frozenset(HOP_BY_HOP | _SERVER_WRITES)
# An answer this small with its length known is read whole and sent in one piece: streaming it
# costs more than it saves.
_WHOLE_BODY_BYTES = 256 * 1024


class Gateway:
    """Route, check and forward one request; owns the shared client and limiter."""

    def __init__(self, settings: GatewaySettings, table: RouteTable, client: httpx.AsyncClient,
                 limiter: RateLimiter, upstreams: Upstreams) -> None:  # fmt: skip
        self.settings = settings
        self.table = table
        self.client = client
        self.limiter = limiter
        self.upstreams = upstreams
        self.metrics = upstreams.metrics

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
        path = route.downstream_path(params)
        if request.url.query:
            path += "?" + request.url.query
        headers = [
            (k, v) for k, v in request.headers.items() if k.lower() not in _DROPPED_REQUEST_HEADERS
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
        pool = self.upstreams.pool(route.service)
        safe = _safe_to_resend(request, route)
        tried: list[Replica] = []
        while (replica := pool.pick(tried)) is not None:
            tried.append(replica)
            outgoing = self.client.build_request(
                request.method,
                replica.url + path,
                headers=headers,
                content=body,
                timeout=httpx.Timeout(route.timeout, connect=5.0),
            )
            last = len(tried) == len(pool.replicas)
            attempt = await self._attempt(pool, replica, outgoing, route, resend=safe and not last)
            if isinstance(attempt, httpx.Response):
                if _short(attempt):
                    return await _whole(pool, replica, attempt, route)
                return _streamed(pool, replica, attempt)
            # Nothing reached the client yet; may the request go to another replica?
            if last:
                self.metrics.unretried.labels(route.service, "exhausted").inc()
                raise attempt.error
            if attempt.reason != Failure.CONNECT and not safe:
                self.metrics.unretried.labels(route.service, "unsafe").inc()
                raise attempt.error
            self.metrics.retries.labels(route.service, attempt.reason).inc()
        raise AssertionError("a pool has at least one replica")  # pragma: no cover

    async def _attempt(
        self, pool: Pool, replica: Replica, outgoing: httpx.Request, route: Route, *, resend: bool
    ) -> httpx.Response | Failed:
        """Send the request to one replica; return its answer, or why it gave none.

        `resend`: the request may go to another replica even if this one received it.
        """
        count = self.metrics.requests
        pool.started(replica)
        try:
            upstream = await self.client.send(outgoing, stream=True)
        except httpx.TimeoutException as exc:
            pool.finished(replica)
            count.labels(route.service, replica.url, "timeout").inc()
            if isinstance(exc, httpx.ConnectTimeout):
                pool.failed(replica)
                return Failed(Failure.CONNECT, _unavailable(route))
            # A slow answer is not a dead replica, and the route's time is spent: no retry.
            raise GatewayTimeoutError(
                f"The {route.service} service did not answer within {route.timeout:g} s."
            ) from exc
        except httpx.HTTPError as exc:
            pool.finished(replica)
            count.labels(route.service, replica.url, "error").inc()
            pool.failed(replica)
            if isinstance(exc, httpx.ConnectError):
                # Refused or unresolvable: the request never left.
                return Failed(Failure.CONNECT, _unavailable(route))
            return Failed(
                Failure.DROPPED,
                BadGatewayError(
                    f"The {route.service} service dropped the request "
                    f"({type(exc).__name__}); retry it in a few seconds.",
                    headers={"Retry-After": "2"},
                ),
            )
        count.labels(route.service, replica.url, f"{upstream.status_code // 100}xx").inc()
        if upstream.status_code in _REPLICA_DOWN:
            pool.failed(replica)
            if resend:
                # Another replica may answer: this one's refusal is dropped unread.
                await upstream.aclose()
                pool.finished(replica)
                return Failed(Failure.STATUS, _unavailable(route))
        return upstream


class Failure(StrEnum):
    """Why a replica gave no answer to pass on."""

    CONNECT = "connect"  # never reached it: safe to send anywhere else
    DROPPED = "dropped"  # the connection broke after the request may have arrived
    STATUS = "status"  # it answered 502, 503 or 504


@dataclass(frozen=True)
class Failed:
    """A replica that gave no answer, and the error the client gets if none other does."""

    reason: Failure
    error: ApiError


def _safe_to_resend(request: Request, route: Route) -> bool:
    """Tell whether a request that may have reached a replica can go to another one."""
    if request.method in ("GET", "HEAD"):
        return True
    return (
        request.method == "POST"
        and route.dedups_idempotency_key
        and bool(request.headers.get("idempotency-key"))
    )


def _unavailable(route: Route) -> ApiError:
    return ServiceUnavailableError(
        f"The {route.service} service is unreachable right now; retry in a few seconds.",
        retry_after=2,
    )


def _short(upstream: httpx.Response) -> bool:
    """Tell whether an answer is small, of known length, and not an event stream."""
    length = upstream.headers.get("content-length")
    return (
        length is not None
        and length.isdigit()
        and int(length) <= _WHOLE_BODY_BYTES
        and not upstream.headers.get("content-type", "").startswith("text/event-stream")
    )


async def _whole(pool: Pool, replica: Replica, upstream: httpx.Response, route: Route) -> Response:
    """Read a short answer whole and pass it on in one piece."""
    try:
        # Raw: a compressed answer passes on as it came, with its Content-Encoding.
        body = b"".join([chunk async for chunk in upstream.aiter_raw()])
    except httpx.HTTPError as exc:
        raise BadGatewayError(
            f"The {route.service} service broke off its answer ({type(exc).__name__}); "
            "retry it in a few seconds.",
            headers={"Retry-After": "2"},
        ) from exc
    finally:
        await upstream.aclose()
        pool.finished(replica)
    response = Response(content=body, status_code=upstream.status_code)
    response.raw_headers = [*_passed_headers(upstream), *response.raw_headers]
    return response


def _passed_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    """Return the answer's headers the client gets (every value of a repeated one)."""
    return [
        (k, v)
        for k, v in upstream.headers.raw
        if k.decode("latin-1").lower() not in _DROPPED_RESPONSE_HEADERS
    ]


def _streamed(pool: Pool, replica: Replica, upstream: httpx.Response) -> StreamingResponse:
    """Pass the replica's answer on as it comes; count it finished once the body is done."""

    async def done() -> None:
        try:
            await upstream.aclose()
        finally:
            pool.finished(replica)

    response = StreamingResponse(
        _relay(upstream), status_code=upstream.status_code, background=BackgroundTask(done)
    )
    # Every value of a repeated header passes: a login sets two cookies.
    response.raw_headers = _passed_headers(upstream)
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

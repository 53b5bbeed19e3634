"""How every service is served: one uvicorn configuration, with limits on slow clients.

uvicorn bounds only the idle time between two requests on a connection (keep-alive). A
client that opens a connection and sends its request head one line every few seconds, or its
body one byte a second, holds the connection (and its request task) for as long as it likes.
`GuardedHttpProtocol` adds the missing bounds: the request head must arrive within
`HEADER_TIMEOUT_SECONDS` and stay under `MAX_HEADER_BYTES`, the body within
`BODY_TIMEOUT_SECONDS` of the head; a connection that overstays is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class ServerLimits(BaseSettings):
    """Timeouts and sizes every service's HTTP server enforces (same names for all three)."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time a client has to send a request's head."
    )
    body_timeout_seconds: float = Field(
        default=15.0,
        gt=0,
        description="Time a client has to send a request's body, after its head.",
    )
    keep_alive_seconds: int = Field(
        default=5, ge=1, description="Idle time allowed between two requests on a connection."
    )
    max_header_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest request head (request line and headers)."
    )


_TIMEOUT_408 = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 16\r\nconnection: close\r\n\r\nRequest Timeout."
)
_TOO_LARGE_431 = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 24\r\nconnection: close\r\n\r\nRequest head is too large"
)


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with bounds on the time and size of a request's head and
    on the time of its body."""

    limits = ServerLimits.model_construct()  # the defaults; guarded_protocol() binds others

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._in_head = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock on the first request's head as soon as the client connects."""
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clocks."""
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser; refuse a head that grows past the limit."""
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > self.limits.max_header_bytes:
            self._refuse(_TOO_LARGE_431)

    def on_message_begin(self) -> None:
        """A request starts: its head must be complete within the header timeout."""
        super().on_message_begin()
        if not self._in_head:
            self._await_head()

    def on_headers_complete(self) -> None:
        """The head is in: its body (if any) must follow within the body timeout."""
        self._in_head = False
        self._head_bytes = 0
        self._cancel(self._head_timer)
        self._head_timer = None
        super().on_headers_complete()
        self._body_timer = self.loop.call_later(
            self.limits.body_timeout_seconds, self._body_timed_out
        )

    def on_message_complete(self) -> None:
        """The whole request is in."""
        self._cancel(self._body_timer)
        self._body_timer = None
        super().on_message_complete()

    def on_response_complete(self) -> None:
        """Between requests, uvicorn's keep-alive timeout watches the idle connection."""
        super().on_response_complete()
        self._in_head = False

    def _await_head(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        self._cancel(self._head_timer)
        self._head_timer = self.loop.call_later(
            self.limits.header_timeout_seconds, self._head_timed_out
        )

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head:
            self._refuse(_TIMEOUT_408)

    def _body_timed_out(self) -> None:
        # The app is waiting for the body: closing the connection ends its wait with a
        # disconnect, and frees the task.
        self._body_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _refuse(self, response: bytes) -> None:
        self._in_head = False
        self._cancel_timers()
        if not self.transport.is_closing():
            self.transport.write(response)
            self.transport.close()

    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            self._cancel(timer)
        self._head_timer = self._body_timer = None

    @staticmethod
    def _cancel(timer: asyncio.TimerHandle | None) -> None:
        if timer is not None:
            timer.cancel()


def guarded_protocol(limits: ServerLimits) -> type[GuardedHttpProtocol]:
    """Return the guarded protocol bound to these limits."""
    return type("GuardedHttpProtocol", (GuardedHttpProtocol,), {"limits": limits})


def server_config(
    app: Any,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    limits: ServerLimits | None = None,
    graceful_seconds: int = 10,
    **extra: Any,
) -> uvicorn.Config:
    """Return the uvicorn configuration every service runs with.

    No `Server` banner (replies carry one `Date`, uvicorn's); uvicorn's own proxy headers are
    off, since it would believe any loopback peer's X-Forwarded-For (the services decide whom
    to believe, okla/common/forwarded.py); no access log of uvicorn's (ours redacts tokens);
    the logging the command line set up is kept.
    """
    limits = limits or ServerLimits()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        http=guarded_protocol(limits),
        timeout_keep_alive=limits.keep_alive_seconds,
        timeout_graceful_shutdown=graceful_seconds,
        **extra,
    )

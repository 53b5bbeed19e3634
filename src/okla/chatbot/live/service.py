"""Publishing live events where the state changes, and following them for a client."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from sse_starlette import ServerSentEvent

from okla.chatbot.live.broker import Broker, MemoryBroker
from okla.chatbot.live.domain import (
    EVERY_DEALER,
    EventKind,
    Payload,
    dealer_stream,
    encode,
    session_stream,
)

logger = logging.getLogger("okla.chatbot.live")

# Asked between events: whether the stream may go on (the login still live, the session open).
StillOpen = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class LiveEvents:
    """Publish events to a dealer's advisors and to a customer's session, after a commit.

    A broker that fails doesn't fail the change that was committed: the event is dropped
    with a warning (no payload in the log: it may hold what a customer wrote), and the
    clients see the new state when they reload.
    """

    broker: Broker = field(default_factory=MemoryBroker)

    async def to_dealer(self, dealer_id: str, kind: EventKind, payload: Payload) -> None:
        """Tell the dealer's advisors (and the operators)."""
        data = encode(payload)
        await self._publish(dealer_stream(dealer_id), kind, data)
        await self._publish(EVERY_DEALER, kind, data)

    async def to_session(self, session_id: str, kind: EventKind, payload: Payload) -> None:
        """Tell the customer of a session."""
        await self._publish(session_stream(session_id), kind, encode(payload))

    async def _publish(self, stream: str, kind: EventKind, data: str) -> None:
        try:
            await self.broker.publish(stream, kind, data)
        except Exception as exc:  # a broker's failure must not undo a committed change
            logger.warning("Live event %s not published: %s", kind.value, type(exc).__name__)

    async def follow(
        self,
        stream: str,
        after: int | None,
        *,
        heartbeat: float,
        still_open: StillOpen,
    ) -> AsyncIterator[ServerSentEvent]:
        """Yield a stream's events as SSE, a comment every `heartbeat` seconds of quiet.

        `still_open` is asked at least every `heartbeat` seconds; the stream ends when it says
        no, and when this client falls too far behind (it resumes with Last-Event-ID).
        """
        async with self.broker.subscribe(stream, after) as subscription:
            # Says the client is subscribed: what happens from now on reaches it.
            yield ServerSentEvent(comment="subscribed")
            checked = time.monotonic()
            while True:
                envelope = await subscription.next(heartbeat)
                if subscription.overflowed:
                    return
                if envelope is not None:
                    yield ServerSentEvent(
                        id=str(envelope.id), event=envelope.kind.value, data=envelope.data
                    )
                if time.monotonic() - checked >= heartbeat:
                    if not await still_open():
                        return
                    checked = time.monotonic()
                    if envelope is None:
                        # A comment: proxies and the gateway see bytes and keep the stream.
                        yield ServerSentEvent(comment="keep-alive")

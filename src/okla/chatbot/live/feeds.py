"""The streams clients follow: an advisor's dealer's events, a customer's session's."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sse_starlette import ServerSentEvent

from okla.chatbot.advisors.waiting import Waiting
from okla.chatbot.auth import Caller
from okla.chatbot.chat.access import SessionAccess
from okla.chatbot.chat.domain import SessionStatus
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.errors import ChatError, NotFoundError, SessionNotFoundError
from okla.chatbot.live.domain import EVERY_DEALER, dealer_stream, session_stream
from okla.chatbot.live.repository import LiveRepository
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.staff.service import StaffService


@dataclass(frozen=True)
class LiveFeeds:
    """The streams clients follow: an advisor's dealer's, or a customer's session's."""

    sessions: async_sessionmaker[AsyncSession]
    events: LiveEvents
    access: SessionAccess
    staff: StaffService
    waiting: Waiting
    heartbeat: float

    async def advisor_stream(self, caller: Caller) -> str:
        """Name the stream an advisor follows: their dealer's (an operator's: every dealer's)."""
        if caller.dealer is None:
            return EVERY_DEALER
        async with self.sessions() as db:
            dealer_id = await LiveRepository(db).dealer_id(caller.dealer)
        if dealer_id is None:
            raise NotFoundError(f"No dealer '{caller.dealer}'.")
        return dealer_stream(dealer_id)

    def advisors(
        self, caller: Caller, stream: str, after: int | None
    ) -> AsyncIterator[ServerSentEvent]:
        """Follow a dealer's events while the caller's token lives and its login holds."""

        async def still_open() -> bool:
            if caller.expires_at is not None and time.time() >= caller.expires_at:
                return False  # the console refreshes its token and resumes with Last-Event-ID
            try:
                await self.staff.confirm(caller)
            except ChatError:
                return False  # signed out, disabled, changed: no more events
            return True

        return self.events.follow(stream, after, heartbeat=self.heartbeat, still_open=still_open)

    async def customer_session(self, token: str, client: str) -> str:
        """Return the id of the live session of a token (404 when unknown, expired or ended)."""
        async with self.sessions() as db:
            chat = await self.access.live(ChatRepository(db), token, client)
            if chat.status == SessionStatus.ENDED:
                raise SessionNotFoundError()
            return chat.id

    def customer(self, session_id: str, after: int | None) -> AsyncIterator[ServerSentEvent]:
        """Follow a session's events while it is open; look at the customer's wait meanwhile."""

        async def still_open() -> bool:
            return await self.waiting.check(session_id)

        stream = session_stream(session_id)
        return self.events.follow(stream, after, heartbeat=self.heartbeat, still_open=still_open)

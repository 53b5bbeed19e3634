"""The one query of the live events: a dealer's id by its slug."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.models import Dealer


class LiveRepository:
    """Read what a stream's name needs."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def dealer_id(self, slug: str) -> str | None:
        """Return the id of the dealer with this slug."""
        found: str | None = await self.session.scalar(select(Dealer.id).where(Dealer.slug == slug))
        return found

"""Dealers' profiles: staff read and change their own dealer's; a file creates or updates many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.auth import Caller, Role
from okla.chatbot.dealers.importer import DealerEntry
from okla.chatbot.dealers.repository import (
    DealerRepository,
    apply_profile,
    profile_of,
    rename,
    set_webhook_secret,
    set_webhook_url,
)
from okla.chatbot.dealers.schemas import DealerProfileIn, DealerProfileOut, profile_part
from okla.chatbot.errors import NotFoundError
from okla.chatbot.models import Dealer


class Imported(StrEnum):
    """What importing did to one dealer of a file."""

    CREATED = "created"
    UPDATED = "updated"


@dataclass(frozen=True)
class DealerService:
    """Read and write dealers' profiles."""

    sessions: async_sessionmaker[AsyncSession]

    async def profile(self, caller: Caller, slug: str) -> DealerProfileOut:
        """Return a dealer's profile, if the caller may see that dealer (else 404)."""
        async with self.sessions() as db:
            dealer = await _visible(DealerRepository(db), caller, slug)
            return DealerProfileOut.of(dealer, profile_of(dealer))

    async def update(self, caller: Caller, slug: str, body: DealerProfileIn) -> DealerProfileOut:
        """Replace a dealer's profile (a manager's or an admin's); name and webhook if given."""
        async with self.sessions() as db:
            dealer = await _visible(DealerRepository(db), caller, slug)
            # Only after the dealer is known to be the caller's: another's is a 404, not a 403.
            caller.require(Role.ADMIN, Role.MANAGER)
            profile = profile_part(body)
            apply_profile(dealer, profile)
            rename(dealer, name=body.name, assistant_name=body.assistant_name)
            if body.sets("webhook_url"):
                set_webhook_url(dealer, body.webhook_url)
            if body.sets("webhook_secret"):
                set_webhook_secret(dealer, body.webhook_secret)
            await db.commit()
            return DealerProfileOut.of(dealer, profile)

    async def import_dealers(self, entries: Sequence[DealerEntry]) -> dict[str, Imported]:
        """Create or update every dealer of a validated file, all in one transaction."""
        result: dict[str, Imported] = {}
        async with self.sessions() as db:
            repo = DealerRepository(db)
            existing = await repo.by_slugs({entry.slug for entry in entries})
            for entry in entries:
                dealer = existing.get(entry.slug)
                if dealer is None:
                    dealer = repo.add(entry.slug, entry.name, entry.assistant_name)
                    result[entry.slug] = Imported.CREATED
                else:
                    rename(dealer, name=entry.name, assistant_name=entry.assistant_name)
                    result[entry.slug] = Imported.UPDATED
                apply_profile(dealer, profile_part(entry))
                if entry.sets("webhook_url"):
                    set_webhook_url(dealer, entry.webhook_url)
                if entry.sets("webhook_secret"):
                    set_webhook_secret(dealer, entry.webhook_secret)
            await db.commit()
        return result


async def _visible(repo: DealerRepository, caller: Caller, slug: str) -> Dealer:
    """Return the dealer with this slug if the caller may see it; 404 otherwise."""
    scoped = caller.scope(slug)
    dealer = None if scoped is None else await repo.by_slug(scoped)
    if dealer is None:
        raise NotFoundError(f"No dealer '{slug}'.", field="slug")
    return dealer

"""Inventory use cases: load the demo stock or a dealer's CSV rows, list the dealers."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.dealers.repository import apply_profile
from okla.chatbot.errors import NotFoundError
from okla.chatbot.inventory.demo import DEMO_DEALERS, demo_profiles
from okla.chatbot.inventory.domain import Catalog, VehicleRecord
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.schemas import DealerOut
from okla.chatbot.models import utcnow


async def load_demo(
    sessions: async_sessionmaker[AsyncSession], today: date | None = None
) -> dict[str, tuple[int, int]]:
    """Create or refresh the demo dealers, their profiles and their stock.

    Return (created, updated) vehicles per slug. The profiles' holidays are those of the year
    from `today` (the current UTC date by default).
    """
    result: dict[str, tuple[int, int]] = {}
    profiles = demo_profiles(today or utcnow().date())
    async with sessions() as db:
        repo = InventoryRepository(db)
        for seed, records in DEMO_DEALERS:
            dealer = await repo.upsert_dealer(seed)
            apply_profile(dealer, profiles[seed.slug])
            result[seed.slug] = await repo.upsert_vehicles(dealer.id, records)
        await db.commit()
    return result


async def import_rows(
    sessions: async_sessionmaker[AsyncSession],
    dealer_slug: str,
    records: Sequence[VehicleRecord],
) -> tuple[int, int]:
    """Load validated records into one dealer's stock, all in one transaction."""
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.dealer(dealer_slug)
        if dealer is None:
            known = ", ".join(d.slug for d in await repo.dealers()) or "none yet"
            raise NotFoundError(f"Unknown dealer {dealer_slug!r} (known: {known}).")
        counts = await repo.upsert_vehicles(dealer.id, records)
        await db.commit()
        return counts


async def list_dealers(sessions: async_sessionmaker[AsyncSession]) -> list[DealerOut]:
    """List every dealer a session can be started with, by name."""
    async with sessions() as db:
        found = await InventoryRepository(db).dealers()
    return [DealerOut.of(dealer) for dealer in found]


@dataclass
class CatalogCache:
    """Each dealer's catalog (its makes and models) for a little while, read once per turn.

    A turn needs it to recognise names; the stock changes by import, rarely, so a few seconds
    of staleness in one process is the price of not querying it on every message.
    """

    ttl_seconds: float = 30.0
    _held: dict[str, tuple[float, Catalog]] = field(default_factory=dict)
    _every_model: tuple[float, frozenset[str]] | None = None

    async def catalog(self, repo: InventoryRepository, dealer_id: str) -> Catalog:
        """Return the dealer's catalog, read again once it is older than the TTL."""
        now = time.monotonic()
        held = self._held.get(dealer_id)
        if held is not None and now - held[0] < self.ttl_seconds:
            return held[1]
        catalog = await repo.catalog(dealer_id)
        self._held[dealer_id] = (now, catalog)
        return catalog

    async def all_models(self, repo: InventoryRepository) -> frozenset[str]:
        """Return the models of every dealer's stock, read again once older than the TTL."""
        now = time.monotonic()
        if self._every_model is not None and now - self._every_model[0] < self.ttl_seconds:
            return self._every_model[1]
        models = await repo.all_models()
        self._every_model = (now, models)
        return models

"""Inventory use cases: load the demo stock or a dealer's CSV rows, list the dealers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.errors import NotFoundError
from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import VehicleRecord
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.schemas import DealerOut


async def load_demo(sessions: async_sessionmaker[AsyncSession]) -> dict[str, tuple[int, int]]:
    """Create or refresh the demo dealers and their stock; return (created, updated) per slug."""
    result: dict[str, tuple[int, int]] = {}
    async with sessions() as db:
        repo = InventoryRepository(db)
        for seed, records in DEMO_DEALERS:
            dealer = await repo.upsert_dealer(seed)
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

"""Inventory queries on a migrated SQLite database: upserts, enum columns, cards."""

from __future__ import annotations

from dataclasses import fields, replace

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import (
    BodyType,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.models import Vehicle

SEED, STOCK = DEMO_DEALERS[0]
FIRST, SECOND, THIRD = STOCK[:3]


async def test_upsert_creates_then_updates_by_stock_number(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.upsert_dealer(SEED)
        assert await repo.upsert_vehicles(dealer.id, [FIRST, SECOND]) == (2, 0)
        cheaper = replace(SECOND, price=SECOND.price - 100_000, status=VehicleStatus.SOLD)
        assert await repo.upsert_vehicles(dealer.id, [cheaper, THIRD]) == (1, 1)
        await db.commit()

    async with sessions() as db:
        stored = {
            v.stock_number: v
            for v in (await db.scalars(select(Vehicle).where(Vehicle.dealer_id == dealer.id)))
        }
    assert sorted(stored) == sorted(r.stock_number for r in (FIRST, SECOND, THIRD))
    for record in (FIRST, cheaper, THIRD):
        vehicle = stored[record.stock_number]
        assert {f.name: getattr(vehicle, f.name) for f in fields(record)} == vars(record)


async def test_upsert_dealer_updates_by_slug(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as db:
        repo = InventoryRepository(db)
        first = await repo.upsert_dealer(SEED)
        again = await repo.upsert_dealer(replace(SEED, assistant_name="Ana María"))
        assert again.id == first.id
        assert [d.assistant_name for d in await repo.dealers()] == ["Ana María"]


async def test_enum_columns_store_the_values(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.upsert_dealer(SEED)
        await repo.upsert_vehicles(dealer.id, [FIRST])
        await db.commit()
        row = (
            await db.execute(text("SELECT body_type, fuel, transmission, status FROM vehicles"))
        ).one()
        vehicle = await db.scalar(select(Vehicle))
    # The same strings as before the columns were typed: no migration, readable SQL.
    assert tuple(row) == ("SUV", "Diesel", "Automatic", "Available")
    assert vehicle is not None and vehicle.body_type is BodyType.SUV


async def test_cards_carry_every_card_field(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.upsert_dealer(SEED)
        await repo.upsert_vehicles(dealer.id, [FIRST])
        [card] = await repo.search(dealer.id, VehicleQuery(makes=frozenset({FIRST.make})), 5)
        assert await repo.all_models() == frozenset({FIRST.model})
    shared = [f.name for f in fields(VehicleCard) if f.name != "id"]
    assert {name: getattr(card, name) for name in shared} == {
        name: getattr(FIRST, name) for name in shared
    }
    assert card.id and card.title == FIRST.title

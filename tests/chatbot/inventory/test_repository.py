"""Inventory queries on a migrated database: upserts, enum columns, cards, every filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import (
    BodyType,
    Color,
    Currency,
    Drivetrain,
    Fuel,
    Sort,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleRecord,
    VehicleStatus,
)
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.models import Vehicle
from okla.chatbot.text.vocabulary import OFF_ROAD, color_of

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


# Searching the demo stock: every field of the query, on SQLite and PostgreSQL


def meets(record: VehicleRecord, query: VehicleQuery) -> bool:
    """Tell whether an available demo vehicle meets the query (the reference for the SQL)."""
    excluded_makes = {make.lower() for make in query.exclude_makes}
    excluded_models = {model.lower() for model in query.exclude_models}
    return (
        record.status is VehicleStatus.AVAILABLE
        and (not query.makes or record.make in query.makes)
        and (not query.models or record.model in query.models)
        and record.make.lower() not in excluded_makes
        and record.model.lower() not in excluded_models
        and (not query.body_types or record.body_type in query.body_types)
        and (not query.fuels or record.fuel in query.fuels)
        and (not query.transmissions or record.transmission in query.transmissions)
        and (not query.drivetrains or record.drivetrain in query.drivetrains)
        and (not query.colors or color_of(record.color) in query.colors)
        and (query.mileage_max is None or record.mileage_km <= query.mileage_max)
        and (query.seats_min is None or (record.seats or 0) >= query.seats_min)
        and (query.year_min is None or record.year >= query.year_min)
        and (query.year_max is None or record.year <= query.year_max)
        and (query.price_min is None or record.price >= query.price_min)
        and (query.price_max is None or record.price <= query.price_max)
    )


Q = VehicleQuery
SUV = frozenset({BodyType.SUV})
FILTERS: dict[str, VehicleQuery] = {
    "make": Q(makes=frozenset({"Toyota"})),
    "model": Q(makes=frozenset({"Hyundai"}), models=frozenset({"Tucson"})),
    "not a make, in any case": Q(body_types=SUV, exclude_makes=frozenset({"toyota", "HYUNDAI"})),
    "not a model": Q(makes=frozenset({"Toyota"}), exclude_models=frozenset({"RAV4", "Corolla"})),
    "body": Q(body_types=frozenset({BodyType.PICKUP, BodyType.VAN})),
    "fuel": Q(fuels=frozenset({Fuel.LPG, Fuel.HYBRID})),
    "transmission": Q(transmissions=frozenset({Transmission.MANUAL})),
    "4x4 accepts AWD": Q(drivetrains=OFF_ROAD),
    "front-wheel drive": Q(body_types=SUV, drivetrains=frozenset({Drivetrain.FWD})),
    "white, pearl white included": Q(colors=frozenset({Color.WHITE})),
    "black, sapphire black included": Q(body_types=SUV, colors=frozenset({Color.BLACK})),
    "red or blue": Q(colors=frozenset({Color.RED, Color.BLUE})),
    "mileage": Q(mileage_max=20_000),
    "seats": Q(seats_min=7),
    "years": Q(year_min=2021, year_max=2022),
    "prices": Q(price_min=1_000_000, price_max=2_000_000),
    "everything at once": Q(
        body_types=SUV,
        drivetrains=OFF_ROAD,
        colors=frozenset({Color.WHITE}),
        exclude_makes=frozenset({"Toyota"}),
        mileage_max=40_000,
        seats_min=7,
        year_min=2021,
        price_max=4_000_000,
        transmissions=frozenset({Transmission.AUTOMATIC}),
    ),
}


async def dealer_id(sessions: async_sessionmaker[AsyncSession], slug: str = SEED.slug) -> str:
    async with sessions() as db:
        dealer = await InventoryRepository(db).dealer(slug)
    assert dealer is not None
    return dealer.id


@pytest.mark.parametrize("query", FILTERS.values(), ids=FILTERS.keys())
async def test_search_meets_every_field_of_the_query(
    demo_stock: async_sessionmaker[AsyncSession], query: VehicleQuery
) -> None:
    dealer = await dealer_id(demo_stock)
    async with demo_stock() as db:
        found = await InventoryRepository(db).matching(dealer, query)
    expected = {r.title for r in STOCK if meets(r, query)}
    assert expected, "each filter picks some of the demo stock"
    assert {card.title for card in found} == expected
    assert len(expected) < sum(r.status is VehicleStatus.AVAILABLE for r in STOCK)


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("price_asc", lambda c: c.price),
        ("price_desc", lambda c: -c.price),
        ("newest", lambda c: -c.year),
        ("mileage_asc", lambda c: c.mileage_km),
    ],
)
async def test_sorts(
    demo_stock: async_sessionmaker[AsyncSession],
    sort: Sort,
    key: Callable[[VehicleCard], int],
) -> None:
    dealer = await dealer_id(demo_stock)
    async with demo_stock() as db:
        found = await InventoryRepository(db).search(dealer, Q(body_types=SUV, sort=sort), 20)
    assert len(found) > 5
    assert [key(c) for c in found] == sorted(key(c) for c in found)


async def test_the_lowest_mileage_first(demo_stock: async_sessionmaker[AsyncSession]) -> None:
    dealer = await dealer_id(demo_stock)
    query = Q(body_types=SUV, makes=frozenset({"Toyota", "Mazda", "Hyundai"}), sort="mileage_asc")
    async with demo_stock() as db:
        found = await InventoryRepository(db).search(dealer, query, 3)
    assert [c.model for c in found] == ["CX-5", "Land Cruiser Prado", "Santa Fe"]


async def test_vehicles_already_shown_are_left_out(
    demo_stock: async_sessionmaker[AsyncSession],
) -> None:
    dealer = await dealer_id(demo_stock)
    query = Q(body_types=SUV)
    async with demo_stock() as db:
        repo = InventoryRepository(db)
        every = await repo.matching(dealer, query)
        first = await repo.search(dealer, query, 3)
        rest = await repo.search(dealer, query, 20, exclude_ids=frozenset(c.id for c in first))
        nothing_new = await repo.search(dealer, Q(), 50, exclude_ids=frozenset(c.id for c in every))
    assert first == every[:3]
    assert rest == every[3:]
    assert all(c.body_type is not BodyType.SUV for c in nothing_new)


async def test_a_vehicle_without_a_drivetrain_is_not_one_asked_for(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.upsert_dealer(SEED)
        await repo.upsert_vehicles(
            dealer.id,
            [
                replace(FIRST, stock_number="A", model="Unknown drive", drivetrain=None),
                replace(
                    FIRST, stock_number="B", model="Known 4x4", drivetrain=Drivetrain.FOUR_BY_FOUR
                ),
            ],
        )
        found = await repo.matching(dealer.id, Q(drivetrains=OFF_ROAD))
        anything = await repo.matching(dealer.id, Q())
    assert [c.model for c in found] == ["Known 4x4"]
    assert len(anything) == 2


async def test_a_vehicle_priced_in_dollars_is_compared_in_pesos(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.upsert_dealer(SEED)
        await repo.upsert_vehicles(
            dealer.id,
            [
                replace(
                    FIRST, stock_number="A", model="In dollars", price=45_000, currency="USD"
                ),  # RD$2,655,000
                replace(FIRST, stock_number="B", model="In pesos", price=2_700_000),
                replace(FIRST, stock_number="C", model="Cheap", price=1_000_000),
            ],
        )

        async def models(query: VehicleQuery) -> list[str]:
            found = await repo.matching(dealer.id, query, usd_to_dop=59.0)
            return [c.model for c in found]

        assert await models(Q(price_max=2_000_000)) == ["Cheap"]
        assert await models(Q(price_min=2_600_000, price_max=2_680_000)) == ["In dollars"]
        assert await models(Q(sort="price_asc")) == ["Cheap", "In dollars", "In pesos"]
        # A budget in dollars is read in pesos at the same rate.
        usd = Q(price_max=45_500, price_currency=Currency.USD)
        assert await models(usd) == ["Cheap", "In dollars"]
        with pytest.raises(ValueError, match="usd_to_dop"):
            await repo.matching(dealer.id, usd)

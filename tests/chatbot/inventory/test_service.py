"""Loading stock and listing dealers, each in its own transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.dealers.repository import profile_of
from okla.chatbot.errors import NotFoundError
from okla.chatbot.inventory.demo import DEMO_DEALERS, demo_profiles
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.service import import_rows, list_dealers, load_demo


async def test_load_demo_creates_then_refreshes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    sizes = {seed.slug: len(records) for seed, records in DEMO_DEALERS}
    assert await load_demo(sessions) == {slug: (n, 0) for slug, n in sizes.items()}
    assert await load_demo(sessions) == {slug: (0, n) for slug, n in sizes.items()}


async def test_dealers_by_name(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await list_dealers(sessions) == []
    await load_demo(sessions)
    listed = await list_dealers(sessions)
    assert [d.name for d in listed] == sorted(seed.name for seed, _ in DEMO_DEALERS)
    assert {(d.slug, d.assistant_name) for d in listed} == {
        (seed.slug, seed.assistant_name) for seed, _ in DEMO_DEALERS
    }


async def test_import_rows_into_an_unknown_dealer(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await load_demo(sessions)
    seed, records = DEMO_DEALERS[1]
    assert await import_rows(sessions, seed.slug, records[:2]) == (0, 2)
    with pytest.raises(NotFoundError, match="auto-dominicana-premium"):
        await import_rows(sessions, "nobody", records[:1])


async def test_load_demo_fills_in_the_profile_of_dealers_already_there(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A database from before the profiles: the demo dealers, with no address and no hours.
    async with sessions() as db:
        for seed, _ in DEMO_DEALERS:
            await InventoryRepository(db).upsert_dealer(seed)
        await db.commit()
    async with sessions() as db:
        dealer = await InventoryRepository(db).dealer("motores-del-cibao")
        assert dealer is not None
        assert not profile_of(dealer).has_hours and dealer.address is None

    await load_demo(sessions, date(2026, 11, 30))
    async with sessions() as db:
        dealer = await InventoryRepository(db).dealer("motores-del-cibao")
        assert dealer is not None
        profile = profile_of(dealer)
    assert profile == demo_profiles(date(2026, 11, 30))["motores-del-cibao"]
    assert profile.address == "Av. Estrella Sadhalá 112, Los Jardines Metropolitanos"
    assert profile.closure_on(date(2026, 12, 25)) is not None

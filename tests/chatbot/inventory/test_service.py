"""Loading stock and listing dealers, each in its own transaction."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.errors import NotFoundError
from okla.chatbot.inventory.demo import DEMO_DEALERS
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

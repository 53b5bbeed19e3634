"""Inventory fixtures: a fresh, migrated database per test, or one with the demo stock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.inventory.service import load_demo
from tests.utils.services import fresh_postgres


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Yield sessions on an empty database built by the migrations, as the service builds it."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inventory.db'}")
    await migrate(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)],
)
def stock_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Yield the URL of an empty database: SQLite, and the real PostgreSQL (integration)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('stock') / 'inventory.db'}"
        return
    with fresh_postgres() as url:
        yield url


@pytest.fixture(scope="module")
async def demo_stock(stock_database: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Yield sessions on a migrated database holding the demo dealers and their stock.

    Shared by a module's tests: they only read it.
    """
    engine = create_engine(stock_database)
    await migrate(engine)
    sessions = session_factory(engine)
    await load_demo(sessions)
    yield sessions
    await engine.dispose()

"""Outbox fixtures: a fresh database with the demo dealers per test, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.utils.desk import database_url, demo_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def outbox_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database of its own: SQLite, and PostgreSQL (integration)."""
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def desk(outbox_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Yield sessions on a migrated database with the demo dealers."""
    async with demo_database(outbox_url) as sessions:
        yield sessions

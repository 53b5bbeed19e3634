"""Leads fixtures: the demo dealers on SQLite and on the real PostgreSQL (integration)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.utils.desk import database_url, demo_database


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)],
)
def desk_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Yield the URL of an empty database: SQLite, and the real PostgreSQL (integration)."""
    with database_url(request.param, tmp_path_factory.mktemp("leads")) as url:
        yield url


@pytest.fixture(scope="module")
async def desk(desk_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Yield sessions on a migrated database with the demo dealers, shared by a module."""
    async with demo_database(desk_url) as sessions:
        yield sessions

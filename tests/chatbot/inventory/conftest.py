"""Inventory fixtures: a fresh, migrated SQLite database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.db import create_engine, migrate, session_factory


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Yield sessions on an empty database built by the migrations, as the service builds it."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inventory.db'}")
    await migrate(engine)
    yield session_factory(engine)
    await engine.dispose()

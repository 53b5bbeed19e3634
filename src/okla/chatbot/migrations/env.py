"""Alembic environment: runs on a connection handed over by okla.chatbot.db.migrate."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from okla.chatbot.models import Base
from okla.chatbot.settings import ChatbotSettings

target_metadata = Base.metadata


def run(connection: Connection) -> None:
    """Run the migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone() -> None:
    """Run from the alembic CLI, on DATABASE_URL."""
    from okla.chatbot.db import create_engine

    engine = create_engine(ChatbotSettings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    asyncio.run(run_standalone())

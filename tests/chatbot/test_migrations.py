"""Migrations keep what is stored: the saved search becomes the dialogue's active search."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from okla.chatbot.db import alembic_config, create_engine, migrate
from okla.chatbot.models import Base
from tests.utils.services import fresh_postgres

pytestmark = pytest.mark.integration

SEARCH = {"makes": ["Toyota"], "bodyTypes": ["SUV"], "priceMax": 3000000, "sort": "price_asc"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    else:
        with fresh_postgres() as url:
            yield url


async def test_the_saved_search_becomes_the_dialogue(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine, "0001")
        async with engine.begin() as db:
            await db.execute(
                text(
                    "INSERT INTO dealers (id, slug, name, assistant_name, created_at) "
                    "VALUES ('d1', 'dealer', 'Dealer', 'Ana', CURRENT_TIMESTAMP)"
                )
            )
            await db.execute(
                text(
                    "INSERT INTO chat_sessions (id, token_hash, dealer_id, session_type, "
                    "status, metadata, last_query, created_at, last_activity_at, expires_at) "
                    "VALUES ('s1', 'h1', 'd1', 'WebChat', 'Active', '{}', :query, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
                    "('s2', 'h2', 'd1', 'WebChat', 'Active', '{}', NULL, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"query": json.dumps(SEARCH)},
            )
        await migrate(engine)
        async with engine.connect() as db:
            found = await db.execute(text("SELECT id, dialogue FROM chat_sessions"))
            rows: dict[str, object] = {str(i): d for i, d in found.all()}
            columns = (await db.execute(text("SELECT drivetrain FROM vehicles"))).all()
        assert columns == []
        moved = rows["s1"]
        moved = json.loads(moved) if isinstance(moved, str) else moved
        assert moved == {"search": SEARCH, "shown": [], "focus": None}
        assert rows["s2"] is None
    finally:
        await engine.dispose()


async def test_migrating_keeps_every_message_and_fills_the_new_profile(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine, "0001")
        async with engine.begin() as db:
            await db.execute(
                text(
                    "INSERT INTO dealers (id, slug, name, assistant_name, created_at) "
                    "VALUES ('d1', 'dealer', 'Dealer', 'Ana', CURRENT_TIMESTAMP)"
                )
            )
            await db.execute(
                text(
                    "INSERT INTO chat_sessions (id, token_hash, dealer_id, session_type, "
                    "status, metadata, created_at, last_activity_at, expires_at) "
                    "VALUES ('s1', 'h1', 'd1', 'WebChat', 'Active', '{}', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            await db.execute(
                text(
                    "INSERT INTO chat_messages (id, session_id, seq, role, content, vehicles, "
                    "details, incomplete, created_at) VALUES ('m1', 's1', 1, 'user', 'hola', "
                    "'[]', '{}', false, CURRENT_TIMESTAMP)"
                )
            )
        # Every later migration rebuilds tables on SQLite: none may take child rows with it.
        await migrate(engine)
        async with engine.connect() as db:
            messages = (await db.execute(text("SELECT id FROM chat_messages"))).all()
            sessions = (await db.execute(text("SELECT id FROM chat_sessions"))).all()
            dealer = (
                await db.execute(text("SELECT timezone, slot_minutes, slot_capacity FROM dealers"))
            ).one()
            foreign_keys = (
                (await db.execute(text("PRAGMA foreign_keys"))).scalar()
                if engine.dialect.name == "sqlite"
                else 1
            )
        assert [m[0] for m in messages] == ["m1"]
        assert [s[0] for s in sessions] == ["s1"]
        assert tuple(dealer) == ("America/Santo_Domingo", 60, 2)
        assert foreign_keys == 1
    finally:
        await engine.dispose()


async def test_the_migrations_build_the_models_schema(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as db:
            drift = await db.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
        assert drift == []
    finally:
        await engine.dispose()


async def test_sessions_waiting_for_a_person_keep_waiting_after_the_advisors_migration(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine, "0003")
        async with engine.begin() as db:
            await db.execute(
                text(
                    "INSERT INTO dealers (id, slug, name, assistant_name, created_at) "
                    "VALUES ('d1', 'dealer', 'Dealer', 'Ana', CURRENT_TIMESTAMP)"
                )
            )
            for session_id, status in (
                ("s1", "PendingTransfer"),
                ("s2", "Active"),
                ("s3", "Ended"),
            ):
                await db.execute(
                    text(
                        "INSERT INTO chat_sessions (id, token_hash, dealer_id, session_type, "
                        "status, metadata, created_at, last_activity_at, expires_at) "
                        "VALUES (:id, :id, 'd1', 'WebChat', :status, '{}', "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"id": session_id, "status": status},
                )
            await db.execute(
                text(
                    "INSERT INTO transfers (id, session_id, reason, status, created_at) "
                    "VALUES ('t1', 's1', 'negociar', 'Accepted', CURRENT_TIMESTAMP)"
                )
            )
        await migrate(engine)
        async with engine.connect() as db:
            found = await db.execute(
                text("SELECT id, status, handoff, claimed_by FROM chat_sessions ORDER BY id")
            )
            sessions = [tuple(row) for row in found.all()]
            transfers = (await db.execute(text("SELECT id, reason FROM transfers"))).all()
        assert sessions == [
            ("s1", "Active", "WaitingForAgent", None),
            ("s2", "Active", "Bot", None),
            ("s3", "Ended", "Bot", None),
        ]
        assert [tuple(t) for t in transfers] == [("t1", "negociar")]

        def downgrade(connection: Connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")

        async with engine.connect() as connection:
            async with connection.begin():
                await connection.run_sync(downgrade)
        async with engine.connect() as db:
            found = await db.execute(text("SELECT id, status FROM chat_sessions ORDER BY id"))
            assert [tuple(r) for r in found.all()] == [
                ("s1", "PendingTransfer"), ("s2", "Active"), ("s3", "Ended"),
            ]  # fmt: skip
    finally:
        await engine.dispose()

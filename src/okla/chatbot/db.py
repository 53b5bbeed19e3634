"""The database engine and migrations (created in the app's lifespan, not at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.pool import StaticPool

from okla.common.files import private_dir, private_file
from okla.process import default_run_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostgreSQL advisory lock held while migrating ("oklamigr"): replicas starting together (or
# Kubernetes init containers) migrate one at a time; the others then find the schema current.
MIGRATION_LOCK = 0x6F6B6C616D696772


def in_memory(url: str) -> bool:
    """Tell whether a database URL names an in-memory SQLite database (one shared connection)."""
    return url.startswith("sqlite") and url.partition("///")[2] in ("", ":memory:")


def create_engine(url: str, *, connect_timeout: float = 2.0) -> AsyncEngine:
    """Create the async engine for a database URL, tuned per backend."""
    if url.startswith("sqlite"):
        path = url.partition("///")[2]
        if in_memory(url):
            # One connection for every session, or each would see its own empty database.
            engine = create_async_engine(url, poolclass=StaticPool, hide_parameters=True)
        else:
            # Transcripts are customers' data: the file (and SQLite's journal and WAL files,
            # which take its mode) is its owner's alone.
            # A folder of the user's choosing is theirs to set; okla's own run folder is 0700.
            folder = Path(path).parent
            private_dir(folder, tighten=folder.resolve() == default_run_dir().resolve())
            private_file(Path(path))
            engine = create_async_engine(url, connect_args={"timeout": 15}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers work while a message is being written.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

        return engine
    return create_async_engine(
        url,
        # A database error's text must not carry the statement's values (messages, phones)
        # into the logs.
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=connect_timeout,
        # A stopped database must answer 503 quickly, not hang the request.
        connect_args={"timeout": connect_timeout, "command_timeout": 10},
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return the session factory bound to the engine."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Return an Alembic configuration that finds the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to a migration (the newest unless told)."""
    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys
            # on, that drop would cascade and delete every child row (the messages of each
            # session). The pragma only takes effect outside a transaction.
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            async with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Released when this transaction ends, whatever happens to the process.
                    await connection.exec_driver_sql(
                        f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"
                    )
                await connection.run_sync(_upgrade, revision)
        finally:
            if sqlite:
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()

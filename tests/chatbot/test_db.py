"""Migrations under a lock: replicas that start together migrate one at a time."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from sqlalchemy import text

from okla.chatbot.db import alembic_config, create_engine
from tests.utils.services import fresh_postgres

pytestmark = pytest.mark.integration


def _head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def _version(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as db:
            rows = await db.execute(text("SELECT version_num FROM alembic_version"))
            return [str(version) for (version,) in rows]
    finally:
        await engine.dispose()


def test_replicas_migrating_one_database_at_once_all_succeed() -> None:
    # Four processes, as four chatbot pods' init containers would: without the advisory lock
    # most of them fail on "duplicate key value violates unique constraint pg_type_...".
    with fresh_postgres() as url:
        command = [sys.executable, "-m", "okla", "chat", "migrate", "--database-url", url]
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(4)
        ]
        outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
        assert all("database schema is up to date" in out for out in outputs)
        assert asyncio.run(_version(url)) == [_head()]

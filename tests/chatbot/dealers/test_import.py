"""`okla chat import-dealers`: a file creates or updates dealers, all of them or none."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.dealers import service as dealer_service
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.importer import parse_dealers
from okla.chatbot.dealers.repository import DealerRepository, apply_profile, profile_of
from okla.chatbot.dealers.service import DealerService, Imported
from okla.chatbot.inventory.service import load_demo
from okla.chatbot.models import Dealer
from okla.chatbot.settings import normalize_database_url
from tests.utils.services import fresh_postgres

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "dealers.example.yaml"
SECRET = "whsec-0123456789abcdef-not-to-be-printed"
UPDATE_DEMO = f"""
dealers:
  - slug: motores-del-cibao
    name: Motores del Cibao
    assistantName: Carla
    address: Calle del Sol 10
    city: Santiago de los Caballeros
    hours:
      sat: [{{opens: "08:00", closes: "12:00"}}]
    webhookUrl: https://crm.example/hook
    webhookSecret: {SECRET}
  - slug: nuevo-dealer
    name: Nuevo Dealer
    assistantName: Rosa
"""


def okla(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okla", "chat", *args], capture_output=True, text=True, timeout=120
    )


def read(url: str, slug: str) -> Dealer | None:
    async def run() -> Dealer | None:
        engine = create_engine(normalize_database_url(url))
        async with session_factory(engine)() as db:
            found = await DealerRepository(db).by_slug(slug)
        await engine.dispose()
        return found

    return asyncio.run(run())


def test_the_example_file_imports_and_imports_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dealers.db'}"
    first = okla("import-dealers", str(EXAMPLE), "--database-url", url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == ["autos-del-este: created", "motores-bavaro: created"]
    again = okla("import-dealers", str(EXAMPLE), "--database-url", url)
    assert again.stdout.splitlines() == ["autos-del-este: updated", "motores-bavaro: updated"]
    dealer = read(url, "autos-del-este")
    assert dealer is not None and dealer.assistant_name == "Sofía"
    assert profile_of(dealer).address == "Av. Libertad 27, esquina calle Duarte"
    assert dealer.webhook_url == "https://crm.autosdeleste.example/okla/webhook"


def test_a_bad_file_changes_nothing_and_no_secret_is_printed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dealers.db'}"
    assert okla("load-demo", "--database-url", url).returncode == 0
    before = read(url, "motores-del-cibao")
    assert before is not None
    bad = UPDATE_DEMO + '    hours:\n      sun: [{opens: "10:00", closes: "09:00"}]\n'
    path = tmp_path / "dealers.yaml"
    path.write_text(bad)
    result = okla("import-dealers", str(path), "--database-url", url)
    assert result.returncode == 1
    assert "nothing was imported" in result.stderr
    assert "dealers[1].hours.sun[0].closes: closes (09:00) must be after opens" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    after = read(url, "motores-del-cibao")
    assert after is not None and after.assistant_name == before.assistant_name == "Carlos"
    assert after.address == before.address and after.webhook_secret is None
    assert read(url, "nuevo-dealer") is None

    path.write_text(UPDATE_DEMO)
    good = okla("import-dealers", str(path), "--database-url", url)
    assert good.returncode == 0, good.stderr
    assert SECRET not in good.stdout + good.stderr
    assert good.stdout.splitlines() == ["motores-del-cibao: updated", "nuevo-dealer: created"]
    updated = read(url, "motores-del-cibao")
    assert updated is not None and updated.assistant_name == "Carla"
    assert updated.webhook_secret == SECRET
    assert profile_of(updated).policies.warranty is None  # the profile was replaced whole


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty SQLite database, and a fresh PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'dealers.db'}"
        return
    with fresh_postgres() as url:
        yield url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on that database, with the demo dealers."""
    engine = create_engine(database_url)
    await migrate(engine)
    made = session_factory(engine)
    await load_demo(made)
    yield made
    await engine.dispose()


async def count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(Dealer)) or 0)


async def test_the_import_is_one_transaction(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = parse_dealers(UPDATE_DEMO)
    real = apply_profile
    applied: list[str] = []

    def fails_on_the_second(dealer: Dealer, profile: DealerProfile) -> None:
        applied.append(dealer.slug)
        if len(applied) == 2:
            raise RuntimeError("the database went away")
        real(dealer, profile)

    monkeypatch.setattr(dealer_service, "apply_profile", fails_on_the_second)  # the one it calls
    with pytest.raises(RuntimeError):
        await DealerService(sessions).import_dealers(entries)
    assert await count(sessions) == 2
    async with sessions() as db:
        cibao = await DealerRepository(db).by_slug("motores-del-cibao")
        assert cibao is not None and cibao.assistant_name == "Carlos" and cibao.webhook_url is None

    monkeypatch.setattr(dealer_service, "apply_profile", real)
    done = await DealerService(sessions).import_dealers(entries)
    assert done == {"motores-del-cibao": Imported.UPDATED, "nuevo-dealer": Imported.CREATED}
    assert await count(sessions) == 3

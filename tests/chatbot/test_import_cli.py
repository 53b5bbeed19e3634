"""`okla chat import-inventory`: bad rows by line number, nothing loaded half-way."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.importer import write_inventory_csv
from okla.chatbot.models import Dealer, Vehicle
from okla.chatbot.settings import normalize_database_url

pytestmark = pytest.mark.integration


def okla(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okla", "chat", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def count(url: str, slug: str) -> int:
    async def run() -> int:
        engine = create_engine(normalize_database_url(url))
        async with session_factory(engine)() as db:
            dealer = await db.scalar(select(Dealer).where(Dealer.slug == slug))
            assert dealer is not None
            total = await db.scalar(
                select(func.count()).select_from(Vehicle).where(Vehicle.dealer_id == dealer.id)
            )
        await engine.dispose()
        return int(total or 0)

    return asyncio.run(run())


def test_import_reports_bad_rows_and_loads_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    assert okla("load-demo", "--database-url", url).returncode == 0
    slug = "motores-del-cibao"
    before = count(url, slug)

    good = write_inventory_csv(DEMO_DEALERS[0][1][:3]).splitlines()
    rows = [good[0], good[1], "BAD-1,Kia,Rio,19x4,,800000,DOP,Sedan,0,Gasoline,Automatic,,,,,,,"]
    rows += [good[3], "NEW-1,Toyota,Yaris,2022,,abc,DOP,Sedan,1000,Gasoline,Automatic,,,,,,,"]
    path = tmp_path / "stock.csv"
    path.write_text("\n".join(rows) + "\n")
    result = okla("import-inventory", str(path), "--dealer", slug, "--database-url", url)
    assert result.returncode == 1
    assert "nothing was loaded" in result.stderr
    assert "line 3" in result.stderr and "year" in result.stderr
    assert "line 5" in result.stderr and "price" in result.stderr
    assert count(url, slug) == before

    fixed = "\n".join([*good, "NEW-1,Toyota,Yaris,2022,,900000,DOP,Sedan,1000,Gasoline,"
                       "Automatic,,,,,,,"]) + "\n"  # fmt: skip
    path.write_text(fixed)
    result = okla("import-inventory", str(path), "--dealer", slug, "--database-url", url)
    assert result.returncode == 0, result.stderr
    assert "4 vehicles created" in result.stdout
    assert count(url, slug) == before + 4
    again = okla("import-inventory", str(path), "--dealer", slug, "--database-url", url)
    assert "0 vehicles created, 4 updated" in again.stdout
    assert count(url, slug) == before + 4


def test_import_into_an_unknown_dealer_fails_cleanly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    path = tmp_path / "stock.csv"
    path.write_text(write_inventory_csv(DEMO_DEALERS[0][1][:1]))
    result = okla("import-inventory", str(path), "--dealer", "nadie", "--database-url", url)
    assert result.returncode == 1
    assert "Unknown dealer 'nadie'" in result.stderr

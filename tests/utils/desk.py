"""The dealer's desk in tests: databases on both backends, a webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.inventory.service import load_demo
from okla.chatbot.models import Dealer
from tests.utils.services import fresh_postgres

ADP = "auto-dominicana-premium"
MDC = "motores-del-cibao"


@contextmanager
def database_url(kind: str, tmp: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp / 'desk.db'}"
        return
    with fresh_postgres() as url:
        yield url


@asynccontextmanager
async def demo_database(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Migrate a database, load the demo dealers (once), and yield its sessions."""
    engine = create_engine(url)
    await migrate(engine)
    sessions = session_factory(engine)
    await load_demo(sessions)
    try:
        yield sessions
    finally:
        await engine.dispose()


async def set_webhook(
    sessions: async_sessionmaker[AsyncSession], slug: str, url: str | None, secret: str | None
) -> None:
    """Point a dealer's webhook somewhere (or nowhere)."""
    async with sessions() as db:
        await db.execute(
            update(Dealer).where(Dealer.slug == slug).values(webhook_url=url, webhook_secret=secret)
        )
        await db.commit()


async def dealer_id(sessions: async_sessionmaker[AsyncSession], slug: str) -> str:
    """Return a dealer's id by slug."""
    async with sessions() as db:
        found = await db.scalar(select(Dealer.id).where(Dealer.slug == slug))
    assert found is not None
    return found


@dataclass(frozen=True)
class Receipt:
    """One POST the receiver got, and the status it answered."""

    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def delivery(self) -> str:
        return self.headers["x-okla-delivery"]

    def json(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.body)
        return found


@dataclass
class WebhookReceiver:
    """A dealer's webhook: verifies nothing itself, fails its first `fail_first` calls."""

    fail_first: int = 0
    failure: int = 500
    receipts: list[Receipt] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> FastAPI:
        """Build the receiver's app (POST /hook)."""
        app = FastAPI()

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            body = await request.body()
            with self._lock:
                status = self.failure if len(self.receipts) < self.fail_first else 200
                self.receipts.append(Receipt(dict(request.headers), body, status))
            return Response(status_code=status)

        return app

    def delivered(self) -> Counter[str]:
        """Count the successful receipts of each event (by X-Okla-Delivery)."""
        with self._lock:
            return Counter(r.delivery for r in self.receipts if 200 <= r.status < 300)


def verify_signature(receipt: Receipt, secret: str) -> bool:
    """Check X-Okla-Signature the way a receiver should (constant-time compare)."""
    expected = "sha256=" + hmac.new(secret.encode(), receipt.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, receipt.headers["x-okla-signature"])

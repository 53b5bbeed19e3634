"""The outbox in the running service: its worker in the lifespan, its staff routes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from okla.chatbot.auth import Role
from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.models import OutboxEvent
from okla.chatbot.outbox.domain import DeliveryState
from tests.utils.chat import ChatClient, chat_settings, serve_chatbot
from tests.utils.desk import (
    ADP,
    MDC,
    WebhookReceiver,
    database_url,
    set_webhook,
    verify_signature,
)
from tests.utils.servers import serve
from tests.utils.staff import StaffLogins

SECRET = "whsec-" + "e" * 32
OUTBOX = "/api/chatbot/outbox"


async def _configure(url: str, hook: str | None, dead: bool = False) -> None:
    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        await set_webhook(sessions, ADP, hook, SECRET)
        if dead:
            async with sessions() as db:
                await db.execute(update(OutboxEvent).values(state=DeliveryState.DEAD))
                await db.commit()
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Served:
    """A chatbot whose outbox worker runs: its base URL, its database URL, its staff."""

    base: str
    url: str
    logins: StaffLogins

    def bearer(self, role: Role = Role.MANAGER, dealer: str | None = ADP) -> dict[str, str]:
        """Return the headers of a signed-in staff member (a manager of ADP unless told)."""
        return self.logins(role, dealer)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """Yield a chatbot whose outbox worker runs."""
    with database_url(request.param, tmp_path) as url:
        settings = chat_settings(
            tmp_path,
            "http://127.0.0.1:9/v1",
            url,
            answer_mode="template",
            outbox_poll_seconds=0.05,
            outbox_backoff_seconds=0.05,
        )
        with serve_chatbot(settings) as base:
            yield Served(base, url, StaffLogins(settings))


def wait_for(check: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_lead_from_the_chat_reaches_the_dealer_s_webhook(served: Served) -> None:
    base, url, bearer = served.base, served.url, served.bearer
    hook = WebhookReceiver(fail_first=1)
    with serve(hook.app()) as receiver:
        asyncio.run(_configure(url, f"{receiver}/hook"))
        customer = ChatClient(base)
        token = customer.start()
        assert (
            "tu nombre y tu teléfono" in customer.say(token, "llámame").json()["reply"]["content"]
        )
        customer.say(token, "Ana Pérez 809-555-1234")
        wait_for(lambda: len(hook.delivered()) == 1)
    [receipt] = [r for r in hook.receipts if r.status == 200]
    assert verify_signature(receipt, SECRET)
    lead = receipt.json()["data"]["lead"]
    assert (lead["name"], lead["phone"], lead["interest"]) == (
        "Ana Pérez",
        "+18095551234",
        "Callback",
    )
    listed = httpx.get(f"{base}{OUTBOX}", headers=bearer()).json()
    assert [(e["state"], e["attempts"]) for e in listed] == [("Delivered", 2)]
    # A delivered event is not sent again.
    again = httpx.post(f"{base}{OUTBOX}/{listed[0]['id']}/retry", json={}, headers=bearer())
    assert again.status_code == 409 and "Delivered" in again.json()["error"]["message"]


def test_dead_events_are_listed_scoped_and_retried(served: Served) -> None:
    base, url, bearer = served.base, served.url, served.bearer
    customer = ChatClient(base)
    token = customer.start()
    customer.say(token, "llámame")
    customer.say(token, "Ana Pérez 809-555-1234")
    # No webhook: the worker skips it; make it Dead as if every try had failed.
    wait_for(lambda: httpx.get(f"{base}{OUTBOX}", headers=bearer()).json()[0]["state"] != "Pending")
    asyncio.run(_configure(url, None, dead=True))
    dead = httpx.get(f"{base}{OUTBOX}", params={"state": "Dead"}, headers=bearer()).json()
    assert len(dead) == 1 and dead[0]["type"] == "lead.created"
    event = dead[0]["id"]
    theirs = httpx.get(
        f"{base}{OUTBOX}", params={"state": "Dead"}, headers=bearer(Role.MANAGER, MDC)
    )
    assert theirs.json() == []
    other = httpx.post(f"{base}{OUTBOX}/{event}/retry", json={}, headers=bearer(Role.MANAGER, MDC))
    assert other.status_code == 404
    agent = httpx.get(f"{base}{OUTBOX}", headers=bearer(Role.AGENT, ADP))
    assert agent.status_code == 403
    retried = httpx.post(f"{base}{OUTBOX}/{event}/retry", json={}, headers=bearer())
    assert retried.status_code == 200 and retried.json()["state"] == "Pending"
    # No webhook still: skipped again, and retried again once there is one.
    wait_for(lambda: httpx.get(f"{base}{OUTBOX}", headers=bearer()).json()[0]["state"] == "Skipped")
    again = httpx.post(f"{base}{OUTBOX}/{event}/retry", json={}, headers=bearer())
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [({"state": "Gone"}, "state"), ({"limit": "0"}, "limit"), ({"dealer": "nadie"}, "dealer")],
)
def test_bad_outbox_queries_are_refused_naming_the_field(
    served: Served, params: dict[str, str], field: str
) -> None:
    base, bearer = served.base, served.bearer
    response = httpx.get(f"{base}{OUTBOX}", params=params, headers=bearer(Role.ADMIN, None))
    assert response.status_code in (404, 422)
    assert response.json()["error"]["field"] == field


def test_an_unknown_event_cannot_be_retried(served: Served) -> None:
    base, bearer = served.base, served.bearer
    missing = httpx.post(f"{base}{OUTBOX}/no-such-event/retry", json={}, headers=bearer())
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "id"

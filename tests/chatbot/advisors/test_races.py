"""Races the database settles, on SQLite and PostgreSQL: claims, transfers, refresh tokens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from okla.chatbot.advisors.schemas import HandoffOut
from okla.chatbot.auth import Caller, Role
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.domain import Handoff
from okla.chatbot.chat.schemas import StartRequest, TransferRequest
from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.errors import ConflictError
from okla.chatbot.inventory.service import load_demo
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.models import Transfer
from okla.chatbot.services import Services, build_services
from okla.chatbot.staff.domain import Grant
from okla.common.errors import UnauthorizedError
from tests.utils.fakes import FakeLlm
from tests.utils.pipeline import unit_settings
from tests.utils.services import fresh_postgres
from tests.utils.staff import ADP, PASSWORD

pytestmark = pytest.mark.integration

CONTENDERS = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'race.db'}"
    else:
        with fresh_postgres() as url:
            yield url


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    settings = unit_settings(database_url=database_url)
    engine = create_engine(database_url)
    await migrate(engine)
    sessions = session_factory(engine)
    await load_demo(sessions)
    coordinator = Coordinator(None)
    try:
        yield build_services(settings, sessions, coordinator, FakeLlm(), CircuitBreaker(3, 60))
    finally:
        await engine.dispose()


async def agents(services: Services, count: int) -> list[Caller]:
    callers = []
    for i in range(count):
        member = await services.staff.add_user(
            ADP, f"agent{i}@example.com", f"Agente {i}", Role.AGENT, PASSWORD
        )
        callers.append(Caller(member.id, Role.AGENT, ADP))
    return callers


async def test_of_advisors_claiming_at_once_exactly_one_wins(services: Services) -> None:
    callers = await agents(services, CONTENDERS)
    started = await services.session.start(StartRequest(dealer_id=ADP), "t")
    await services.session.transfer(TransferRequest(session_token=started.session_token), "t")
    outcomes = await asyncio.gather(
        *(services.advisors.claim(c, started.session_id) for c in callers),
        return_exceptions=True,
    )
    won = [o for o in outcomes if isinstance(o, HandoffOut)]
    lost = [o for o in outcomes if isinstance(o, ConflictError)]
    assert (len(won), len(lost)) == (1, CONTENDERS - 1), outcomes
    winner = won[0].claimed_by
    assert winner is not None and won[0].handoff == Handoff.WITH_AGENT
    queue = await services.advisors.queue(callers[0])
    assert [q.claimed_by.id if q.claimed_by else None for q in queue] == [winner.id]


async def test_requests_for_a_person_at_once_queue_the_session_once(services: Services) -> None:
    started = await services.session.start(StartRequest(dealer_id=ADP), "t")
    request = TransferRequest(session_token=started.session_token)
    await asyncio.gather(*(services.session.transfer(request, "t") for _ in range(CONTENDERS)))
    async with services.sessions() as db:
        count = await db.scalar(select(func.count()).select_from(Transfer))
    assert count == 1


async def test_one_refresh_token_used_at_once_rotates_once(services: Services) -> None:
    await services.staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    grant = await services.staff.login("ana@example.com", PASSWORD, "t")
    outcomes = await asyncio.gather(
        *(services.staff.refresh(grant.refresh_token) for _ in range(4)), return_exceptions=True
    )
    rotated = [o for o in outcomes if isinstance(o, Grant)]
    refused = [o for o in outcomes if isinstance(o, UnauthorizedError)]
    assert (len(rotated), len(refused)) == (1, 3), outcomes

"""The same service on the real PostgreSQL and Redis; Redis outages degrade, not fail."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.processes import free_port
from okla.chatbot.cache import Coordinator
from tests.utils.chat import ChatApi, chat_settings, serve_chat_api
from tests.utils.servers import ScriptedLlm

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pg_api(
    tmp_path_factory: pytest.TempPathFactory,
    scripted: tuple[ScriptedLlm, str],
    postgres_url: str,
    redis_url: str,
) -> Iterator[ChatApi]:
    llm, llm_url = scripted
    settings = chat_settings(
        tmp_path_factory.mktemp("pg"),
        llm_url,
        database_url=postgres_url,
        redis_url=redis_url,
        rate_limit_messages="5/minute",
    )
    with serve_chat_api(settings, llm) as api:
        yield api


def test_conversation_on_postgres(pg_api: ChatApi) -> None:
    token = pg_api.start()
    response = pg_api.say(token, "¿Qué yipetas tienen de menos de 3 millones?")
    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply["vehicles"]
    assert all(c["bodyType"] == "SUV" and c["price"] <= 3_000_000 for c in reply["vehicles"])
    session = httpx.get(f"{pg_api.url}/api/chat/session/{token}").json()
    assert len(session["messages"]) == 3
    health = httpx.get(f"{pg_api.url}/api/chat/health").json()
    assert health["database"] == {"backend": "postgresql+asyncpg", "status": "up"}
    assert health["cache"] == {"status": "up", "backend": "redis"}


async def test_parallel_replays_on_postgres_store_once(pg_api: ChatApi) -> None:
    token = pg_api.start()
    pg_api.llm.delay = 0.05
    key = str(uuid.uuid4())
    calls = pg_api.llm.calls
    responses = await pg_api.say_together(token, "¿Tienen guaguas?", 10, **{"Idempotency-Key": key})
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["messageId"] for r in responses}) == 1
    assert pg_api.llm.calls - calls <= 1
    session = httpx.get(f"{pg_api.url}/api/chat/session/{token}").json()
    assert [m["content"] for m in session["messages"]].count("¿Tienen guaguas?") == 1


async def test_redis_lock_gives_409_to_a_concurrent_message(pg_api: ChatApi) -> None:
    token = pg_api.start()
    pg_api.llm.delay = 0.2
    pg_api.llm.reply = "Tenemos varias opciones de yipetas para ti hoy mismo."
    async with httpx.AsyncClient(base_url=pg_api.url, timeout=60) as client:
        first = asyncio.create_task(
            client.post("/api/chat/message", json={"sessionToken": token, "message": "¿Yipetas?"})
        )
        await asyncio.sleep(0.4)
        second = await client.post(
            "/api/chat/message", json={"sessionToken": token, "message": "¿Carros?"}
        )
        assert second.status_code == 409
        assert (await first).status_code == 200


def test_redis_rate_limit_gives_429_with_retry_after(pg_api: ChatApi) -> None:
    token = pg_api.start()
    statuses = [pg_api.say(token, f"Hola {i}").status_code for i in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    limited = pg_api.say(token, "Hola otra vez")
    assert int(limited.headers["retry-after"]) >= 1


def test_service_keeps_answering_when_redis_is_unreachable(
    tmp_path: Path, scripted: tuple[ScriptedLlm, str]
) -> None:
    llm, llm_url = scripted
    settings = chat_settings(tmp_path, llm_url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with serve_chat_api(settings, llm) as api:
        token = api.start()
        response = api.say(token, "¿Qué yipetas tienen?")
        assert response.status_code == 200
        assert response.json()["reply"]["vehicles"]
        health = httpx.get(f"{api.url}/api/chat/health").json()
        assert health["cache"] == {"status": "down", "backend": "degraded"}
        assert health["status"] == "degraded"


async def test_coordinator_falls_back_and_recovers(redis_url: str) -> None:
    coordinator = Coordinator(f"redis://127.0.0.1:{free_port()}/0", retry_after_seconds=0.1)
    token = await coordinator.acquire("k", 5)
    assert token is not None and coordinator.state == "degraded"
    assert await coordinator.acquire("k", 5) is None, "the in-process lock still holds"
    await coordinator.release("k", token)
    assert await coordinator.acquire("k", 5) is not None
    await coordinator.close()

    healthy = Coordinator(redis_url)
    first = await healthy.acquire("session:x", 5)
    assert first is not None and healthy.state == "redis"
    assert await healthy.acquire("session:x", 5) is None
    await healthy.release("session:x", first)
    assert await healthy.acquire("session:x", 5) is not None
    await healthy.close()


@pytest.mark.parametrize("backend", ["redis", "memory"])
async def test_a_lease_lives_while_its_holder_does(redis_url: str, backend: str) -> None:
    # Two processes sharing Redis, or one process's two users of its in-process locks.
    holder = Coordinator(redis_url if backend == "redis" else None)
    other = Coordinator(redis_url) if backend == "redis" else holder
    key = f"session:{uuid.uuid4()}"
    token = await holder.lease(key, 0.6, 30)
    assert token is not None
    await asyncio.sleep(1.5)  # two and a half leases: renewed all along
    assert await other.acquire(key, 5) is None
    await holder.release(key, token)
    again = await other.acquire(key, 5)
    assert again is not None
    await other.release(key, again)
    if backend == "memory":
        await holder.close()
        return
    # The holder dies (its renewals stop, nothing is released): the lock frees itself.
    dying = await holder.lease(key, 0.6, 30)
    assert dying is not None
    await holder.close()
    assert await other.acquire(key, 5) is None
    await asyncio.sleep(0.8)
    assert await other.acquire(key, 5) is not None
    await other.close()

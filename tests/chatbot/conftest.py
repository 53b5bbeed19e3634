"""Chatbot fixtures: fresh databases, real PostgreSQL and Redis, a served app."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from okla.chatbot.app import create_app
from okla.chatbot.settings import ChatbotSettings
from tests.conftest import free_port
from tests.servers import ScriptedLlm, serve

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "OKLA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("OKLA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def unavailable(what: str, exc: BaseException) -> None:
    """Skip on a machine without the service, but fail in CI, where it must be there."""
    message = f"{what} is not reachable: {exc}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: these tests must run)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Create a fresh PostgreSQL database for this test session; drop it at the end."""
    import asyncpg

    name = f"okla_test_{secrets.token_hex(4)}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        unavailable("PostgreSQL", exc)
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"postgresql+asyncpg://{base.split('://', 1)[1]}/{name}"
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def redis_url() -> str:
    """Return a Redis URL on a database the tests may empty."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        unavailable("Redis", exc)
    finally:
        client.close()
    return REDIS_TEST_URL


@dataclass
class ChatApi:
    """A running chatbot service and its scripted LLM."""

    url: str
    llm: ScriptedLlm
    settings: ChatbotSettings

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def start(self, dealer: str | None = None) -> str:
        body = {"sessionType": "WebChat"} | ({"dealerId": dealer} if dealer else {})
        response = httpx.post(f"{self.url}/api/chat/start", json=body, timeout=30)
        assert response.status_code == 201, response.text
        token: str = response.json()["sessionToken"]
        return token

    def say(self, token: str, text: str, **headers: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}/api/chat/message",
            json={"sessionToken": token, "message": text},
            headers=headers,
            timeout=60,
        )


def chat_settings(
    tmp: Path, llm_url: str, database_url: str | None = None, **overrides: object
) -> ChatbotSettings:
    """Settings for a test service: its own database, the given LLM."""
    values: dict[str, object] = {
        "database_url": database_url or f"sqlite+aiosqlite:///{tmp / 'chat.db'}",
        "redis_url": None,
        "llm_base_url": llm_url,
        "llm_timeout_seconds": 5,
        "breaker_cooldown_seconds": 1,
        "rate_limit_messages": "1000/minute",
        "rate_limit_sessions": "1000/minute",
    }
    values.update(overrides)
    return ChatbotSettings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def scripted() -> Iterator[tuple[ScriptedLlm, str]]:
    """A scripted LLM on a loopback port."""
    llm = ScriptedLlm()
    with serve(llm.app()) as url:
        yield llm, f"{url}/v1"


@pytest.fixture(scope="module")
def chat_api(
    tmp_path_factory: pytest.TempPathFactory, scripted: tuple[ScriptedLlm, str]
) -> Iterator[ChatApi]:
    """The chatbot service on SQLite with the demo data, answering through the scripted LLM."""
    llm, llm_url = scripted
    settings = chat_settings(tmp_path_factory.mktemp("chat"), llm_url)
    with serve(create_app(settings, demo_data=True)) as url:
        yield ChatApi(url, llm, settings)


@pytest.fixture(autouse=True)
def _reset_scripted(request: pytest.FixtureRequest) -> None:
    if "scripted" in request.fixturenames:
        llm: ScriptedLlm = request.getfixturevalue("scripted")[0]
        llm.reply, llm.mode, llm.delay = "Hola.", "reply", 0.0


__all__ = ["ChatApi", "chat_settings", "free_port"]

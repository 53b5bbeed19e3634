"""Chatbot fixtures: fresh databases, real PostgreSQL and Redis, a served app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.processes import ServerProcess
from tests.utils.chat import ChatApi, ChatClient, chat_settings, serve_chat_api, serve_chatbot
from tests.utils.live import RunningClock
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.services import REDIS_TEST_URL, fresh_postgres, unavailable


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Create a fresh PostgreSQL database for this test session; drop it at the end."""
    with fresh_postgres() as url:
        yield url


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
    # A clock at an hour the demo dealers are open: a wait for an advisor isn't handed back to
    # the bot because the tests run at night (README: nobody answers).
    settings = chat_settings(tmp_path_factory.mktemp("chat"), llm_url)
    with serve_chat_api(settings, llm, RunningClock()) as api:
        yield api


@pytest.fixture(scope="module")
def model_chat(
    tmp_path_factory: pytest.TempPathFactory, llm_server: ServerProcess
) -> Iterator[ChatClient]:
    """The chatbot service on SQLite with the demo data, answering through the bundled model."""
    settings = chat_settings(
        tmp_path_factory.mktemp("model"), f"{llm_server.url}/v1", llm_timeout_seconds=60
    )
    with serve_chatbot(settings) as url:
        yield ChatClient(url, reply_timeout=120)


@pytest.fixture(autouse=True)
def _reset_scripted(request: pytest.FixtureRequest) -> None:
    if "scripted" in request.fixturenames:
        llm: ScriptedLlm = request.getfixturevalue("scripted")[0]
        llm.reply, llm.mode, llm.delay = "Hola.", "reply", 0.0

"""The chatbot's defences: bad text is a 422 on every database, an ended session can't be
read, strangers learn up or down, one client can't hold every stream, the files are private."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.requests import Request

from okla.chatbot.app import create_app, value_refused
from okla.chatbot.db import create_engine
from tests.utils.chat import ChatApi, chat_settings, serve_chat_api
from tests.utils.servers import ScriptedLlm

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    scripted: tuple[ScriptedLlm, str],
) -> Iterator[ChatApi]:
    llm, llm_url = scripted
    database = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    settings = chat_settings(tmp_path_factory.mktemp(request.param), llm_url, database_url=database)
    with serve_chat_api(settings, llm) as served:
        yield served


def post(api: ChatApi, path: str, body: str) -> httpx.Response:
    """Post a raw JSON text (NaN and lone surrogates are not what json= would send)."""
    return httpx.post(
        f"{api.url}{path}",
        content=body.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )


def quoted(text: str) -> str:
    return json.dumps(text)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/chat/message", '{"sessionToken": TOKEN, "message": "Hola\\u0000"}', "message"),
        ("/api/chat/message", '{"sessionToken": TOKEN, "message": "Hola \\ud800"}', "message"),
        ("/api/chat/transfer", '{"sessionToken": TOKEN, "reason": "ya\\u0000"}', "reason"),
        ("/api/chat/start", '{"metadata": {"page": "/\\u0000"}}', "metadata"),
        ("/api/chat/start", '{"metadata": {"k\\u0000": 1}}', "metadata"),
        ("/api/chat/start", '{"metadata": {"score": NaN}}', "metadata"),
        ("/api/chat/start", '{"metadata": {"deep": [1, {"x": -Infinity}]}}', "metadata"),
        ("/api/chat/start", '{"dealerId": "auto\\u0000"}', "dealerId"),
    ],
)
def test_text_the_database_cannot_store_is_a_422_naming_the_field(
    api: ChatApi, path: str, body: str, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = api.start()
    with caplog.at_level(logging.WARNING, logger="okla.chatbot"):
        response = post(api, path, body.replace("TOKEN", quoted(token)))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    # Nothing was down, and no outage is logged.
    assert not [r for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert api.say(token, "Hola").status_code == 200


def test_an_ended_session_can_no_longer_be_read(api: ChatApi) -> None:
    token = api.start()
    assert api.say(token, "Mi número es 809-555-0142").status_code == 200
    url = f"{api.url}/api/chat/session/{token}"
    assert httpx.get(url).status_code == 200
    assert httpx.post(f"{api.url}/api/chat/end", json={"sessionToken": token}).status_code == 200
    gone = httpx.get(url)
    assert gone.status_code == 404
    assert "555-0142" not in gone.text
    assert gone.json()["error"]["code"] == "session_not_found"


def test_strangers_learn_up_or_down(api: ChatApi) -> None:
    # A customer the gateway (on loopback, trusted) forwards from beyond this machine.
    stranger = httpx.get(f"{api.url}/api/chat/health", headers={"X-Forwarded-For": "203.0.113.50"})
    assert stranger.status_code == 200
    assert stranger.json() == {"status": "up"}
    local = httpx.get(f"{api.url}/api/chat/health").json()
    assert local["database"]["status"] == "up"


def test_answers_with_personal_data_are_not_cached(api: ChatApi) -> None:
    token = api.start()
    for response in (
        httpx.get(f"{api.url}/api/chat/session/{token}"),
        api.say(token, "Hola"),
    ):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "server" not in response.headers


def test_one_client_holds_a_bounded_number_of_streams(
    tmp_path: Path, scripted: tuple[ScriptedLlm, str]
) -> None:
    llm, llm_url = scripted
    llm.reply = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. " * 3
    llm.delay = 0.2
    settings = chat_settings(tmp_path, llm_url, max_streams_per_client=2)
    with serve_chat_api(settings, llm) as served:
        tokens = [served.start() for _ in range(3)]

        async def stream(token: str) -> int:
            async with (
                httpx.AsyncClient(timeout=30) as client,
                client.stream(
                    "POST",
                    f"{served.url}/api/chat/message",
                    json={"sessionToken": token, "message": "¿Cuánto cuesta la Bronco?"},
                    headers={"Accept": "text/event-stream"},
                ) as response,
            ):
                await response.aread()
                return response.status_code

        async def together() -> list[int]:
            first = [asyncio.create_task(stream(t)) for t in tokens[:2]]
            await asyncio.sleep(1.0)  # both are streaming
            third = await stream(tokens[2])
            return [*await asyncio.gather(*first), third]

        assert asyncio.run(together()) == [200, 200, 429]
        # Once they are done, the client may stream again.
        assert asyncio.run(stream(tokens[2])) == 200


async def test_the_database_file_is_its_owner_s_alone(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "okla"
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'chat.db'}")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            await connection.commit()
    finally:
        await engine.dispose()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for file in folder.iterdir():  # the database and SQLite's WAL and shared-memory files
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


async def test_values_postgresql_refuses_are_not_an_outage(postgres_url: str) -> None:
    # Whatever text still reaches PostgreSQL unchecked gets a 422, not "database unavailable";
    # only a refused value (SQLSTATE class 22) counts as one.
    engine = create_engine(postgres_url)
    refused: list[bool] = []
    try:
        for sql, value in (
            ("SELECT CAST(:x AS text)", "a\x00b"),
            ("SELECT CAST(:x AS json)", '{"a": NaN}'),
            ("SELECT * FROM no_such_table WHERE :x = ''", ""),
        ):
            with pytest.raises(DBAPIError) as caught:
                async with engine.connect() as connection:
                    await connection.execute(text(sql), {"x": value})
            refused.append(value_refused(caught.value))
    finally:
        await engine.dispose()
    assert refused == [True, True, False]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_database_errors_do_not_carry_the_values(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # A failed statement's error is logged: a customer's message or phone in its parameters
    # would reach the log with it.
    url = (
        request.getfixturevalue("postgres_url")
        if backend == "postgresql"
        else f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"
    )
    engine = create_engine(url)
    secret = "mi numero es 809-555-0123"
    try:
        with pytest.raises(DBAPIError) as caught:
            async with engine.connect() as connection:
                await connection.execute(
                    text("SELECT * FROM no_such_table WHERE :x = ''"), {"x": secret}
                )
    finally:
        await engine.dispose()
    assert "no_such_table" in str(caught.value)
    assert "809-555-0123" not in str(caught.value)


async def test_a_unique_row_race_is_a_conflict_not_an_outage(tmp_path: Path) -> None:
    # Two writers racing for one unique row (a message number) lose nothing by retrying: 409.
    app = create_app(chat_settings(tmp_path, "http://127.0.0.1:9/v1"))
    handler = app.exception_handlers[DBAPIError]
    scope = {"type": "http", "method": "POST", "path": "/", "headers": [], "query_string": b""}
    race = IntegrityError("INSERT INTO chat_messages ...", {}, Exception("UNIQUE constraint"))
    response = handler(Request(scope), race)
    assert inspect.isawaitable(response)
    answered = await response
    assert answered.status_code == 409
    assert json.loads(bytes(answered.body))["error"]["code"] == "conflict"

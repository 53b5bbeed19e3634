"""The chat API's contract: shapes, errors, idempotency, locking, transfer, streaming."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import httpx
import pytest

from bench.sse import read_events
from tests.utils.chat import ChatApi, chat_settings, serve_chatbot
from tests.utils.servers import ScriptedLlm

pytestmark = pytest.mark.integration


def test_start_with_the_default_dealer(chat_api: ChatApi) -> None:
    response = httpx.post(
        f"{chat_api.url}/api/chat/start",
        json={"sessionType": "WebChat", "metadata": {"source": "test"}},
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "sessionToken", "sessionId", "status", "dealer", "greeting", "expiresAt",
    }  # fmt: skip
    assert body["status"] == "Active"
    assert body["dealer"]["slug"] == "auto-dominicana-premium"
    assert body["dealer"]["name"] == "Auto Dominicana Premium"
    assert body["dealer"]["assistantName"] == "Ana"
    assert "Ana" in body["greeting"]
    # At least 128 bits of randomness, URL-safe.
    assert len(body["sessionToken"]) >= 43


def test_start_with_another_dealer_by_slug(chat_api: ChatApi) -> None:
    response = httpx.post(
        f"{chat_api.url}/api/chat/start",
        json={"dealerId": "motores-del-cibao", "sessionType": "WebChat"},
    )
    assert response.status_code == 201
    assert response.json()["dealer"]["name"] == "Motores del Cibao"


def test_unknown_dealer_is_404(chat_api: ChatApi) -> None:
    response = httpx.post(f"{chat_api.url}/api/chat/start", json={"dealerId": "nope"})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "dealerId"


def test_unknown_enum_lists_the_valid_values(chat_api: ChatApi) -> None:
    response = httpx.post(f"{chat_api.url}/api/chat/start", json={"sessionType": "Fax"})
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "sessionType" in message
    for value in ("WebChat", "WhatsApp", "Api"):
        assert value in message


def test_numeric_enum_is_refused_with_the_names(chat_api: ChatApi) -> None:
    response = httpx.post(f"{chat_api.url}/api/chat/start", json={"sessionType": 0})
    assert response.status_code == 422
    assert "WebChat" in response.json()["error"]["message"]


def test_message_reply_shape(chat_api: ChatApi) -> None:
    token = chat_api.start()
    response = chat_api.say(token, "¿Qué vehículos tienes?")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"messageId", "sessionStatus", "reply"}
    assert body["sessionStatus"] == "Active"
    reply = body["reply"]
    assert set(reply) == {"id", "content", "vehicles", "source", "appointment"}
    assert reply["appointment"] is None  # no test drive booked, moved or cancelled
    assert reply["source"] in ("model", "fallback")
    assert reply["vehicles"], "a stock question gets vehicle cards"
    card = reply["vehicles"][0]
    assert set(card) == {
        "id", "make", "model", "year", "trim", "price", "currency", "bodyType", "mileageKm",
        "fuel", "transmission", "url", "imageUrl", "status", "color", "drivetrain", "seats",
    }  # fmt: skip
    assert all(c["status"] == "Available" for c in reply["vehicles"])


def test_session_id_instead_of_token_names_session_token(chat_api: ChatApi) -> None:
    response = httpx.post(
        f"{chat_api.url}/api/chat/message", json={"sessionId": "abc", "message": "Hola"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "sessionToken"
    assert "sessionToken" in error["message"] and "not 'sessionId'" in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "Hola"}, "sessionToken"),
        ({"sessionToken": "x"}, "message"),
        ({"sessionToken": "x", "message": ""}, "message"),
        ({"sessionToken": "x", "message": "   \n\t "}, "message"),
        ({"sessionToken": "x", "message": "a" * 2001}, "message"),
        ({"sessionToken": "x", "message": 42}, "message"),
        ({"sessionToken": ["x"], "message": "Hola"}, "sessionToken"),
    ],
)
def test_bad_message_bodies_name_the_field(
    chat_api: ChatApi, body: dict[str, object], field: str
) -> None:
    response = httpx.post(f"{chat_api.url}/api/chat/message", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert field in error["message"]


def test_message_of_2000_characters_is_accepted(chat_api: ChatApi) -> None:
    token = chat_api.start()
    assert chat_api.say(token, "a" * 2000).status_code == 200


def test_body_over_16_kb_is_413(chat_api: ChatApi) -> None:
    body = json.dumps({"sessionToken": "x", "message": "a", "pad": "b" * 17000})
    response = httpx.post(
        f"{chat_api.url}/api/chat/message",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_non_json_post_is_415(chat_api: ChatApi) -> None:
    response = httpx.post(
        f"{chat_api.url}/api/chat/message",
        content="sessionToken=x&message=hola",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415


def test_malformed_json_is_422(chat_api: ChatApi) -> None:
    response = httpx.post(
        f"{chat_api.url}/api/chat/message",
        content=b'{"sessionToken": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["error"]["message"]


def test_unknown_token_is_404_with_a_hint(chat_api: ChatApi) -> None:
    response = chat_api.say("no-such-token", "Hola")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["field"] == "sessionToken"
    assert "/api/chat/start" in error["hint"]
    lookup = httpx.get(f"{chat_api.url}/api/chat/session/no-such-token")
    assert lookup.status_code == 404
    assert lookup.json() == response.json()


def test_ended_session_refuses_messages_with_409(chat_api: ChatApi) -> None:
    token = chat_api.start()
    ended = httpx.post(f"{chat_api.url}/api/chat/end", json={"sessionToken": token})
    assert ended.status_code == 200
    assert ended.json()["status"] == "Ended"
    response = chat_api.say(token, "Hola")
    assert response.status_code == 409
    # Its transcript is no longer read with the token (tests/chatbot/test_security.py).
    assert httpx.get(f"{chat_api.url}/api/chat/session/{token}").status_code == 404


def test_transfer_stops_the_bot(chat_api: ChatApi) -> None:
    token = chat_api.start()
    calls = chat_api.llm.calls
    response = httpx.post(
        f"{chat_api.url}/api/chat/transfer",
        json={"sessionToken": token, "reason": "Quiere negociar"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "PendingTransfer"
    answer = chat_api.say(token, "¿Tienen yipetas?")
    assert answer.status_code == 200
    assert answer.json()["reply"] is None
    assert answer.json()["sessionStatus"] == "PendingTransfer"
    assert chat_api.llm.calls == calls
    transcript = httpx.get(f"{chat_api.url}/api/chat/session/{token}").json()
    assert transcript["status"] == "PendingTransfer"
    assert transcript["messages"][-1]["content"] == "¿Tienen yipetas?"


def test_asking_for_a_human_in_the_chat_transfers(chat_api: ChatApi) -> None:
    token = chat_api.start()
    response = chat_api.say(token, "Quiero hablar con un asesor, por favor")
    assert response.json()["sessionStatus"] == "PendingTransfer"
    assert response.json()["reply"]["content"]


def test_transcript_has_every_message_in_order(chat_api: ChatApi) -> None:
    token = chat_api.start()
    chat_api.say(token, "Hola")
    chat_api.say(token, "¿Tienen yipetas?")
    session = httpx.get(f"{chat_api.url}/api/chat/session/{token}").json()
    roles = [m["role"] for m in session["messages"]]
    assert roles == ["assistant", "user", "assistant", "user", "assistant"]
    assert session["messages"][3]["content"] == "¿Tienen yipetas?"
    assert session["messages"][4]["vehicles"]
    for key in ("createdAt", "lastActivityAt", "expiresAt", "dealer", "sessionType"):
        assert key in session


def test_idempotent_replay_returns_the_first_result(chat_api: ChatApi) -> None:
    token = chat_api.start()
    key = str(uuid.uuid4())
    first = chat_api.say(token, "¿Tienen camionetas?", **{"Idempotency-Key": key})
    calls = chat_api.llm.calls
    again = chat_api.say(token, "¿Tienen camionetas?", **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert chat_api.llm.calls == calls
    session = httpx.get(f"{chat_api.url}/api/chat/session/{token}").json()
    assert [m["content"] for m in session["messages"]].count("¿Tienen camionetas?") == 1
    other = chat_api.say(token, "¿Tienen carros?", **{"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["error"]["field"] == "Idempotency-Key"


async def test_parallel_replays_store_once_and_call_the_llm_once(chat_api: ChatApi) -> None:
    token = chat_api.start()
    chat_api.llm.delay = 0.05
    chat_api.llm.reply = "Claro que sí, tenemos opciones."
    calls = chat_api.llm.calls
    key = str(uuid.uuid4())
    responses = await chat_api.say_together(
        token, "¿Qué yipetas tienen?", 10, **{"Idempotency-Key": key}
    )
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["reply"]["id"] for r in responses}) == 1
    assert chat_api.llm.calls - calls <= 1
    session = httpx.get(f"{chat_api.url}/api/chat/session/{token}").json()
    assert [m["content"] for m in session["messages"]].count("¿Qué yipetas tienen?") == 1


async def test_a_second_message_while_one_is_answered_gets_409(chat_api: ChatApi) -> None:
    token = chat_api.start()
    chat_api.llm.delay = 0.2
    chat_api.llm.reply = "Tenemos varias yipetas disponibles para ti hoy."
    async with httpx.AsyncClient(base_url=chat_api.url, timeout=60) as client:
        first = asyncio.create_task(
            client.post(
                "/api/chat/message", json={"sessionToken": token, "message": "¿Qué yipetas hay?"}
            )
        )
        await asyncio.sleep(0.4)
        calls = chat_api.llm.calls
        second = await client.post(
            "/api/chat/message", json={"sessionToken": token, "message": "¿Y carros?"}
        )
        assert second.status_code == 409
        assert chat_api.llm.calls == calls, "the refused message must not reach the LLM"
        assert (await first).status_code == 200
    after = chat_api.say(token, "¿Y carros?")
    assert after.status_code == 200


def test_streamed_reply_events(chat_api: ChatApi) -> None:
    token = chat_api.start()
    with chat_api.stream(token, "¿Qué yipetas tienen?") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
    names = [n for n, _ in events]
    assert names[0] == "ack"
    assert names[-2:] == ["vehicles", "done"]
    assert names.count("delta") >= 2
    text = "".join(str(d["text"]) for n, d in events if n == "delta")
    done = events[-1][1]
    reply = done["reply"]
    assert isinstance(reply, dict)
    assert text == reply["content"]
    assert events[-2][1]["vehicles"] == reply["vehicles"]


def test_streamed_errors_before_the_reply_are_plain_statuses(chat_api: ChatApi) -> None:
    response = httpx.post(
        f"{chat_api.url}/api/chat/message",
        json={"sessionToken": "nope", "message": "Hola"},
        headers={"Accept": "text/event-stream"},
    )
    assert response.status_code == 404


def test_health_reports_each_dependency(chat_api: ChatApi) -> None:
    body = httpx.get(f"{chat_api.url}/api/chat/health").json()
    assert body["database"]["status"] == "up"
    assert body["cache"]["backend"] == "memory"
    assert body["llm"]["status"] == "up"
    assert body["circuitBreaker"]["state"] in ("closed", "half_open", "open")


def test_openapi_document_describes_the_api(chat_api: ChatApi) -> None:
    spec = httpx.get(f"{chat_api.url}/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/chat/start", "/api/chat/message", "/api/chat/end", "/api/chat/transfer",
                 "/api/chat/session/{token}", "/api/chat/health"):  # fmt: skip
        assert path in paths
    start = spec["components"]["schemas"]["StartRequest"]["properties"]
    assert "sessionType" in start and "dealerId" in start
    assert "text/event-stream" in paths["/api/chat/message"]["post"]["responses"]["200"]["content"]


def test_guessing_tokens_is_rate_limited(tmp_path: Path, scripted: tuple[ScriptedLlm, str]) -> None:
    llm, llm_url = scripted
    settings = chat_settings(tmp_path, llm_url, rate_limit_token_misses="5/minute")
    with serve_chatbot(settings) as url:
        statuses = [httpx.get(f"{url}/api/chat/session/guess-{i}").status_code for i in range(6)]
        assert statuses == [404] * 5 + [429]
        # Another customer behind the same gateway is not punished for it.
        other = httpx.get(
            f"{url}/api/chat/session/guess-x", headers={"X-Forwarded-For": "203.0.113.9"}
        )
        assert other.status_code == 404


def abandoned(chat_api: ChatApi) -> float:
    metrics = httpx.get(f"{chat_api.url}/metrics").text
    found = re.search(r'okla_chat_llm_calls_total\{outcome="abandoned"\} ([0-9.]+)', metrics)
    return float(found.group(1)) if found else 0.0


def test_a_reply_gone_off_in_another_language_is_given_up_early(chat_api: ChatApi) -> None:
    english = "We have a great selection of vehicles for you today and many more are coming."
    chat_api.llm.reply = " ".join([english] * 20)  # 300 words
    chat_api.llm.delay = 0.01
    before = abandoned(chat_api)
    reply = chat_api.say(chat_api.start(), "¿Qué yipetas tienen?").json()["reply"]
    # The stock answers as soon as the model is clearly off, and the model stops too: the
    # request is closed after a few sentences, not read to its end.
    assert reply["source"] == "fallback"
    assert reply["vehicles"]
    assert chat_api.llm.sent < 60
    assert abandoned(chat_api) == before + 1


def test_a_reply_that_keeps_inventing_vehicles_is_given_up(chat_api: ChatApi) -> None:
    invented = "Tenemos el Honda CR-Z del año 2011 por solo RD$100 y está en perfecto estado."
    chat_api.llm.reply = " ".join([invented] * 20)
    chat_api.llm.delay = 0.01  # a model's pace: the stand-in doesn't run ahead of the reader
    before = abandoned(chat_api)
    reply = chat_api.say(chat_api.start(), "¿Qué yipetas tienen?").json()["reply"]
    assert reply["source"] == "fallback"
    assert "CR-Z" not in reply["content"]
    assert chat_api.llm.sent < 80
    assert abandoned(chat_api) == before + 1


def test_a_reply_in_the_customer_language_is_not_given_up(chat_api: ChatApi) -> None:
    spanish = "Tenemos una buena selección de vehículos para ti y pronto llegarán muchos más."
    chat_api.llm.reply = " ".join([spanish] * 3)
    before = abandoned(chat_api)
    reply = chat_api.say(chat_api.start(), "¿Qué yipetas tienen?").json()["reply"]
    assert abandoned(chat_api) == before
    assert chat_api.llm.sent == len(chat_api.llm.reply.split(" ")) - 1
    assert reply["vehicles"]

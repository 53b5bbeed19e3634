"""The chat routes in-process: headers they read and how they refuse bad ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from okla.chatbot.app import create_app
from tests.utils.pipeline import unit_settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    # The LLM URL leads nowhere: replies come from the stock, which is all these tests need.
    settings = unit_settings(llm_base_url="http://127.0.0.1:9/v1", llm_timeout_seconds=2)
    with TestClient(create_app(settings, demo_data=True)) as test_client:
        yield test_client


def start(client: TestClient) -> str:
    response = client.post("/api/chat/start", json={})
    assert response.status_code == 201
    token: str = response.json()["sessionToken"]
    return token


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf", ""])
def test_a_bad_request_timeout_is_refused_by_name(client: TestClient, value: str) -> None:
    response = client.post(
        "/api/chat/message",
        json={"sessionToken": start(client), "message": "Hola"},
        headers={"X-Request-Timeout": value},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "X-Request-Timeout"
    assert "seconds" in error["message"]


def test_a_request_timeout_is_honoured(client: TestClient) -> None:
    response = client.post(
        "/api/chat/message",
        json={"sessionToken": start(client), "message": "¿Qué yipetas tienen?"},
        headers={"X-Request-Timeout": "30"},
    )
    assert response.status_code == 200
    assert response.json()["reply"]["vehicles"]


@pytest.mark.parametrize("value", ["", "a" * 201, "tiene espacio", "ñ"])
def test_a_bad_idempotency_key_is_refused_by_name(client: TestClient, value: str) -> None:
    response = client.post(
        "/api/chat/message",
        json={"sessionToken": start(client), "message": "Hola"},
        headers={b"Idempotency-Key": value.encode()},
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "Idempotency-Key"


def test_the_dealers_are_listed_by_name(client: TestClient) -> None:
    dealers = client.get("/api/chat/dealers").json()
    assert [d["slug"] for d in dealers] == ["auto-dominicana-premium", "motores-del-cibao"]
    assert set(dealers[0]) == {"id", "slug", "name", "assistantName"}

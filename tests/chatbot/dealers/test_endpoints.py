"""GET and PUT /api/chatbot/dealers/{slug}, on SQLite and PostgreSQL: scoped and checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from okla.chatbot.app import create_app
from okla.chatbot.auth import Role
from okla.chatbot.settings import ChatbotSettings
from tests.utils.dealers import LOADED_ON, local
from tests.utils.pipeline import unit_settings
from tests.utils.services import fresh_postgres
from tests.utils.staff import StaffLogins, mint

pytestmark = pytest.mark.integration

ADP, MDC = "auto-dominicana-premium", "motores-del-cibao"
SECRET = "whsec-0123456789abcdef-never-shown"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ChatbotSettings]:
    """The service's settings, on a database of its own."""

    def of(database_url: str) -> ChatbotSettings:
        return unit_settings(database_url=database_url, answer_mode="template")

    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("dealers") / "chat.db"
        yield of(f"sqlite+aiosqlite:///{Path(path)}")
    else:
        with fresh_postgres() as url:
            yield of(url)


@pytest.fixture(scope="module")
def client(settings: ChatbotSettings) -> Iterator[TestClient]:
    """The service with the demo dealers, at a fixed moment."""
    moment = local(LOADED_ON.year, LOADED_ON.month, LOADED_ON.day, 10)
    with TestClient(create_app(settings, demo_data=True, clock=lambda: moment)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(settings: ChatbotSettings) -> StaffLogins:
    """Signed-in staff of the service's database, by role and dealer."""
    return StaffLogins(settings)


def body(**changes: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "address": "Av. 27 de Febrero 300",
        "city": "Santo Domingo",
        "phone": "809-555-0111",
        "hours": {
            "mon": [{"opens": "08:00", "closes": "17:00"}],
            "sat": [{"opens": "09:00", "closes": "12:00"}],
        },
        "closures": [{"date": "2026-12-25", "reason": "Navidad"}],
        "testDrives": {"slotMinutes": 45, "capacity": 3},
        "policies": {"warranty": "Garantía de 6 meses en motor."},
    }
    return profile | changes


def test_a_dealer_reads_its_own_profile(client: TestClient, auth: StaffLogins) -> None:
    response = client.get(f"/api/chatbot/dealers/{ADP}", headers=auth(Role.AGENT, ADP))
    assert response.status_code == 200, response.text
    profile = response.json()
    assert profile["slug"] == ADP and profile["assistantName"] == "Ana"
    assert profile["hours"]["sat"] == [{"opens": "09:00", "closes": "13:00"}]
    assert profile["testDrives"] == {"slotMinutes": 60, "capacity": 2}
    assert {"date": "2026-12-25", "reason": "Navidad", "hours": []} in profile["closures"]
    assert profile["webhookSecretSet"] is False and "webhookSecret" not in profile


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_another_dealers_profile_is_not_found(
    client: TestClient, auth: StaffLogins, method: str
) -> None:
    response = client.request(
        method, f"/api/chatbot/dealers/{MDC}", headers=auth(Role.ADMIN, ADP), json=body()
    )
    assert response.status_code == 404
    assert (
        client.get("/api/chatbot/dealers/nadie", headers=auth(Role.ADMIN, None)).status_code == 404
    )


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_without_a_token_401(client: TestClient, method: str) -> None:
    response = client.request(method, f"/api/chatbot/dealers/{ADP}", json=body())
    assert response.status_code == 401
    forged = mint(role="admin", dealer=ADP, secret="x" * 32)
    not_from_a_login = mint(role="admin", dealer=ADP)  # signed right, but no live login
    for token in (forged, not_from_a_login):
        headers = {"Authorization": f"Bearer {token}"}
        response = client.request(
            method, f"/api/chatbot/dealers/{ADP}", headers=headers, json=body()
        )
        assert response.status_code == 401


def test_an_agent_may_read_but_not_change(client: TestClient, auth: StaffLogins) -> None:
    response = client.put(f"/api/chatbot/dealers/{ADP}", headers=auth(Role.AGENT, ADP), json=body())
    assert response.status_code == 403


def test_a_manager_replaces_the_profile_and_the_bot_answers_from_it(
    client: TestClient, auth: StaffLogins
) -> None:
    secret_body = body(
        name="Auto Dominicana Premium", webhookUrl="https://crm.example/hook", webhookSecret=SECRET
    )
    response = client.put(
        f"/api/chatbot/dealers/{MDC}", headers=auth(Role.MANAGER, MDC), json=secret_body
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    assert SECRET not in response.text
    assert saved["webhookSecretSet"] is True and saved["webhookUrl"] == "https://crm.example/hook"
    assert saved["name"] == "Auto Dominicana Premium" and saved["assistantName"] == "Carlos"
    assert saved["testDrives"] == {"slotMinutes": 45, "capacity": 3}
    assert saved["whatsapp"] is None and saved["policies"]["tradeIn"] is None  # replaced whole
    again = client.get(f"/api/chatbot/dealers/{MDC}", headers=auth(Role.ADMIN, None))
    assert again.json() == saved and SECRET not in again.text

    # Left out, the webhook stays; null clears it.
    kept = client.put(
        f"/api/chatbot/dealers/{MDC}",
        headers=auth(Role.ADMIN, None),
        json=body(name="Motores del Cibao"),
    )
    assert kept.json()["webhookSecretSet"] is True
    cleared = client.put(
        f"/api/chatbot/dealers/{MDC}", headers=auth(Role.ADMIN, None), json=body(webhookSecret=None)
    )
    assert cleared.json()["webhookSecretSet"] is False

    # The chat reads the new profile at once (Monday 30 November, 10:00 there).
    token = client.post("/api/chat/start", json={"dealerId": MDC, "sessionType": "WebChat"}).json()
    reply = client.post(
        "/api/chat/message",
        json={
            "sessionToken": token["sessionToken"],
            "message": "¿Dónde están y a qué hora abren el sábado?",
        },
    )
    content = reply.json()["reply"]["content"]
    assert "Av. 27 de Febrero 300" in content and "9:00 a. m. a 12:00 p. m." in content


@pytest.mark.parametrize(
    ("change", "field", "what"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
        (
            {"hours": {"sat": [{"opens": "13:00", "closes": "09:00"}]}},
            "hours.sat.0.closes",
            "after opens",
        ),
        ({"hours": {"sab": [{"opens": "09:00", "closes": "12:00"}]}}, "hours.sab", "'sat'"),
        ({"website": "https://x.example"}, "website", "unknown field"),
        ({"name": None}, "name", "not null"),
        ({"webhookUrl": "javascript:alert(1)"}, "webhookUrl", "http"),
        ({"webhookSecret": "short"}, "webhookSecret", "16 to 200"),
        ({"closures": [{"date": "2026-02-30"}]}, "closures.0.date", "date"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: TestClient, auth: StaffLogins, change: dict[str, Any], field: str, what: str
) -> None:
    response = client.put(
        f"/api/chatbot/dealers/{ADP}", headers=auth(Role.ADMIN, ADP), json=body(**change)
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert what in error["message"]
    assert "short" not in error["message"]  # a secret is never repeated back

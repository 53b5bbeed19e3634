"""Canned replies per dealer: read by its advisors, replaced by its managers, another's a 404."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from okla.chatbot.app import create_app
from okla.chatbot.auth import Role
from okla.chatbot.settings import ChatbotSettings
from tests.utils.chat import chat_settings
from tests.utils.live import RunningClock
from tests.utils.servers import serve
from tests.utils.staff import ADP, CIBAO, SignedIn, staff_login

pytestmark = pytest.mark.integration

PATH = "/api/chatbot/canned-replies"


@dataclass
class Staff:
    url: str
    agent: SignedIn
    manager: SignedIn
    cibao: SignedIn
    operator: SignedIn


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Staff]:
    settings: ChatbotSettings = chat_settings(
        tmp_path_factory.mktemp("canned"), "http://127.0.0.1:9/v1", answer_mode="template"
    )
    with serve(create_app(settings, demo_data=True, clock=RunningClock())) as url:
        yield Staff(
            url,
            staff_login(url, settings, Role.AGENT, ADP),
            staff_login(url, settings, Role.MANAGER, ADP),
            staff_login(url, settings, Role.MANAGER, CIBAO),
            staff_login(url, settings, Role.ADMIN, None),
        )


def get(staff: Staff, who: SignedIn, **params: str) -> httpx.Response:
    return httpx.get(staff.url + PATH, params=params, headers=who.headers, timeout=30)


def put(staff: Staff, who: SignedIn, body: object) -> httpx.Response:
    return httpx.put(staff.url + PATH, json=body, headers=who.headers, timeout=30)


def test_a_manager_sets_them_and_the_dealer_s_advisors_read_them(staff: Staff) -> None:
    replies = ["¡Hola! Soy del equipo de ventas.", "¿Te puedo llamar a tu número?"]
    response = put(staff, staff.manager, {"replies": [f"  {replies[0]} ", replies[1]]})
    assert response.status_code == 200, response.text
    assert response.json() == {"dealer": ADP, "replies": replies}
    assert get(staff, staff.agent).json() == {"dealer": ADP, "replies": replies}
    assert get(staff, staff.operator, dealer=ADP).json()["replies"] == replies
    # Another dealer's list is its own (empty), and dealer A's is a 404 to its manager.
    assert get(staff, staff.cibao).json() == {"dealer": CIBAO, "replies": []}
    assert get(staff, staff.cibao, dealer=ADP).status_code == 404
    assert put(staff, staff.cibao, {"dealer": ADP, "replies": ["x"]}).status_code == 404
    assert get(staff, staff.agent).json()["replies"] == replies


def test_the_dealer_s_profile_saved_again_keeps_them(staff: Staff) -> None:
    assert put(staff, staff.manager, {"replies": ["Un momento, por favor."]}).status_code == 200
    profile = httpx.get(f"{staff.url}/api/chatbot/dealers/{ADP}", headers=staff.manager.headers)
    assert profile.status_code == 200, profile.text
    body = {k: v for k, v in profile.json().items() if k not in ("slug", "webhookSecretSet")}
    saved = httpx.put(
        f"{staff.url}/api/chatbot/dealers/{ADP}", json=body, headers=staff.manager.headers
    )
    assert saved.status_code == 200, saved.text
    assert "cannedReplies" not in saved.json()["policies"]
    assert get(staff, staff.agent).json()["replies"] == ["Un momento, por favor."]


def test_an_agent_may_not_change_them(staff: Staff) -> None:
    response = put(staff, staff.agent, {"replies": ["x"]})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"replies": ["x"] * 31}, "replies"),
        ({"replies": [""]}, "replies"),
        ({"replies": ["x" * 501]}, "replies"),
        ({"replies": "hola"}, "replies"),
        ({}, "replies"),
        ({"replies": [], "colour": "red"}, "colour"),
    ],
)
def test_bad_lists_are_422s_naming_the_field(staff: Staff, body: object, field: str) -> None:
    response = put(staff, staff.manager, body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["field"]


def test_an_operator_names_the_dealer(staff: Staff) -> None:
    response = get(staff, staff.operator)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "dealer"
    assert get(staff, staff.operator, dealer="no-such-dealer").status_code == 404

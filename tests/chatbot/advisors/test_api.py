"""The staff routes over HTTP, straight at the chatbot service AND through the gateway.

Every /api/chatbot/* route is tried with tokens of dealer A, dealer B, an operator, and with
no token, a garbage one, an expired one, one that lives too long, one whose login was ended
and one of a disabled account.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from okla.chatbot.auth import Role
from okla.chatbot.settings import ChatbotSettings
from okla.common.staff_tokens import CSRF_COOKIE, MAX_ACCESS_SECONDS, REFRESH_COOKIE
from okla.gateway.settings import DEFAULT_ROUTES
from tests.utils.chat import ChatClient, chat_settings, serve_chatbot, serve_staff_gateway
from tests.utils.live import RunningClock
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.staff import (
    ADP,
    CIBAO,
    JWT_SECRET,
    PASSWORD,
    SignedIn,
    add_account,
    cookies_of,
    mint,
    sign_in,
    staff_login,
)

pytestmark = pytest.mark.integration

SESSION_ROUTES = [
    ("GET", "/api/chatbot/sessions/{id}", None),
    ("POST", "/api/chatbot/sessions/{id}/claim", None),
    ("POST", "/api/chatbot/sessions/{id}/release", None),
    ("POST", "/api/chatbot/sessions/{id}/close", None),
    ("POST", "/api/chatbot/sessions/{id}/return", None),
    ("POST", "/api/chatbot/sessions/{id}/reply", {"message": "Hola"}),
    ("POST", "/api/chatbot/sessions/{id}/typing", None),
]
STAFF_ROUTES = [
    ("GET", "/api/chatbot/transfers", None),
    ("GET", "/api/chatbot/canned-replies", None),
    ("PUT", "/api/chatbot/canned-replies", {"replies": ["Hola, ¿en qué te ayudo?"]}),
    *SESSION_ROUTES,
    ("GET", "/api/chatbot/llm/qualification", None),
    ("POST", "/api/chatbot/llm/qualify", None),
]


@dataclass
class Stack:
    chatbot: str
    gateway: str
    settings: ChatbotSettings


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("staff")
    llm = ScriptedLlm()
    with serve(llm.app()) as llm_url:
        settings = chat_settings(tmp, f"{llm_url}/v1", answer_mode="template")
        # The demo dealers are open on this clock, whatever the hour the tests run at.
        with serve_chatbot(settings, RunningClock()) as chat_url:
            with serve_staff_gateway(tmp, chat_url) as gateway_url:
                yield Stack(chat_url, gateway_url, settings)


@pytest.fixture(params=["chatbot", "gateway"])
def front(request: pytest.FixtureRequest, stack: Stack) -> str:
    """The service a staff client talks to: the chatbot itself, or the gateway before it."""
    url: str = getattr(stack, request.param)
    return url


def waiting_session(url: str, dealer: str) -> str:
    """Start a customer session that asked for a person; return its id."""
    client = ChatClient(url)
    token = client.start(dealer)
    response = httpx.post(f"{url}/api/chat/transfer", json={"sessionToken": token}, timeout=30)
    assert response.status_code == 200, response.text
    session_id: str = response.json()["sessionId"]
    return session_id


def call(
    url: str, method: str, path: str, body: object, session_id: str, **headers: str
) -> httpx.Response:
    return httpx.request(
        method,
        url + path.replace("{id}", session_id),
        json=body if body is not None or method == "GET" else {},
        headers=headers,
        timeout=30,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Logins:
    """Logins made once for the module: live ones, an ended one, a disabled account's."""

    admin: SignedIn  # an admin of dealer A
    cibao: SignedIn  # a manager of dealer B
    ended: SignedIn
    disabled: SignedIn


@pytest.fixture(scope="module")
def logins(stack: Stack) -> Logins:
    url, settings = stack.chatbot, stack.settings
    ended = staff_login(url, settings, Role.ADMIN, ADP)
    logout = httpx.post(f"{url}/api/chatbot/auth/logout", json={}, headers=ended.cookie_headers)
    assert logout.status_code == 204
    disabled = staff_login(url, settings, Role.ADMIN, ADP)
    _disable(settings, disabled.member.email)
    return Logins(
        admin=staff_login(url, settings, Role.ADMIN, ADP),
        cibao=staff_login(url, settings, Role.MANAGER, CIBAO),
        ended=ended,
        disabled=disabled,
    )


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ROUTES)
def test_every_staff_route_needs_a_live_token_of_a_login(
    stack: Stack, logins: Logins, front: str, method: str, path: str, body: object
) -> None:
    session_id = waiting_session(stack.chatbot, ADP)
    live = logins.admin
    sid = _sid(live)

    def forged(
        lifetime: int = 300, issued_ago: int = 0, secret: str = JWT_SECRET
    ) -> dict[str, str]:
        """A token of the live login, but of another signer or lifetime."""
        return bearer(
            mint(sub=live.member.id, role="admin", dealer=ADP, sid=sid, lifetime=lifetime,
                 issued_ago=issued_ago, secret=secret)
        )  # fmt: skip

    refused = {
        "no token": {},
        "garbage": bearer("not-a-jwt"),
        "another secret": forged(secret="another-secret-that-is-long-enough"),
        "expired": forged(lifetime=60, issued_ago=120),
        "300 years": forged(lifetime=300 * 365 * 86400),
        "16 minutes": forged(lifetime=MAX_ACCESS_SECONDS + 60),
        "logged out": logins.ended.headers,
        "disabled": logins.disabled.headers,
        "not from a login": bearer(mint(sub=live.member.id, role="admin", dealer=ADP)),
    }
    for what, headers in refused.items():
        response = call(front, method, path, body, session_id, **headers)
        assert response.status_code == 401, (what, response.text)
        assert response.json()["error"]["code"] == "unauthorized", what
    accepted = call(front, method, path, body, session_id, **live.headers)
    assert accepted.status_code in (200, 202, 204, 409), accepted.text


@pytest.mark.parametrize(("method", "path", "body"), SESSION_ROUTES)
def test_another_dealer_s_conversation_is_a_404(
    stack: Stack, logins: Logins, front: str, method: str, path: str, body: object
) -> None:
    ours = waiting_session(stack.chatbot, ADP)
    cibao = logins.cibao
    response = call(front, method, path, body, ours, **cibao.headers)
    assert response.status_code == 404, response.text
    unknown = call(
        front, method, path, body, "00000000-0000-0000-0000-000000000000", **cibao.headers
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == response.json()["error"]["message"]


def test_the_queue_holds_the_caller_s_dealer_only(stack: Stack, front: str) -> None:
    ours, theirs = waiting_session(stack.chatbot, ADP), waiting_session(stack.chatbot, CIBAO)
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    carlos = staff_login(front, stack.settings, Role.AGENT, CIBAO)
    operator = staff_login(front, stack.settings, Role.ADMIN, None)

    def queue(who: SignedIn) -> set[str]:
        response = httpx.get(f"{front}/api/chatbot/transfers", headers=who.headers)
        assert response.status_code == 200, response.text
        return {t["sessionId"] for t in response.json()}

    assert ours in queue(ana) and theirs not in queue(ana)
    assert theirs in queue(carlos) and ours not in queue(carlos)
    assert {ours, theirs} <= queue(operator)
    assert {t["dealerSlug"] for t in _queue_json(front, ana)} == {ADP}


def test_the_model_s_exam_is_for_operators(stack: Stack, front: str) -> None:
    agent = staff_login(front, stack.settings, Role.AGENT, ADP)
    report = httpx.get(f"{front}/api/chatbot/llm/qualification", headers=agent.headers)
    assert report.status_code == 403
    operator = staff_login(front, stack.settings, Role.ADMIN, None)
    report = httpx.get(f"{front}/api/chatbot/llm/qualification", headers=operator.headers)
    assert report.status_code == 200


def test_an_advisor_answers_and_the_customer_reads_it(stack: Stack, front: str) -> None:
    customer = ChatClient(front)
    token = customer.start(ADP)
    transfer = {"sessionToken": token, "reason": "Quiero negociar"}
    first = httpx.post(f"{front}/api/chat/transfer", json=transfer, timeout=30).json()
    second = httpx.post(f"{front}/api/chat/transfer", json=transfer, timeout=30).json()
    assert first["transferId"] == second["transferId"], "asking again is no second request"
    assert first["status"] == "PendingTransfer"
    session_id = first["sessionId"]
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    luis = staff_login(front, stack.settings, Role.AGENT, ADP)
    url = f"{front}/api/chatbot/sessions/{session_id}"
    assert httpx.post(f"{url}/claim", json={}, headers=ana.headers).json()["handoff"] == "WithAgent"
    assert httpx.post(f"{url}/claim", json={}, headers=luis.headers).status_code == 409
    assert (
        httpx.post(f"{url}/reply", json={"message": "Hola"}, headers=luis.headers).status_code
        == 409
    )
    sent = httpx.post(
        f"{url}/reply", json={"message": "Soy Ana, ¿en qué te ayudo?"}, headers=ana.headers
    )
    assert sent.status_code == 200
    seen = httpx.get(f"{front}/api/chat/session/{token}").json()
    assert seen["status"] == "PendingTransfer" and seen["handoff"] == "WithAgent"
    assert seen["messages"][-1]["content"] == "Soy Ana, ¿en qué te ayudo?"
    transcript = httpx.get(url, headers=ana.headers).json()
    assert transcript["messages"][-1]["author"]["name"] == "Asesora de prueba"
    assert httpx.post(f"{url}/close", json={}, headers=ana.headers).json()["handoff"] == "Closed"
    late = httpx.post(f"{url}/reply", json={"message": "¿Algo más?"}, headers=ana.headers)
    assert late.status_code == 409
    after = httpx.get(f"{front}/api/chat/session/{token}").json()
    assert (after["status"], after["handoff"]) == ("Active", "Closed")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "", "password": "x"}, "email"),
        ({"email": "ana@example.com"}, "password"),
        ({"email": "ana@example.com", "password": "x" * 300}, "password"),
        ({"email": "ana@example.com", "password": "x", "role": "admin"}, "role"),
    ],
)
def test_bad_login_bodies_are_422_naming_the_field(
    stack: Stack, front: str, body: dict[str, str], field: str
) -> None:
    response = httpx.post(f"{front}/api/chatbot/auth/login", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_login_refresh_and_logout(stack: Stack, front: str) -> None:
    member = add_account(stack.settings, Role.AGENT, ADP, name="Ana Pérez")
    login = httpx.post(
        f"{front}/api/chatbot/auth/login", json={"email": member.email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    body = login.json()
    assert body["expiresIn"] == MAX_ACCESS_SECONDS and body["tokenType"] == "Bearer"
    assert body["user"] == {
        "id": member.id, "name": "Ana Pérez", "email": member.email, "role": "agent", "dealer": ADP,
    }  # fmt: skip
    cookies = cookies_of(login)
    refresh = cookies[REFRESH_COOKIE][REFRESH_COOKIE]
    assert refresh["httponly"] and refresh["secure"] and refresh["samesite"].lower() == "strict"
    assert refresh["path"] == "/api/chatbot/auth"
    csrf = cookies[CSRF_COOKIE][CSRF_COOKIE]
    assert not csrf["httponly"] and csrf["secure"] and csrf["path"] == "/"
    first = sign_in(front, member)
    # The refresh cookie is a credential: without the double-submit token it does nothing.
    no_csrf = {
        "Cookie": f"{REFRESH_COOKIE}={first.refresh_token}; {CSRF_COOKIE}={first.csrf}",
        "Content-Type": "application/json",
    }
    refused = httpx.post(f"{front}/api/chatbot/auth/refresh", headers=no_csrf)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_token"
    rotated = httpx.post(f"{front}/api/chatbot/auth/refresh", headers=first.cookie_headers)
    assert rotated.status_code == 200, rotated.text
    new_refresh = cookies_of(rotated)[REFRESH_COOKIE][REFRESH_COOKIE].value
    assert new_refresh != first.refresh_token
    fresh = bearer(rotated.json()["accessToken"])
    assert httpx.get(f"{front}/api/chatbot/transfers", headers=fresh).status_code == 200
    # The old refresh token again: a replay. The login ends, new tokens and all.
    replay = httpx.post(f"{front}/api/chatbot/auth/refresh", headers=first.cookie_headers)
    assert replay.status_code == 401
    assert httpx.get(f"{front}/api/chatbot/transfers", headers=fresh).status_code == 401
    # Logout: the login's access token stops working at once, and the cookies are cleared.
    second = sign_in(front, member)
    out = httpx.post(f"{front}/api/chatbot/auth/logout", headers=second.cookie_headers)
    assert out.status_code == 204
    cleared = cookies_of(out)
    assert cleared[REFRESH_COOKIE][REFRESH_COOKIE]["max-age"] == "0"
    assert httpx.get(f"{front}/api/chatbot/transfers", headers=second.headers).status_code == 401
    again = httpx.post(f"{front}/api/chatbot/auth/refresh", headers=second.cookie_headers)
    assert again.status_code == 401
    assert httpx.post(f"{front}/api/chatbot/auth/refresh", json={}).status_code == 401


def test_wrong_password_and_unknown_email_answer_alike(stack: Stack, front: str) -> None:
    member = add_account(stack.settings, Role.AGENT, ADP)
    wrong = httpx.post(
        f"{front}/api/chatbot/auth/login", json={"email": member.email, "password": "nope-nope"}
    )
    unknown = httpx.post(
        f"{front}/api/chatbot/auth/login",
        json={"email": "nobody@example.com", "password": "nope-nope"},
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def _sid(signed: SignedIn) -> str:
    import jwt

    sid: str = jwt.decode(signed.access_token, JWT_SECRET, algorithms=["HS256"])["sid"]
    return sid


def _disable(settings: ChatbotSettings, email: str) -> None:
    from okla.cli import main

    code = main(["chat", "disable-user", "--email", email, "--database-url", settings.database_url])
    assert code == 0


def _queue_json(front: str, who: SignedIn) -> list[dict[str, object]]:
    body: list[dict[str, object]] = httpx.get(
        f"{front}/api/chatbot/transfers", headers=who.headers
    ).json()
    return body


def test_the_route_file_lets_only_the_sign_in_routes_through_without_a_token() -> None:
    routes = json.loads(Path(DEFAULT_ROUTES).read_text())["routes"]
    open_staff = [
        r["upstream"]
        for r in routes
        if r["upstream"].startswith("/api/chatbot/") and "auth" not in r
    ]
    assert open_staff == [
        "/api/chatbot/auth/login", "/api/chatbot/auth/refresh", "/api/chatbot/auth/logout",
    ]  # fmt: skip

"""The live event streams over HTTP, on a served chatbot and through the gateway.

Scoping: dealer A's advisor never hears dealer B's events, a customer only its session's.
Resuming with Last-Event-ID, heartbeats, bad input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from bench.sse import Follower
from okla.chatbot.app import create_app
from okla.chatbot.auth import Role
from okla.chatbot.settings import ChatbotSettings
from tests.utils.chat import ChatClient, chat_settings, serve_staff_gateway
from tests.utils.live import RunningClock
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.staff import ADP, CIBAO, SignedIn, staff_login

pytestmark = pytest.mark.integration


@dataclass
class Stack:
    chatbot: str
    gateway: str
    settings: ChatbotSettings


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("live")
    llm = ScriptedLlm()
    with serve(llm.app()) as llm_url:
        settings = chat_settings(
            tmp, f"{llm_url}/v1", answer_mode="template", live_heartbeat_seconds=1
        )
        # The dealers are open on this clock: nobody's wait is cut short by closing time.
        app = create_app(settings, demo_data=True, clock=RunningClock())
        with serve(app) as chat_url:
            with serve_staff_gateway(tmp, chat_url) as gateway_url:
                yield Stack(chat_url, gateway_url, settings)


@pytest.fixture(params=["chatbot", "gateway"])
def front(request: pytest.FixtureRequest, stack: Stack) -> str:
    """Where the clients connect: the chatbot itself, or the gateway before it."""
    url: str = getattr(stack, request.param)
    return url


@dataclass
class Customer:
    token: str
    session_id: str


def customer(url: str, dealer: str) -> Customer:
    token = ChatClient(url).start(dealer)
    response = httpx.get(f"{url}/api/chat/session/{token}", timeout=30)
    return Customer(token, response.json()["sessionId"])


def transfer(url: str, who: Customer) -> None:
    response = httpx.post(f"{url}/api/chat/transfer", json={"sessionToken": who.token}, timeout=30)
    assert response.status_code == 200, response.text


def act(url: str, advisor: SignedIn, who: Customer, action: str, body: object = None) -> None:
    response = httpx.post(
        f"{url}/api/chatbot/sessions/{who.session_id}/{action}",
        json=body or {},
        headers=advisor.headers,
        timeout=30,
    )
    assert response.status_code in (200, 204), response.text


def advisor_stream(url: str, advisor: SignedIn, **headers: str) -> Follower:
    return Follower(f"{url}/api/chatbot/events", advisor.headers | headers)


def customer_stream(url: str, who: Customer, **headers: str) -> Follower:
    return Follower(f"{url}/api/chat/session/{who.token}/events", headers)


def test_advisors_hear_their_dealer_s_events_only(stack: Stack, front: str) -> None:
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    carlos = staff_login(front, stack.settings, Role.AGENT, CIBAO)
    operator = staff_login(front, stack.settings, Role.ADMIN, None)
    with (
        advisor_stream(front, ana) as ours,
        advisor_stream(front, carlos) as theirs,
        advisor_stream(front, operator) as everyone,
    ):
        at_adp, at_cibao = customer(front, ADP), customer(front, CIBAO)
        transfer(front, at_adp)
        transfer(front, at_cibao)
        event = ours.next()
        assert (event.name, event.json()["sessionId"]) == ("waiting", at_adp.session_id)
        assert event.json()["handoff"] == "WaitingForAgent"
        # Carlos's first event is his dealer's: dealer A's came first and never reached him.
        assert theirs.next().json()["sessionId"] == at_cibao.session_id
        assert {everyone.next().json()["sessionId"] for _ in range(2)} == {
            at_adp.session_id,
            at_cibao.session_id,
        }
        assert ours.quiet(0.5) and theirs.quiet(0.5)


def test_a_handoff_live_on_both_sides(stack: Stack, front: str) -> None:
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    who, other = customer(front, ADP), customer(front, ADP)
    with (
        advisor_stream(front, ana) as console,
        customer_stream(front, who) as widget,
        customer_stream(front, other) as stranger,
    ):
        transfer(front, who)
        assert console.next().name == "waiting"
        # The customer writes while waiting: the advisors hear it.
        ChatClient(front).say(who.token, "¿Hay alguien?")
        said = console.next()
        assert (said.name, said.json()["content"], said.json()["role"]) == (
            "message",
            "¿Hay alguien?",
            "user",
        )
        act(front, ana, who, "claim")
        joined = widget.next()
        assert joined.name == "joined" and ana.member.name in joined.json()["content"]
        assert console.next().name == "claimed"
        act(front, ana, who, "typing")
        typing = widget.next()
        assert typing.name == "typing" and typing.json()["advisor"]["name"] == ana.member.name
        act(front, ana, who, "reply", {"message": "Hola, soy Ana. ¿En qué te ayudo?"})
        reply = widget.next()
        assert (reply.name, reply.json()["content"]) == (
            "message",
            "Hola, soy Ana. ¿En qué te ayudo?",
        )
        assert reply.json()["author"]["id"] == ana.member.id
        assert console.next().name == "message"
        act(front, ana, who, "close")
        closed = widget.next()
        assert closed.name == "closed" and closed.json()["role"] == "system"
        assert console.next().name == "closed"
        assert stranger.quiet(0.5)  # another customer's session heard none of it
    # Back with the bot: a stock question gets the bot's answer.
    answer = ChatClient(front).say(who.token, "¿qué yipetas tienen?").json()
    assert answer["reply"]["source"] == "fallback" and answer["reply"]["vehicles"]


def test_last_event_id_resumes_the_stream(stack: Stack, front: str) -> None:
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    who = customer(front, ADP)
    with customer_stream(front, who) as widget:
        transfer(front, who)
        act(front, ana, who, "claim")
        first = widget.next()
        assert first.name == "joined" and first.id is not None
    # Offline meanwhile: two replies.
    for text in ("uno", "dos"):
        act(front, ana, who, "reply", {"message": text})
    with customer_stream(front, who, **{"Last-Event-ID": first.id}) as again:
        missed = [again.next(), again.next()]
        assert [e.json()["content"] for e in missed] == ["uno", "dos"]
        assert [int(e.id or 0) for e in missed] == [int(first.id) + 1, int(first.id) + 2]
        act(front, ana, who, "reply", {"message": "tres"})
        assert again.next().json()["content"] == "tres"


def test_a_quiet_stream_sends_heartbeats(stack: Stack) -> None:
    who = customer(stack.chatbot, ADP)
    with customer_stream(stack.chatbot, who) as widget:
        assert widget.quiet(2.5)
        assert widget.comments >= 2  # LIVE_HEARTBEAT_SECONDS=1


def test_an_ended_session_s_stream_ends(stack: Stack) -> None:
    who = customer(stack.chatbot, ADP)
    with customer_stream(stack.chatbot, who) as widget:
        response = httpx.post(
            f"{stack.chatbot}/api/chat/end", json={"sessionToken": who.token}, timeout=30
        )
        assert response.status_code == 200
        assert widget.ended(5)


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "9" * 19, "1; 2"])
def test_a_bad_last_event_id_is_a_422_naming_it(stack: Stack, front: str, value: str) -> None:
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    who = customer(front, ADP)
    for url, headers in (
        (f"{front}/api/chatbot/events", ana.headers),
        (f"{front}/api/chat/session/{who.token}/events", {}),
    ):
        response = httpx.get(url, headers=headers | {"Last-Event-ID": value}, timeout=10)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == "Last-Event-ID"


def test_an_unknown_or_ended_token_is_a_404(stack: Stack, front: str) -> None:
    unknown = httpx.get(f"{front}/api/chat/session/{'x' * 43}/events", timeout=10)
    assert unknown.status_code == 404
    who = customer(front, ADP)
    httpx.post(f"{front}/api/chat/end", json={"sessionToken": who.token}, timeout=30)
    ended = httpx.get(f"{front}/api/chat/session/{who.token}/events", timeout=10)
    assert ended.status_code == 404
    assert ended.json()["error"]["code"] == unknown.json()["error"]["code"]


def test_the_advisors_stream_needs_a_live_token(stack: Stack, front: str) -> None:
    assert httpx.get(f"{front}/api/chatbot/events", timeout=10).status_code == 401
    garbage = {"Authorization": "Bearer not-a-jwt"}
    assert httpx.get(f"{front}/api/chatbot/events", headers=garbage, timeout=10).status_code == 401
    ana = staff_login(front, stack.settings, Role.AGENT, ADP)
    logout = httpx.post(
        f"{stack.chatbot}/api/chatbot/auth/logout", json={}, headers=ana.cookie_headers
    )
    assert logout.status_code == 204
    refused = httpx.get(f"{front}/api/chatbot/events", headers=ana.headers, timeout=10)
    assert refused.status_code == 401


def test_a_stream_ends_when_its_login_does(stack: Stack) -> None:
    ana = staff_login(stack.chatbot, stack.settings, Role.AGENT, ADP)
    with advisor_stream(stack.chatbot, ana) as console:
        logout = httpx.post(
            f"{stack.chatbot}/api/chatbot/auth/logout", json={}, headers=ana.cookie_headers
        )
        assert logout.status_code == 204
        assert console.ended(5)  # checked on each heartbeat (1 s here)

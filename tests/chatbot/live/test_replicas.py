"""Two chatbot replicas sharing Redis: an event made on one reaches a client of the other, and
a client resumes on either with Last-Event-ID (skipped without Redis, failed under CI=true)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from bench.sse import Follower
from okla.chatbot.app import create_app
from okla.chatbot.auth import Role
from okla.chatbot.settings import ChatbotSettings
from tests.utils.chat import ChatClient, chat_settings
from tests.utils.live import RunningClock
from tests.utils.servers import serve
from tests.utils.staff import ADP, staff_login

pytestmark = pytest.mark.integration


@dataclass
class Replicas:
    first: str
    second: str
    settings: ChatbotSettings


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[Replicas]:
    tmp = tmp_path_factory.mktemp("replicas")
    settings = chat_settings(
        tmp, "http://127.0.0.1:9/v1", answer_mode="template", redis_url=redis_url
    )
    clock = RunningClock()
    with (
        serve(create_app(settings, demo_data=True, clock=clock)) as first,
        serve(create_app(settings, demo_data=True, clock=clock)) as second,
    ):
        yield Replicas(first, second, settings)


def test_an_event_made_on_one_replica_reaches_a_client_of_the_other(replicas: Replicas) -> None:
    ana = staff_login(replicas.second, replicas.settings, Role.AGENT, ADP)
    token = ChatClient(replicas.first).start(ADP)
    session_id = httpx.get(f"{replicas.first}/api/chat/session/{token}").json()["sessionId"]
    with (
        Follower(f"{replicas.first}/api/chat/session/{token}/events") as widget,
        Follower(f"{replicas.second}/api/chatbot/events", ana.headers) as console,
    ):
        moved = httpx.post(f"{replicas.first}/api/chat/transfer", json={"sessionToken": token})
        assert moved.status_code == 200
        assert console.next().json()["sessionId"] == session_id  # made on 1, heard on 2
        claim = httpx.post(
            f"{replicas.second}/api/chatbot/sessions/{session_id}/claim",
            json={},
            headers=ana.headers,
        )
        assert claim.status_code == 200
        joined = widget.next()
        assert joined.name == "joined" and joined.id is not None
    reply = httpx.post(
        f"{replicas.second}/api/chatbot/sessions/{session_id}/reply",
        json={"message": "¿Sigues ahí?"},
        headers=ana.headers,
    )
    assert reply.status_code == 200
    # The customer comes back on the other replica: it replays from Redis's log.
    headers = {"Last-Event-ID": joined.id}
    with Follower(f"{replicas.second}/api/chat/session/{token}/events", headers) as again:
        missed = again.next()
        assert (missed.name, missed.json()["content"]) == ("message", "¿Sigues ahí?")
        assert int(missed.id or 0) == int(joined.id) + 1

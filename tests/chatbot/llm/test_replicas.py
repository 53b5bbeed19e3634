"""Two LLM replicas behind the chatbot: a session sticks, fails over when one dies, and returns.

Real HTTP all the way: the chatbot service on a loopback port, two OpenAI-compatible stand-ins
each behind a TCP proxy the test cuts to take that replica down.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.chat import ChatClient, chat_settings, serve_chatbot
from tests.utils.servers import ScriptedLlm, TcpProxy, serve

pytestmark = pytest.mark.integration

ANSWER = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. ¿Te interesa?"
QUESTION = "¿Cuánto cuesta la Bronco Sport?"


class Replicas:
    """Two scripted LLMs, each behind its own proxy."""

    def __init__(self, llms: list[ScriptedLlm], proxies: list[TcpProxy]) -> None:
        self.llms = llms
        self.proxies = proxies

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{proxy.port}/v1" for proxy in self.proxies]

    def calls(self) -> list[int]:
        return [llm.calls for llm in self.llms]


@pytest.fixture
def replicas() -> Iterator[Replicas]:
    llms = [ScriptedLlm(reply=ANSWER), ScriptedLlm(reply=ANSWER)]
    with serve(llms[0].app()) as first, serve(llms[1].app()) as second:
        proxies = [TcpProxy(int(url.rsplit(":", 1)[1])) for url in (first, second)]
        try:
            yield Replicas(llms, proxies)
        finally:
            for proxy in proxies:
                proxy.close()


def routed(url: str) -> dict[tuple[str, str], float]:
    text = httpx.get(f"{url}/metrics").text
    pattern = r'okla_chat_llm_routed_total\{replica="([^"]+)",route="([^"]+)"\} ([0-9.]+)'
    return {(r, route): float(v) for r, route, v in re.findall(pattern, text)}


def test_a_session_sticks_fails_over_and_comes_back(tmp_path: Path, replicas: Replicas) -> None:
    settings = chat_settings(
        tmp_path,
        ",".join(replicas.urls),
        breaker_failure_threshold=1,
        breaker_cooldown_seconds=4,  # long enough to look at it open on a busy machine
    )
    with serve_chatbot(settings) as url:
        chat = ChatClient(url)
        token = chat.start()

        def say() -> int:
            """Send the question; return the replica that answered it."""
            before = replicas.calls()
            reply = chat.say(token, QUESTION).json()["reply"]
            assert reply["source"] == "model", reply
            after = replicas.calls()
            moved = [i for i in (0, 1) if after[i] > before[i]]
            assert len(moved) == 1, (before, after)
            return moved[0]

        home = say()
        assert [say() for _ in range(3)] == [home] * 3, "every turn to the same replica"
        other = 1 - home

        replicas.proxies[home].cut()
        # The turn isn't lost: refused at home, it goes to the other replica at once.
        assert say() == other
        assert say() == other, "its breaker open, the home replica is skipped"
        health = httpx.get(f"{url}/api/chat/health").json()
        assert health["status"] == "ok", "ready while one replica is"
        assert health["llm"]["status"] == "up"
        # LLM_CONCURRENCY is per replica.
        assert health["answerMode"]["llmSlots"] == 2 * settings.llm_concurrency
        states = {r["url"]: (r["status"], r["breaker"]) for r in health["llm"]["replicas"]}
        assert states[replicas.urls[other]] == ("up", "closed")
        assert states[replicas.urls[home]][0] == "down"
        assert states[replicas.urls[home]][1] in ("open", "half_open")  # half-open once cooled
        counts = routed(url)
        assert counts[(replicas.urls[home], "home")] == 5
        assert counts[(replicas.urls[other], "spill_down")] == 2

        replicas.proxies[home].restore()
        time.sleep(settings.breaker_cooldown_seconds + 0.2)
        assert say() == home, "healed: the session goes home again"
        assert say() == home
        assert httpx.get(f"{url}/api/chat/health").json()["circuitBreaker"]["state"] == "closed"


def test_the_service_is_down_only_when_every_replica_is(tmp_path: Path, replicas: Replicas) -> None:
    settings = chat_settings(tmp_path, ",".join(replicas.urls), breaker_failure_threshold=1)
    with serve_chatbot(settings) as url:
        for proxy in replicas.proxies:
            proxy.cut()
        chat = ChatClient(url)
        reply = chat.say(chat.start(), QUESTION).json()["reply"]
        assert reply["source"] == "fallback" and "RD$2,700,000" in reply["content"]
        health = httpx.get(f"{url}/api/chat/health").json()
        assert health["llm"]["status"] == "down"
        assert health["circuitBreaker"]["state"] == "open"
        assert [r["status"] for r in health["llm"]["replicas"]] == ["down", "down"]


def test_a_replica_that_hangs_is_left_after_the_first_token_timeout(
    tmp_path: Path, replicas: Replicas
) -> None:
    settings = chat_settings(
        tmp_path,
        ",".join(replicas.urls),
        breaker_failure_threshold=1,
        breaker_cooldown_seconds=60,
        llm_first_token_seconds=1,
    )
    with serve_chatbot(settings) as url:
        chat = ChatClient(url)
        token = chat.start()
        assert chat.say(token, QUESTION).json()["reply"]["source"] == "model"
        home = 0 if replicas.calls()[0] else 1
        replicas.llms[home].mode = "hang"  # accepts the request, never sends a token
        # This turn waits out the first-token timeout and gets the stock's answer ...
        assert chat.say(token, QUESTION).json()["reply"]["source"] == "fallback"
        # ... and the timeout counts against the replica that hung, not the other one.
        replicas_health = httpx.get(f"{url}/api/chat/health").json()["llm"]["replicas"]
        breakers = {r["url"]: r["breaker"] for r in replicas_health}
        assert breakers == {replicas.urls[home]: "open", replicas.urls[1 - home]: "closed"}
        before = replicas.calls()
        assert chat.say(token, QUESTION).json()["reply"]["source"] == "model"
        assert replicas.calls()[1 - home] == before[1 - home] + 1
        assert replicas.calls()[home] == before[home], "the hung replica is skipped"

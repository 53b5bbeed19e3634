"""The LLM circuit breaker: opens on failures, closes by itself, never needs a restart."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from okla.chatbot.llm.breaker import CircuitBreaker
from tests.utils.chat import ChatApi, chat_settings, serve_chat_api
from tests.utils.live import RunningClock
from tests.utils.servers import ScriptedLlm


def state(breaker: CircuitBreaker) -> str:
    return breaker.state


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_threshold_and_probes_after_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown_seconds=30, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert state(breaker) == "closed"
    assert breaker.allow()
    breaker.record_failure()
    assert state(breaker) == "open"
    assert not breaker.allow()
    clock.now += 29
    assert not breaker.allow()
    clock.now += 1
    assert state(breaker) == "half_open"
    assert breaker.allow(), "one probe goes through"
    assert not breaker.allow(), "only one probe at a time"
    breaker.record_success()
    assert state(breaker) == "closed"
    assert breaker.allow()


def test_a_failed_probe_opens_again_for_a_full_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown_seconds=10, clock=clock)
    breaker.record_failure()
    clock.now += 10
    assert breaker.allow()
    breaker.record_failure()
    assert state(breaker) == "open"
    assert breaker.seconds_until_probe() == pytest.approx(10)
    assert breaker.times_opened == 2


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(threshold=3, cooldown_seconds=10, clock=Clock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert state(breaker) == "closed"


@pytest.mark.integration
def test_service_keeps_answering_while_the_llm_fails_and_recovers(
    tmp_path: Path, scripted: tuple[ScriptedLlm, str]
) -> None:
    llm, llm_url = scripted
    # A cooldown long enough that a loaded machine still finds the breaker open while it
    # checks that it is (1 s ran out between the failures and the look).
    settings = chat_settings(tmp_path, llm_url, breaker_cooldown_seconds=6)
    with serve_chat_api(settings, llm, RunningClock()) as chat_api:
        _fails_and_recovers(chat_api)


def _fails_and_recovers(chat_api: ChatApi) -> None:
    token = chat_api.start()
    chat_api.llm.mode = "error"
    for _ in range(4):
        response = chat_api.say(token, "¿Qué yipetas tienen?")
        assert response.status_code == 200
        reply = response.json()["reply"]
        assert reply["source"] == "fallback"
        assert reply["vehicles"]
        assert "asesor" in reply["content"]
    health = httpx.get(f"{chat_api.url}/api/chat/health").json()
    assert health["circuitBreaker"]["state"] == "open"
    metrics = httpx.get(f"{chat_api.url}/metrics").text
    assert "okla_chat_llm_breaker_state 2.0" in metrics
    calls = chat_api.llm.calls
    chat_api.say(token, "¿Y camionetas?")
    assert chat_api.llm.calls == calls, "an open breaker sends nothing to the LLM"

    chat_api.llm.mode = "reply"
    chat_api.llm.reply = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. ¿Te interesa?"
    time.sleep(chat_api.settings.breaker_cooldown_seconds + 0.2)
    reply = chat_api.say(token, "¿Cuánto cuesta la Bronco Sport?").json()["reply"]
    assert reply["source"] == "model"
    assert httpx.get(f"{chat_api.url}/api/chat/health").json()["circuitBreaker"]["state"] == (
        "closed"
    )


@pytest.mark.integration
def test_a_hanging_llm_ends_at_the_timeout_with_a_fallback(chat_api: ChatApi) -> None:
    chat_api.llm.mode = "hang"
    began = time.monotonic()
    response = chat_api.say(chat_api.start(), "¿Qué yipetas tienen?")
    elapsed = time.monotonic() - began
    assert response.status_code == 200
    assert response.json()["reply"]["source"] == "fallback"
    assert response.json()["reply"]["vehicles"]
    assert elapsed < chat_api.settings.llm_timeout_seconds + 5


@pytest.mark.integration
def test_a_model_slow_to_start_is_not_waited_for(
    tmp_path: Path, scripted: tuple[ScriptedLlm, str]
) -> None:
    llm, llm_url = scripted
    llm.delay = 2.0
    llm.reply = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. ¿Te interesa?"
    settings = chat_settings(tmp_path, llm_url, llm_first_token_seconds=0.5)
    with serve_chat_api(settings, llm) as api:
        reply = api.say(api.start(), "¿Cuánto cuesta la Bronco Sport?").json()["reply"]
        # The scripted reply would pass every check: only the deadline makes it a fallback.
        assert reply["source"] == "fallback"
        assert "RD$2,700,000" in reply["content"]
        metrics = httpx.get(f"{api.url}/metrics").text
        assert 'okla_chat_llm_calls_total{outcome="timeout"} 1.0' in metrics

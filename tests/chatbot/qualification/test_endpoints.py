"""The answer mode over HTTP: the exam at startup, POST /api/chatbot/llm/qualify, health and
metrics."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from okla.chatbot.auth import Role
from tests.utils.chat import ChatApi, ChatClient, chat_settings, serve_chat_api, serve_chatbot
from tests.utils.grounded import GroundedLlm
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.staff import staff_login

pytestmark = pytest.mark.integration

QUALIFY = "/api/chatbot/llm/qualify"
REPORT = "/api/chatbot/llm/qualification"
GOOD = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. ¿Te gustaría verla?"


def health(api: ChatClient) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{api.url}/api/chat/health").json()
    return body


def gauge(api: ChatClient, name: str) -> float:
    """Read one sample of /metrics (0 if it has none yet, as a counter not yet counted)."""
    metrics = httpx.get(f"{api.url}/metrics").text
    found = re.search(rf"^{re.escape(name)} (\S+)$", metrics, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def settled(api: ChatClient, timeout: float = 30) -> dict[str, Any]:
    """Wait for the running exam to end; return the health report's answer mode."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mode: dict[str, Any] = health(api)["answerMode"]
        if not mode["qualification"]["running"] and "verdict" in mode["qualification"]:
            return mode
        time.sleep(0.1)
    raise AssertionError("the exam did not end")


def test_auto_examines_the_model_at_startup_and_answers_from_templates_meanwhile(
    tmp_path: Path,
) -> None:
    # The exam takes a few seconds: customers don't wait for it.
    llm = GroundedLlm(delay=0.02, straying=True)
    with serve(llm.app()) as llm_url:
        settings = chat_settings(tmp_path, f"{llm_url}/v1", answer_mode="auto")
        with serve_chatbot(settings) as url:
            api = ChatClient(url)
            mode = health(api)["answerMode"]
            assert mode["setting"] == "auto" and mode["inEffect"] == "template"
            assert mode["qualification"]["running"]
            calls = len(llm.calls)
            began = time.monotonic()
            reply = api.say(api.start(), "¿Qué yipetas tienen?").json()["reply"]
            assert time.monotonic() - began < 1
            assert reply["source"] == "fallback" and reply["vehicles"]
            assert len(llm.calls) <= calls + 2, "only the exam calls the model"
            mode = settled(api)
            assert mode["inEffect"] == "template"
            exam = mode["qualification"]
            assert exam["verdict"] == "failed"
            assert (exam["passed"], exam["total"], exam["passRate"]) == (0, 20, 0.0)
            assert exam["model"] == "grounded" and exam["threshold"] == 0.8
            assert exam["seconds"] > 0 and exam["finishedAt"] >= exam["startedAt"]
            assert "turns" not in exam, "the health route has the summary, the admin route all"
            assert gauge(api, "okla_chat_llm_model_enabled") == 0.0
            assert gauge(api, "okla_chat_llm_qualification_pass_rate") == 0.0
            assert gauge(api, "okla_chat_llm_qualification_timestamp_seconds") > 1.7e9
            assert gauge(api, 'okla_chat_llm_qualification_runs_total{verdict="failed"}') == 1.0
            assert gauge(api, 'okla_chat_llm_calls_total{outcome="unqualified"}') == 1.0
            # Better words, examined again on demand: the model's prose is used from then on.
            llm.straying, llm.delay = False, 0.0
            operator = staff_login(url, settings, Role.ADMIN, None).headers
            response = httpx.post(f"{url}{QUALIFY}", json={}, headers=operator, timeout=60)
            assert response.status_code == 200
            assert response.json()["qualification"]["verdict"] == "passed"
            assert response.json()["inEffect"] == "model"
            assert gauge(api, "okla_chat_llm_model_enabled") == 1.0
            reply = api.say(api.start(), "¿Cuánto cuesta la Bronco Sport?").json()["reply"]
            assert reply["source"] == "model"


def test_the_health_report_keeps_its_keys_and_adds_the_answer_mode(chat_api: ChatApi) -> None:
    body = health(chat_api)
    assert set(body) == {"status", "database", "cache", "llm", "circuitBreaker", "answerMode"}
    mode = body["answerMode"]
    assert mode["setting"] == mode["inEffect"] == "model"
    assert (mode["llmSlots"], mode["llmSlotsInUse"]) == (4, 0)
    assert mode["qualification"]["threshold"] == 0.8


def test_qualify_examines_question_by_question(chat_api: ChatApi) -> None:
    operator = staff_login(chat_api.url, chat_api.settings, Role.ADMIN, None).headers
    response = httpx.post(f"{chat_api.url}{QUALIFY}", json={}, headers=operator, timeout=60)
    assert response.status_code == 200
    body = response.json()
    assert body["setting"] == body["inEffect"] == "model", "ANSWER_MODE=model stays so"
    exam = body["qualification"]
    assert exam["verdict"] == "failed" and exam["total"] == len(exam["turns"]) == 20
    turn = exam["turns"][0]
    assert set(turn) == {"topic", "question", "outcome", "passed", "problems", "seconds"}
    assert turn["outcome"] == "ok" and not turn["passed"] and "no_answer" in turn["problems"]
    assert {t["topic"] for t in exam["turns"]} >= {"body", "model", "budget", "english"}
    assert httpx.get(f"{chat_api.url}{REPORT}", headers=operator).json() == body


def test_a_long_exam_answers_202_and_a_second_call_joins_it(chat_api: ChatApi) -> None:
    chat_api.llm.delay = 0.15
    runs_before = gauge(chat_api, 'okla_chat_llm_qualification_runs_total{verdict="failed"}')
    operator = staff_login(chat_api.url, chat_api.settings, Role.ADMIN, None).headers
    headers = {"X-Request-Timeout": "1.5", **operator}
    began = time.monotonic()
    first = httpx.post(f"{chat_api.url}{QUALIFY}", json={}, headers=headers, timeout=10)
    assert time.monotonic() - began < 1.5, "answered before the caller's deadline"
    assert first.status_code == 202
    assert first.headers["location"] == REPORT
    assert first.json()["qualification"]["running"]
    second = httpx.post(f"{chat_api.url}{QUALIFY}", json={}, headers=headers, timeout=10)
    assert second.status_code == 202
    # Without a deadline the call waits for the same exam to end.
    finished = httpx.post(f"{chat_api.url}{QUALIFY}", json={}, headers=operator, timeout=60)
    assert finished.status_code == 200
    assert not finished.json()["qualification"]["running"]
    runs = gauge(chat_api, 'okla_chat_llm_qualification_runs_total{verdict="failed"}')
    assert runs == runs_before + 1, "one exam for the three calls"


def test_template_mode_never_calls_the_model(
    tmp_path: Path, scripted: tuple[ScriptedLlm, str]
) -> None:
    llm, llm_url = scripted
    llm.reply = GOOD
    with serve_chat_api(chat_settings(tmp_path, llm_url, answer_mode="template"), llm) as api:
        calls = llm.calls
        token = api.start()
        with api.stream(token, "¿Cuánto cuesta la Bronco Sport?") as response:
            events = [line for line in response.iter_lines() if line.startswith("event:")]
        assert events.count("event: delta") > 1, "the template streams in pieces"
        reply = api.say(token, "¿Qué yipetas tienen?").json()["reply"]
        assert reply["source"] == "fallback" and reply["vehicles"]
        assert llm.calls == calls
        mode = health(api)["answerMode"]
        assert mode["setting"] == mode["inEffect"] == "template"
        assert gauge(api, 'okla_chat_llm_calls_total{outcome="template_mode"}') == 2.0
        assert gauge(api, "okla_chat_llm_model_enabled") == 0.0

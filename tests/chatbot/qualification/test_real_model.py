"""The bundled model sits the exam: its Spanish is too poor to pass, so templates answer."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.processes import ServerProcess
from okla.chatbot.auth import Role
from tests.utils.chat import ChatClient, chat_settings, serve_chatbot
from tests.utils.staff import staff_login

pytestmark = pytest.mark.integration
logger = logging.getLogger(__name__)


# The exam is 20 real-model turns: minutes on a loaded machine, beyond the suite's default.
@pytest.mark.timeout(1500)
def test_the_bundled_model_fails_its_exam(tmp_path: Path, llm_server: ServerProcess) -> None:
    # The machine the tests share may be slow: the exam grades the model's words here, not
    # its speed, so it is given time.
    settings = chat_settings(
        tmp_path,
        f"{llm_server.url}/v1",
        answer_mode="auto",
        llm_timeout_seconds=120,
        llm_first_token_seconds=60,
        qualify_timeout_seconds=900,
    )
    with serve_chatbot(settings) as url:
        client = ChatClient(url, reply_timeout=10)
        reply = client.say(client.start(), "¿Qué yipetas tienen?").json()["reply"]
        answered_at = datetime.now(UTC)
        assert reply["source"] == "fallback" and reply["vehicles"]
        deadline = time.monotonic() + settings.qualify_timeout_seconds + 30
        while True:
            operator = staff_login(url, settings, Role.ADMIN, None).headers
            report: dict[str, Any] = httpx.get(
                f"{url}/api/chatbot/llm/qualification", headers=operator
            ).json()
            if not report["qualification"]["running"]:
                break
            assert time.monotonic() < deadline, "the exam outlasted its bound"
            time.sleep(1)
    exam = report["qualification"]
    turns = exam.pop("turns")
    # Shown with `pytest -o log_cli=true`: the model's real pass rate and where it failed.
    logger.info("The bundled model's exam: %s", exam)
    for turn in turns:
        logger.info(
            "%5s %-9s %s %s", turn["passed"], turn["outcome"], turn["question"], turn["problems"]
        )
    # The templates answered while the model sat its exam, not after it.
    assert datetime.fromisoformat(exam["finishedAt"]) > answered_at
    assert exam["model"] == "smollm2"
    assert exam["total"] == settings.qualify_turns and exam["error"] is None
    assert exam["seconds"] <= settings.qualify_timeout_seconds + 5
    assert exam["verdict"] == "failed"
    assert report["inEffect"] == "template"

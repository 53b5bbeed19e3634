"""A slow model never turns into the gateway's 504: the chatbot answers within its deadline."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from okla.gateway.app import create_app as create_gateway
from okla.gateway.settings import DEFAULT_ROUTES, GatewaySettings
from tests.utils.chat import ChatClient, chat_settings, serve_chatbot
from tests.utils.servers import ScriptedLlm, serve

pytestmark = pytest.mark.integration

GATEWAY_TIMEOUT = 4.0


@pytest.fixture(scope="module")
def customer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ChatClient, ScriptedLlm]]:
    tmp = tmp_path_factory.mktemp("deadline")
    llm = ScriptedLlm()
    # The model's own limits are far beyond the gateway's: only the deadline can save the reply.
    with serve(llm.app()) as llm_url:
        settings = chat_settings(
            tmp,
            f"{llm_url}/v1",
            llm_timeout_seconds=120,
            llm_first_token_seconds=120,
            reply_margin_seconds=1.5,
        )
        with serve_chatbot(settings) as chat_url:
            routes = json.loads(DEFAULT_ROUTES.read_text())
            for route in routes["routes"]:
                if route["upstream"] == "/api/chat/message":
                    route["timeout"] = GATEWAY_TIMEOUT
            file = Path(tmp) / "routes.json"
            file.write_text(json.dumps(routes))
            gateway = GatewaySettings(routes_file=file, chatbot_url=chat_url)
            with serve(create_gateway(gateway)) as url:
                yield ChatClient(url, reply_timeout=30), llm


def test_a_model_that_never_answers_gets_the_stock_answer(
    customer: tuple[ChatClient, ScriptedLlm],
) -> None:
    client, llm = customer
    llm.mode = "hang"
    began = time.monotonic()
    response = client.say(client.start(), "¿Qué yipetas tienen?")
    took = time.monotonic() - began
    assert response.status_code == 200, response.text
    reply = response.json()["reply"]
    assert reply["source"] == "fallback"
    assert reply["vehicles"]
    assert took < GATEWAY_TIMEOUT


def test_a_model_too_slow_to_finish_is_cut_in_time(
    customer: tuple[ChatClient, ScriptedLlm],
) -> None:
    client, llm = customer
    llm.mode = "reply"
    llm.reply = " ".join(["Tenemos la Ford Bronco Sport 2024 por RD$2,700,000."] * 40)
    llm.delay = 0.1  # 400 words at 10 a second: far longer than the gateway waits
    response = client.say(client.start(), "¿Qué yipetas tienen?")
    assert response.status_code == 200, response.text
    assert response.json()["reply"]["vehicles"]
    assert llm.sent < 100, "the model's request was closed when the deadline came"

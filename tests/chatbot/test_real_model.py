"""The chatbot on the real bundled model: whatever the model writes, the facts are right."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from okla.chatbot.app import create_app
from tests.chatbot.conftest import chat_settings
from tests.conftest import ServerProcess
from tests.servers import serve

pytestmark = pytest.mark.integration

QUESTIONS = [
    "¿Qué vehículos tienes?",
    "¿Qué yipetas tienen de menos de 3 millones?",
    "Busco una camioneta diésel",
    "¿Cuánto cuesta la Kia Carnival?",
    "What SUVs do you have under 2M?",
]


@pytest.fixture(scope="module")
def real_api(tmp_path_factory: pytest.TempPathFactory, llm_server: ServerProcess) -> Iterator[str]:
    settings = chat_settings(
        tmp_path_factory.mktemp("real"), f"{llm_server.url}/v1", llm_timeout_seconds=60
    )
    with serve(create_app(settings, demo_data=True)) as url:
        yield url


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_price_shown_is_a_card_price(real_api: str, question: str) -> None:
    start = httpx.post(f"{real_api}/api/chat/start", json={"sessionType": "WebChat"}).json()
    response = httpx.post(
        f"{real_api}/api/chat/message",
        json={"sessionToken": start["sessionToken"], "message": question},
        timeout=120,
    )
    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply["source"] in ("model", "fallback")
    assert reply["vehicles"]
    card_prices = {c["price"] for c in reply["vehicles"]}
    shown = {int(p.replace(",", "")) for p in re.findall(r"RD\$\s?([\d,]{5,})", reply["content"])}
    assert shown <= card_prices
    makes = {c["make"] for c in reply["vehicles"]}
    for make in ("Ferrari", "Tesla", "Lamborghini", "Porsche"):
        if make not in makes:
            assert make not in reply["content"]

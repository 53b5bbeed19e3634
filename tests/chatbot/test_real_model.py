"""The chatbot on the real bundled model: whatever the model writes, the facts are right."""

from __future__ import annotations

import re

import pytest

from tests.utils.chat import ChatClient

pytestmark = pytest.mark.integration

QUESTIONS = [
    "¿Qué vehículos tienes?",
    "¿Qué yipetas tienen de menos de 3 millones?",
    "Busco una camioneta diésel",
    "¿Cuánto cuesta la Kia Carnival?",
    "What SUVs do you have under 2M?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_price_shown_is_a_card_price(model_chat: ChatClient, question: str) -> None:
    response = model_chat.say(model_chat.start(), question)
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

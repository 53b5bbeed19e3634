"""A stand-in for a capable model: it answers from the vehicles in its prompt, in the customer's
language, so its replies pass the guard (the qualification exam's "good model")."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass

from okla.chatbot.llm.client import LlmMessage, LlmProbe
from okla.chatbot.text.language import detect_language

# "1. Toyota RAV4 2023 XLE — RD$2,650,000 (SUV, gasolina, automática, 12,000 km)"
_FIRST_VEHICLE = re.compile(r"^1\. (?P<name>.+?) (?P<year>(?:19|20)\d\d)\b.*? — (?P<price>\S+)", re.M)


def grounded_reply(messages: Sequence[LlmMessage]) -> str:
    """Recommend the first vehicle of the prompt, with its price, in the question's language."""
    prompt = messages[-1]["content"]
    question = prompt.split("\n\n", 1)[0]
    found = _FIRST_VEHICLE.search(prompt)
    if found is None:
        return "No veo vehículos en la lista."
    name, year, price = found["name"], found["year"], found["price"]
    if detect_language(question) == "en":
        return f"I recommend the {name} {year}, priced at {price}. It is a great choice for you."
    return f"Te recomiendo la {name} {year}, que cuesta {price}. Es una excelente opción para ti."


@dataclass
class GroundedLlm:
    """A ChatModel whose replies stick to the vehicles it is given."""

    delay: float = 0.0  # seconds before each word
    calls: int = 0
    running: int = 0
    most_at_once: int = 0

    async def stream(
        self, messages: Sequence[LlmMessage], *, max_tokens: int, temperature: float
    ) -> AsyncGenerator[str]:
        """Stream the reply a word at a time."""
        self.calls += 1
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            for i, word in enumerate(grounded_reply(messages).split(" ")):
                await asyncio.sleep(self.delay)
                yield word if i == 0 else " " + word
        finally:
            self.running -= 1

    async def probe(self) -> LlmProbe:
        """Answer the health check."""
        return LlmProbe(up=True, models=("grounded",))

    async def close(self) -> None:
        """Nothing to release."""

"""A stand-in for a capable model: it answers from the vehicles in its prompt, in the customer's
language, so its replies pass the guard (the qualification exam's "good model")."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse

from okla.chatbot.llm.client import LlmMessage, LlmProbe
from okla.chatbot.text.language import detect_language
from tests.utils.fakes import FakeLlm

# "1. Toyota RAV4 2023 XLE — RD$2,650,000 (SUV, gasolina, automática, 12,000 km)"
_FIRST_VEHICLE = re.compile(
    r"^1\. (?P<name>.+?) (?P<year>(?:19|20)\d\d)\b.*? — (?P<price>\S+)", re.MULTILINE
)


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


# What a model that strays writes: another language, no vehicle of the list.
STRAYING = "We have many cars. The Honda is a great choice for you today."


@dataclass
class GroundedLlm(FakeLlm):
    """A fake LLM whose replies stick to the vehicles it is given (unless told to stray)."""

    straying: bool = False
    running: int = 0
    most_at_once: int = 0

    def written(self, messages: Sequence[LlmMessage]) -> str:
        """Return the reply to these messages."""
        return STRAYING if self.straying else grounded_reply(messages)

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,
    ) -> AsyncGenerator[str]:
        """Stream the reply a word at a time."""
        self.calls.append(list(messages))
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            for i, word in enumerate(self.written(messages).split(" ")):
                await asyncio.sleep(self.delay)
                yield word if i == 0 else " " + word
        finally:
            self.running -= 1

    async def probe(self) -> LlmProbe:
        """Answer the health check."""
        return LlmProbe(up=True, models=("grounded",))

    def app(self) -> FastAPI:
        """Serve the same replies as an OpenAI-compatible LLM."""
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> JSONResponse:
            model = {"id": "grounded", "object": "model", "created": 0, "owned_by": "t"}
            return JSONResponse({"object": "list", "data": [model]})

        @app.post("/v1/chat/completions")
        async def complete(body: dict[str, Any]) -> StreamingResponse:
            messages: list[LlmMessage] = body["messages"]

            async def events() -> AsyncIterator[str]:
                async for text in self.stream(messages, max_tokens=0, temperature=0):
                    yield _chunk({"content": text}, None)
                yield _chunk({}, "stop") + "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        return app


def _chunk(delta: dict[str, str], finish: str | None) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    chunk = {"id": "g", "object": "chat.completion.chunk", "created": 0, "model": "grounded"}
    return f"data: {json.dumps(chunk | {'choices': [choice]})}\n\n"

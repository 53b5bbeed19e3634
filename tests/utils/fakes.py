"""In-process stand-ins for the chatbot's dependencies: an LLM whose replies a test scripts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from okla.chatbot.llm.client import LlmMessage, LlmProbe, LlmUnavailableError


class FakeMode(StrEnum):
    """How the fake LLM behaves on its next calls."""

    REPLY = "reply"  # stream `reply`, a word at a time
    ERROR = "error"  # fail before the first token, as a server error would
    FAIL_AFTER = "fail_after"  # stream `fail_after` words of `reply`, then fail
    HANG = "hang"  # never send a token


@dataclass
class FakeLlm:
    """A ChatModel that streams a scripted reply and records what it was sent."""

    reply: str = "Hola."
    mode: FakeMode = FakeMode.REPLY
    fail_after: int = 0
    delay: float = 0.0  # seconds before each word
    calls: list[list[LlmMessage]] = field(default_factory=list)
    affinities: list[str | None] = field(default_factory=list)  # each call's, in order
    words_sent: int = 0  # words of the last reply streamed before it ended or was closed
    closed_early: bool = False  # the caller closed the last stream before its end

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,
    ) -> AsyncGenerator[str]:
        """Stream the scripted reply."""
        self.calls.append(list(messages))
        self.affinities.append(affinity)
        self.words_sent = 0
        self.closed_early = False
        if self.mode == FakeMode.ERROR:
            raise LlmUnavailableError("HTTP 500: boom")
        if self.mode == FakeMode.HANG:
            await asyncio.sleep(3600)
        words = self.reply.split(" ")
        finished = False
        try:
            for i, word in enumerate(words):
                if self.mode == FakeMode.FAIL_AFTER and i == self.fail_after:
                    raise LlmUnavailableError("cannot connect: reset by peer")
                if self.delay:
                    await asyncio.sleep(self.delay)
                self.words_sent = i + 1
                yield word if i == 0 else " " + word
            finished = True
        finally:
            self.closed_early = not finished and self.mode == FakeMode.REPLY

    async def probe(self) -> LlmProbe:
        """Answer the health check."""
        if self.mode == FakeMode.ERROR:
            return LlmProbe(up=False, error="HTTP 500: boom")
        return LlmProbe(up=True, models=("fake",))

    async def close(self) -> None:
        """Nothing to release."""

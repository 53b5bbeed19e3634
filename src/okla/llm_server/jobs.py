"""A generation request as the engine sees it: sampling parameters, events, the job itself."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Literal

FinishReason = Literal["stop", "length", "cancelled"]


@dataclass(frozen=True)
class SamplingParams:
    """How to sample one reply."""

    max_tokens: int
    temperature: float = 0.7
    top_p: float = 1.0
    seed: int | None = None
    stop: tuple[str, ...] = ()
    logit_bias: tuple[tuple[int, float], ...] = ()
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0


@dataclass(frozen=True)
class TextEvent:
    """New text of the reply."""

    text: str


@dataclass(frozen=True)
class FinishEvent:
    """The reply is complete."""

    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int


@dataclass(frozen=True)
class ErrorEvent:
    """Generation failed inside llama.cpp."""

    message: str


Event = TextEvent | FinishEvent | ErrorEvent


class GenerationJob:
    """One request's generation: queued, then decoded on the engine thread, streamed back."""

    def __init__(
        self,
        prompt_tokens: list[int],
        params: SamplingParams,
        loop: asyncio.AbstractEventLoop,
        anchor: int | None = None,
    ) -> None:
        self.prompt_tokens = prompt_tokens
        # Where the first customer message ends: a cached slot reaching it is this chat's.
        self.anchor = anchor
        self.params = params
        self.loop = loop
        self.enqueued_at = time.perf_counter()
        self.started_at: float | None = None
        self.first_token_at: float | None = None
        self.finished_at: float | None = None
        self.completion_tokens = 0
        self.cached_tokens = 0
        # Events cross from the engine thread in a locked list; the loop is woken once per
        # batch of events, not once per token, so a busy loop doesn't slow generation down.
        self._inbox: list[Event] = []
        self._inbox_lock = threading.Lock()
        self._wake_pending = False
        # Set when events may have arrived: a bare future, cheaper to wake than an
        # asyncio.Event, which a reply wakes once per token.
        self._arrived: asyncio.Future[None] | None = None
        self._cancelled = threading.Event()
        self.on_cancel: Callable[[GenerationJob], None] | None = None

    @property
    def cancelled(self) -> bool:
        """Tell whether the client went away."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop this generation at the next decode step, or drop it from the queue."""
        if self._cancelled.is_set():
            return
        self._cancelled.set()
        if self.on_cancel is not None:
            self.on_cancel(self)

    def finish_unstarted(self) -> None:
        """End a job that never reached a slot (called on the event loop)."""
        with self._inbox_lock:
            self._inbox.append(FinishEvent("cancelled", len(self.prompt_tokens), 0, 0))
        self._wake()

    def emit(self, event: Event) -> None:
        """Hand an event from the engine thread to the request's event loop."""
        with self._inbox_lock:
            self._inbox.append(event)
            if self._wake_pending:
                return
            self._wake_pending = True
        self.loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        arrived = self._arrived
        if arrived is not None and not arrived.done():
            arrived.set_result(None)

    def _take(self) -> list[Event]:
        with self._inbox_lock:
            batch, self._inbox = self._inbox, []
            self._wake_pending = False
            if not batch:
                # Made under the lock: an event emitted after this wakes it.
                self._arrived = self.loop.create_future()
        return batch

    async def events(self) -> AsyncIterator[Event]:
        """Yield the reply's events until it finishes or fails."""
        while True:
            batch = self._take()
            if not batch:
                assert self._arrived is not None
                await self._arrived
                continue
            for event in batch:
                yield event
                if not isinstance(event, TextEvent):
                    return

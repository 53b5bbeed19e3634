"""What happened while a reply was composed, stored beside it for the people who run the bot."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from okla.chatbot.inventory.domain import VehicleQuery
from okla.chatbot.inventory.query import Intent


class LlmOutcome(StrEnum):
    """How the call to the model ended."""

    OK = "ok"
    ABANDONED = "abandoned"  # given up on as off course; the template answered
    ERROR = "error"
    TIMEOUT = "timeout"
    BREAKER_OPEN = "breaker_open"  # not called: the model failed too often lately


@dataclass(frozen=True)
class Trace:
    """The understanding behind a reply and how the model fared with it."""

    intents: frozenset[Intent] = frozenset()
    query: VehicleQuery | None = None  # None: this turn leaves the saved search as it was
    handoff: bool = False
    llm: LlmOutcome | None = None
    llm_error: str | None = None
    guard: tuple[str, ...] = ()
    repaired: bool | None = None

    def called(self, outcome: LlmOutcome, error: str | None = None) -> Trace:
        """Return the trace with the model call's outcome."""
        return replace(self, llm=outcome, llm_error=error)

    def checked(self, guard: tuple[str, ...], repaired: bool | None) -> Trace:
        """Return the trace with the guard's verdict on the model's reply."""
        return replace(self, guard=guard, repaired=repaired)

    def to_json(self) -> dict[str, object]:
        """Return the form stored in the reply's `details` column."""
        stored: dict[str, object] = {"transfer": self.handoff}
        if self.query is not None:
            stored["query"] = self.query.to_json()
            stored["intents"] = sorted(self.intents)
        if self.llm is not None:
            stored["llm"] = self.llm.value
        if self.llm_error is not None:
            stored["llmError"] = self.llm_error
        if self.guard:
            stored["guard"] = list(self.guard)
        if self.repaired is not None:
            stored["repaired"] = self.repaired
        return stored

"""What happened while a reply was composed, stored beside it for the people who run the bot."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from okla.chatbot.inventory.domain import VehicleQuery
from okla.chatbot.reply.guard import Problem
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.intents import Intent


class LlmOutcome(StrEnum):
    """How the call to the model ended."""

    OK = "ok"
    ABANDONED = "abandoned"  # given up on as off course; the template answered
    ERROR = "error"
    TIMEOUT = "timeout"
    BREAKER_OPEN = "breaker_open"  # not called: the model failed too often lately
    BUSY = "busy"  # not called, or refused at once: no LLM slot was free
    TEMPLATE_MODE = "template_mode"  # not called: ANSWER_MODE=template
    UNQUALIFIED = "unqualified"  # not called: ANSWER_MODE=auto, the model not (yet) qualified


@dataclass(frozen=True)
class Trace:
    """The understanding behind a reply and how the model fared with it."""

    intents: frozenset[Intent] = frozenset()
    query: VehicleQuery | None = None  # what this turn asked for, if it was a search
    dialogue: DialogueState | None = None  # the state after this turn (None: unchanged)
    handoff: bool = False
    llm: LlmOutcome | None = None
    llm_error: str | None = None
    problems: tuple[Problem, ...] = ()  # what the guard found in the model's reply
    repaired: bool | None = None

    def called(self, outcome: LlmOutcome, error: str | None = None) -> Trace:
        """Return the trace with the model call's outcome."""
        return replace(self, llm=outcome, llm_error=error)

    def checked(self, problems: tuple[Problem, ...], repaired: bool | None) -> Trace:
        """Return the trace with the guard's verdict on the model's reply."""
        return replace(self, problems=problems, repaired=repaired)

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
        if self.problems:
            stored["guard"] = [problem.to_json() for problem in self.problems]
        if self.repaired is not None:
            stored["repaired"] = self.repaired
        return stored

"""The exam's vocabulary: its questions, how each turn went, the result, the model's standing."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from okla.chatbot.reply.guard import Problem
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.settings import AnswerMode


class ExamTopic(StrEnum):
    """What kind of customer question an exam turn asks."""

    STOCK = "stock"  # what do you have
    BODY = "body"  # a body type
    BUDGET = "budget"  # a body type under a price
    MAKE = "make"
    MODEL = "model"  # one model, by name
    FUEL = "fuel"
    ENGLISH = "english"  # any of the above, in English


@dataclass(frozen=True)
class ExamQuestion:
    """One customer question of the exam, written from the dealer's stock."""

    topic: ExamTopic
    text: str


@dataclass(frozen=True)
class ExamTurn:
    """How the model answered one question."""

    question: ExamQuestion
    outcome: LlmOutcome
    passed: bool  # the model's text may be shown, whole (not cut short and completed)
    problems: tuple[Problem, ...]  # what the guard found in the model's text
    seconds: float


class Verdict(StrEnum):
    """What an exam concluded."""

    PASSED = "passed"  # the pass rate reached the threshold
    FAILED = "failed"
    ERROR = "error"  # the exam could not be held (no LLM answering, nothing in stock)


@dataclass(frozen=True)
class Qualification:
    """The result of one exam."""

    model: str  # the model id the LLM reported, else the configured one
    threshold: float
    started_at: datetime
    finished_at: datetime
    seconds: float
    turns: tuple[ExamTurn, ...]
    error: str | None = None  # why the exam could not be held

    @property
    def passed(self) -> int:
        """Return how many turns passed."""
        return sum(turn.passed for turn in self.turns)

    @property
    def total(self) -> int:
        """Return how many turns the exam asked."""
        return len(self.turns)

    @property
    def pass_rate(self) -> float | None:
        """Return the share of turns passed (None without turns)."""
        return self.passed / self.total if self.turns else None

    @property
    def verdict(self) -> Verdict:
        """Return whether the model qualified."""
        rate = self.pass_rate
        if self.error is not None or rate is None:
            return Verdict.ERROR
        return Verdict.PASSED if rate >= self.threshold else Verdict.FAILED


class Standing:
    """The answer mode set, and what the last exam said: read by every turn, set by the exam.

    Turns also note when they come, so an exam can keep out of customers' way.
    """

    def __init__(self, mode: AnswerMode) -> None:
        self.mode = mode
        self.last: Qualification | None = None
        self.running = False
        self.last_turn_at = -math.inf  # time.monotonic() of the last turn the model could word

    def turn_seen(self) -> None:
        """Note that a customer's turn came now."""
        self.last_turn_at = time.monotonic()

    def quiet_for(self) -> float:
        """Return the seconds since the last customer's turn."""
        return time.monotonic() - self.last_turn_at

    def in_effect(self) -> AnswerMode:
        """Return whose words answer now: MODEL or TEMPLATE (AUTO decided by the last exam)."""
        if self.mode != AnswerMode.AUTO:
            return self.mode
        if self.last is not None and self.last.verdict == Verdict.PASSED:
            return AnswerMode.MODEL
        return AnswerMode.TEMPLATE

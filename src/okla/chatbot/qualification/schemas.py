"""The JSON of the answer mode and the model's exam (the health route's and the admin routes')."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from okla.chatbot.qualification.domain import ExamTopic, ExamTurn, Qualification, Verdict
from okla.chatbot.reply.guard import Reason
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.schemas import CamelModel
from okla.chatbot.settings import AnswerMode


class ExamTurnOut(CamelModel):
    """One question of the exam and how the model answered it."""

    topic: ExamTopic
    question: str
    outcome: LlmOutcome
    passed: bool = Field(description="The model's text passed the guard and could be shown.")
    problems: list[Reason] = Field(description="What the guard found in the model's text.")
    seconds: float

    @classmethod
    def of(cls, turn: ExamTurn) -> ExamTurnOut:
        """Describe a graded turn."""
        return cls(
            topic=turn.question.topic,
            question=turn.question.text,
            outcome=turn.outcome,
            passed=turn.passed,
            problems=list(dict.fromkeys(problem.reason for problem in turn.problems)),
            seconds=turn.seconds,
        )


class QualificationOut(CamelModel):
    """The last exam's result (absent before the first ends), and whether one is running."""

    running: bool
    threshold: float = Field(description="Pass rate the model needs (QUALIFY_THRESHOLD).")
    verdict: Verdict | None = None
    pass_rate: float | None = None
    passed: int | None = None
    total: int | None = None
    model: str | None = Field(default=None, description="The model examined.")
    started_at: datetime | None = None
    finished_at: datetime | None = None
    seconds: float | None = None
    error: str | None = Field(default=None, description="Why the exam could not be held.")

    @classmethod
    def of(cls, last: Qualification | None, *, running: bool, threshold: float) -> QualificationOut:
        """Describe the standing's last exam."""
        if last is None:
            return cls(running=running, threshold=threshold)
        rate = last.pass_rate
        return cls(
            running=running,
            threshold=last.threshold,
            verdict=last.verdict,
            pass_rate=None if rate is None else round(rate, 3),
            passed=last.passed,
            total=last.total,
            model=last.model,
            started_at=last.started_at,
            finished_at=last.finished_at,
            seconds=last.seconds,
            error=last.error,
        )


class QualificationDetail(QualificationOut):
    """The last exam's result with each of its questions."""

    turns: list[ExamTurnOut] = Field(default_factory=list)


class AnswerModeOut(CamelModel):
    """Whose words answer searches, and why."""

    setting: AnswerMode = Field(description="ANSWER_MODE.")
    in_effect: AnswerMode = Field(
        description="model or template; in auto, model only once the exam is passed."
    )
    llm_slots: int = Field(description="Model calls at once from this process (LLM_CONCURRENCY).")
    llm_slots_in_use: int
    qualification: QualificationOut


class QualificationReport(AnswerModeOut):
    """The answer mode with the last exam in detail (the admin routes)."""

    qualification: QualificationDetail

"""Check a model's reply against this turn's vehicles before the customer may see it.

The model only writes prose. Every price, year, mileage, make, model and attribute it states
must belong to one of the retrieved vehicles; every time of day, address, phone and term it
states about the dealership must be the dealer's profile's; it may promise nothing the
dealer's policies don't, link nowhere, echo no instructions, and must write in the customer's
language. Sentences that break a rule are
dropped; when what is left no longer answers, the caller shows the templated answer instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.reply.guard.desk import DeskFacts
from okla.chatbot.reply.guard.echo import Echo, Repeats
from okla.chatbot.reply.guard.facts import fact_problems, question_years
from okla.chatbot.reply.guard.names import Vehicles
from okla.chatbot.reply.guard.safety import safety_problems
from okla.chatbot.reply.guard.sentences import rejoin, sentences
from okla.chatbot.reply.guard.verdict import GuardResult, Problem, Reason
from okla.chatbot.text.fold import fold_chars
from okla.chatbot.text.language import Lang, detect_language, is_mostly_language

_MIN_WORDS = 3


@dataclass(frozen=True)
class GuardContext:
    """What the reply may talk about, and in which language."""

    cards: Sequence[VehicleCard]
    known_makes: frozenset[str]
    known_models: frozenset[str]
    question: str
    language: Lang
    system_prompt: str = ""
    profile: DealerProfile | None = None  # the dealer's hours, address, phones and policies

    @cached_property
    def desk(self) -> DeskFacts:
        """The profile's facts, read once per reply (on its first check, not when planned)."""
        return DeskFacts.of(self.profile)


class _Turn:
    """The facts of one turn, prepared once for checking every sentence of a reply."""

    def __init__(self, ctx: GuardContext) -> None:
        self.language = ctx.language
        self.vehicles = Vehicles(ctx.cards, ctx.known_makes, ctx.known_models)
        # The customer's own years may be repeated, unless another stocked vehicle has them.
        self.asked_years = question_years(ctx.question) - {c.year for c in ctx.cards}
        self.urls = {u.rstrip("/") for c in ctx.cards for u in (c.url, c.image_url) if u}
        self.desk = ctx.desk

    def problems(self, sentence: str) -> list[Problem]:
        """Return why a sentence may not be shown (empty when it may)."""
        plain = fold_chars(sentence)
        subjects = self.vehicles.subjects(plain, sentence)
        problems = [
            p
            for p in fact_problems(plain, subjects, self.asked_years)
            # A warranty's "5,000 km" is the policy's, not a vehicle's mileage.
            if not (
                p.reason == Reason.MILEAGE_NOT_IN_STOCK
                and self.desk.allows_kilometres(int(p.detail))
            )
        ]
        problems += self.vehicles.problems(plain, sentence)
        problems += safety_problems(
            sentence,
            plain,
            self.urls,
            backed=self.desk.backs,
            own_phone=self.desk.allows_phone,
        )
        problems += self.desk.problems(sentence, plain)
        other = detect_language(sentence)
        if other is not None and other != self.language:
            problems.append(Problem(Reason.WRONG_LANGUAGE))
        return problems


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(dict.fromkeys(problems))


def check_reply(text: str, ctx: GuardContext) -> GuardResult:
    """Return what of the reply may be shown, or why none of it may."""
    if not text or not text.strip():
        return GuardResult(False, "", (Problem(Reason.EMPTY),), False)
    if not ctx.cards:
        # With nothing retrieved the template says so; the model would only improvise.
        return GuardResult(False, "", (Problem(Reason.NO_CARDS),), False)
    if Echo(ctx.system_prompt, ctx.question).echoes(text):
        return GuardResult(False, "", (Problem(Reason.ECHO),), False)
    turn = _Turn(ctx)
    found = sentences(text)
    problems: list[Problem] = []
    keep: list[bool] = []
    repeats = Repeats()
    for sentence in found:
        wrong = turn.problems(sentence.text)
        if repeats.repeats(sentence.text):
            wrong.append(Problem(Reason.REPEATED))
        problems.extend(wrong)
        keep.append(not wrong)
    repaired = not all(keep)
    remaining = rejoin(found, keep) if repaired else text.strip()
    if len(re.findall(r"[^\W\d_]+", remaining)) < _MIN_WORDS:
        return GuardResult(False, "", _unique([*problems, Problem(Reason.NO_ANSWER)]), repaired)
    if not is_mostly_language(remaining, ctx.language):
        wrong_language = Problem(Reason.WRONG_LANGUAGE)
        return GuardResult(False, "", _unique([*problems, wrong_language]), repaired)
    if not turn.vehicles.mentions_a_card(remaining):
        return GuardResult(False, "", _unique([*problems, Problem(Reason.NO_ANSWER)]), repaired)
    return GuardResult(True, remaining, _unique(problems), repaired)

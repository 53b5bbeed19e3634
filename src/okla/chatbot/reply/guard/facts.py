"""Facts a sentence states (prices, years, mileage, fuel, body, gearbox) against the stock.

A fact is said of the vehicle named last before it ("la Kia Carnival cuesta X y la Ford
Bronco Sport Y"), else of the vehicles the sentence names, else of any of this turn's.
"""

from __future__ import annotations

import re
from enum import StrEnum

from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.reply.guard.names import Subjects
from okla.chatbot.reply.guard.verdict import Problem, Reason
from okla.chatbot.text.fold import fold_chars
from okla.chatbot.text.money import format_price, stated_prices
from okla.chatbot.text.vocabulary import CLAIM_WORDS

_YEAR = re.compile(r"(?<![\w$.,/])(19[89]\d|20[0-3]\d)(?!\w|[.,]\d)")
_MILEAGE = re.compile(
    r"(?<![\w.,])(?P<num>\d+(?:[.,]\d{3})*)\s*(?P<unit>mil|k)?\s*"
    r"(?:km|kms|kilometros?|kilometers?|kilometres?)(?![a-z])"
)
# A sentence that says what is NOT in stock may name an attribute no vehicle has.
_NEGATION = re.compile(
    r"(?<![a-z])(?:no (?:tengo|tenemos|hay|contamos|disponemos)|"
    r"(?:don'?t|do not|no longer) have|we have no)(?![a-z])"
)
_CLAIMS = tuple(
    (label, re.compile(rf"(?<![a-z])(?:{pattern})(?![a-z])"), values)
    for label, pattern, values in CLAIM_WORDS
)
_OR = re.compile(r"\s*(?:o|u|or|/)\s*")


def question_years(question: str) -> set[int]:
    """Return the years the customer's question names."""
    return {int(year) for year in _YEAR.findall(fold_chars(question))}


def _prices(plain: str, subjects: Subjects) -> tuple[list[Problem], list[tuple[int, int]]]:
    """Name every price not asked of the vehicle it is said of; return where prices are."""
    problems: list[Problem] = []
    spans: list[tuple[int, int]] = []
    for amount in stated_prices(plain):
        spans.append((amount.start, amount.end))
        value = amount.value()
        if value is None:
            # Said as money but unreadable ("1,500,00"): unchecked, so not shown.
            problems.append(Problem(Reason.PRICE_NOT_IN_STOCK, plain[amount.start : amount.end]))
            continue
        prices = {
            c.price
            for c in subjects.at(amount.start)
            if amount.currency is None or c.currency.upper() == amount.currency
        }
        if value not in prices:
            label = format_price(value, amount.currency or "DOP")
            problems.append(Problem(Reason.PRICE_NOT_IN_STOCK, label))
    return problems, spans


def _years(
    plain: str, subjects: Subjects, asked: set[int], money: list[tuple[int, int]]
) -> list[Problem]:
    problems: list[Problem] = []
    for match in _YEAR.finditer(plain):
        if any(s <= match.start() < e for s, e in money):
            continue
        year = int(match.group(1))
        if year not in asked and year not in {c.year for c in subjects.at(match.start())}:
            problems.append(Problem(Reason.YEAR_NOT_IN_STOCK, str(year)))
    return problems


def _mileage(plain: str, subjects: Subjects) -> list[Problem]:
    problems: list[Problem] = []
    for match in _MILEAGE.finditer(plain):
        km = int(re.sub(r"[.,]", "", match.group("num")))
        km *= 1000 if match.group("unit") else 1
        if km not in {c.mileage_km for c in subjects.at(match.start())}:
            problems.append(Problem(Reason.MILEAGE_NOT_IN_STOCK, str(km)))
    return problems


def _facts(card: VehicleCard) -> set[StrEnum]:
    return {card.fuel, card.body_type, card.transmission}


def _attributes(plain: str, subjects: Subjects) -> list[Problem]:
    """Name every fuel, body or transmission claimed of a vehicle that doesn't have it."""
    said = sorted(
        ((match.start(), match.end(), label, values)
         for label, pattern, values in _CLAIMS
         for match in pattern.finditer(plain)),
        key=lambda claim: claim[:3],
    )  # fmt: skip
    problems: list[Problem] = []
    # "diésel o eléctrica" claims one of the two: the group is true if either is.
    group: list[str] = []
    group_ok = False
    for i, (start, end, label, values) in enumerate(said):
        group.append(label)
        group_ok = group_ok or any(values & _facts(c) for c in subjects.at(start))
        following = said[i + 1][0] if i + 1 < len(said) else None
        if following is not None and _OR.fullmatch(plain[end:following]):
            continue
        if not group_ok:
            problems.extend(Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, g) for g in group)
        group, group_ok = [], False
    return problems


def fact_problems(plain: str, subjects: Subjects, asked_years: set[int]) -> list[Problem]:
    """Name every fact the (folded) sentence states that its vehicle doesn't have.

    The customer's own years may be repeated ("no tengo yipetas 2019"): `asked_years` are
    those of the question that are no other stocked vehicle's year.
    """
    problems, money = _prices(plain, subjects)
    problems += _years(plain, subjects, asked_years, money)
    problems += _mileage(plain, subjects)
    if not _NEGATION.search(plain):
        problems += _attributes(plain, subjects)
    return problems

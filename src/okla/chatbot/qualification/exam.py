"""The exam's questions, written from what the dealer's stock holds (no vehicle is hard-coded).

A spread of what customers ask: the whole stock, each body type, a body type within a budget
the stock can meet, makes, single models by name, fuels other than gasoline, and some of
these in English. Topics take turns so a short exam still covers them all; within a topic the
most stocked come first. The same stock, in any order, always gives the same exam.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import zip_longest
from typing import TypeVar

from okla.chatbot.inventory.domain import BodyType, Fuel, VehicleCard
from okla.chatbot.qualification.domain import ExamQuestion, ExamTopic
from okla.chatbot.text.money import format_price
from okla.chatbot.text.vocabulary import BODIES_EN, BODIES_ES, FUEL_AFTER_ES

# Topics in the order they take turns.
_ORDER = (
    ExamTopic.BODY,
    ExamTopic.MODEL,
    ExamTopic.BUDGET,
    ExamTopic.ENGLISH,
    ExamTopic.MAKE,
    ExamTopic.FUEL,
    ExamTopic.STOCK,
)
_MODEL_ASKS = (
    "¿Cuánto cuesta la {name}?",
    "¿Tienen el {name} disponible?",
    "Me interesa la {name}, ¿qué me puedes decir?",
)
_MAKE_ASKS = ("¿Qué {make} tienen?", "Busco un {make}, ¿cuáles hay?")

T = TypeVar("T")


def exam_questions(cards: Sequence[VehicleCard]) -> list[ExamQuestion]:
    """Return every candidate question over this stock, topics interleaved."""
    if not cards:
        return []
    by_topic = {
        ExamTopic.STOCK: [
            "¿Qué vehículos tienen disponibles?",
            "Hola, ¿qué carros tienen ahora mismo?",
        ],
        ExamTopic.BODY: [f"¿Qué {BODIES_ES[body][0]} tienen?" for body in _bodies(cards)],
        ExamTopic.BUDGET: [
            f"¿Tienen {BODIES_ES[body][0]} de menos de {_spanish_amount(budget)}?"
            for body, budget in _budgets(cards)
        ],
        ExamTopic.MAKE: [
            _MAKE_ASKS[i % len(_MAKE_ASKS)].format(make=make)
            for i, make in enumerate(_most(card.make for card in cards))
        ],
        ExamTopic.MODEL: [
            _MODEL_ASKS[i % len(_MODEL_ASKS)].format(name=name)
            for i, name in enumerate(_most(f"{card.make} {card.model}" for card in cards))
        ],
        ExamTopic.FUEL: [
            f"¿Tienen vehículos {FUEL_AFTER_ES[fuel][0]}?"
            for fuel in _most(card.fuel for card in cards)
            if fuel != Fuel.GASOLINE
        ],
        ExamTopic.ENGLISH: list(_english(cards)),
    }
    columns = [[ExamQuestion(topic, text) for text in by_topic[topic]] for topic in _ORDER]
    return [question for row in zip_longest(*columns) for question in row if question]


def _most(values: Iterable[T]) -> list[T]:
    """Return the distinct values, the most frequent first (ties alphabetically)."""
    counted = Counter(values)
    return sorted(counted, key=lambda value: (-counted[value], str(value)))


def _bodies(cards: Sequence[VehicleCard]) -> list[BodyType]:
    return _most(card.body_type for card in cards)


def _budgets(cards: Sequence[VehicleCard]) -> list[tuple[BodyType, int]]:
    """Return a budget per body type that about half of its vehicles meet."""
    found = []
    for body in _bodies(cards):
        prices = sorted(card.price for card in cards if card.body_type == body)
        middle = prices[len(prices) // 2]
        found.append((body, math.ceil(middle / 100_000) * 100_000))
    return found


def _spanish_amount(amount: int) -> str:
    """Write a budget as customers do: '2.5 millones', 'un millón', else 'RD$850,000'."""
    if amount < 1_000_000:
        return format_price(amount)
    if amount == 1_000_000:
        return "un millón"
    return f"{amount / 1_000_000:g} millones"


def _english_amount(amount: int) -> str:
    return f"{amount / 1_000_000:g}M" if amount >= 1_000_000 else format_price(amount)


def _english(cards: Sequence[VehicleCard]) -> Iterator[str]:
    """Ask some of the Spanish questions in English."""
    bodies, budgets = _bodies(cards), dict(_budgets(cards))
    names = _most(f"{card.make} {card.model}" for card in cards)
    makes = _most(card.make for card in cards)
    for body, name, make in zip_longest(bodies, names, makes):
        if body is not None:
            yield f"Do you have any {BODIES_EN[body]} under {_english_amount(budgets[body])}?"
        if name is not None:
            yield f"How much is the {name}?"
        if make is not None:
            yield f"What {make} cars do you have?"

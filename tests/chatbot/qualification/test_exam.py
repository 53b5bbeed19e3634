"""The exam's questions come from the stock it is given: a spread of what customers ask."""

from __future__ import annotations

from dataclasses import fields

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    VehicleCard,
    VehicleRecord,
    VehicleStatus,
)
from okla.chatbot.qualification.domain import ExamTopic
from okla.chatbot.qualification.exam import exam_questions
from okla.chatbot.text.language import detect_language
from okla.chatbot.text.vocabulary import BODIES_ES
from tests.utils.factories import card

_CARD_FIELDS = [f.name for f in fields(VehicleCard) if f.name != "id"]


def stock(records: tuple[VehicleRecord, ...]) -> list[VehicleCard]:
    return [
        VehicleCard(id=r.stock_number, **{name: getattr(r, name) for name in _CARD_FIELDS})
        for r in records
        if r.status == VehicleStatus.AVAILABLE
    ]


def test_every_topic_comes_early_and_english_is_asked() -> None:
    for _seed, records in DEMO_DEALERS:
        questions = exam_questions(stock(records))
        assert len(questions) >= 20
        assert {q.topic for q in questions[:7]} == set(ExamTopic)
        english = [q for q in questions[:20] if q.topic == ExamTopic.ENGLISH]
        assert len(english) >= 2
        assert all(detect_language(q.text) == "en" for q in english)


def test_questions_are_written_from_the_stock_given() -> None:
    cards = [
        card("Nissan", "Kicks", 2023, 1_450_000),
        card("Nissan", "Frontier", 2022, 2_250_000, body=BodyType.PICKUP, fuel=Fuel.DIESEL),
        card("Seat", "Ibiza", 2021, 950_000, body=BodyType.HATCHBACK),
    ]
    texts = [q.text for q in exam_questions(cards)]
    joined = " ".join(texts)
    for name in ("Nissan Kicks", "Nissan Frontier", "Seat Ibiza"):
        assert name in joined
    for body in (BodyType.SUV, BodyType.PICKUP, BodyType.HATCHBACK):
        assert f"¿Qué {BODIES_ES[body][0]} tienen?" in texts
    assert "¿Tienen vehículos diésel?" in texts
    # Nothing the stock doesn't hold: no other make, no sedans, no hybrids.
    for absent in ("Toyota", "Kia", "sedanes", "híbrid"):
        assert absent not in joined
    # Budgets the stock can meet: the pickup's own price, rounded up to RD$100,000.
    assert "¿Tienen camionetas pickup de menos de 2.3 millones?" in texts
    assert "¿Tienen hatchbacks de menos de RD$1,000,000?" not in texts
    assert "¿Tienen hatchbacks de menos de un millón?" in texts


def test_the_same_stock_in_any_order_gives_the_same_exam() -> None:
    records = DEMO_DEALERS[0][1]
    assert exam_questions(stock(records)) == exam_questions(stock(tuple(reversed(records))))


def test_no_stock_no_questions() -> None:
    assert exam_questions([]) == []

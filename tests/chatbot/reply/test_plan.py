"""The planner: a template or a model reply, with what the stock holds for the question."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from okla.chatbot.inventory.domain import BodyType, VehicleStatus
from okla.chatbot.reply.plan import ModelReply, TemplateReply
from okla.chatbot.understanding.intents import Intent
from tests.utils.pipeline import Pipeline, pipeline


@pytest.fixture(scope="module")
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline() as built:
        yield built


async def test_a_greeting_is_answered_by_the_dealers_assistant(chat: Pipeline) -> None:
    plan = await chat.plan("Buenas tardes", "motores-del-cibao")
    assert isinstance(plan, TemplateReply)
    assert "Carlos" in plan.text and "Motores del Cibao" in plan.text
    assert plan.cards == ()
    assert Intent.GREETING in plan.trace.intents
    assert plan.trace.dialogue is None, "small talk leaves the active search alone"


async def test_asking_for_a_person_hands_over_and_keeps_the_saved_search(chat: Pipeline) -> None:
    plan = await chat.plan("Quiero hablar con un asesor")
    assert isinstance(plan, TemplateReply)
    assert plan.trace.handoff
    assert plan.trace.query is None
    assert "asesor" in plan.text


async def test_a_search_with_stock_lets_the_model_word_it(chat: Pipeline) -> None:
    plan = await chat.plan("¿Qué yipetas tienen de menos de 3 millones?")
    assert isinstance(plan, ModelReply)
    assert plan.cards
    assert all(c.body_type == BodyType.SUV and c.price <= 3_000_000 for c in plan.cards)
    assert all(c.status == VehicleStatus.AVAILABLE for c in plan.cards)
    assert tuple(plan.guard.cards) == plan.cards
    # The template that stands in for the model lists the same vehicles.
    for card in plan.cards:
        assert card.model in plan.template
    assert plan.messages[0]["role"] == "system"
    assert plan.messages[-1]["content"].startswith("¿Qué yipetas tienen")
    assert plan.suffix == ""


async def test_financing_comes_as_an_aside_to_the_search(chat: Pipeline) -> None:
    plan = await chat.plan("¿Tienen camionetas a financiamiento?")
    assert isinstance(plan, ModelReply)
    assert "financiamiento" in plan.suffix
    # The dealer's own terms, from its profile; the model's prose is checked against them.
    assert "inicial desde el 20%" in plan.suffix
    assert plan.guard.profile is not None and plan.guard.profile.phone == "809-555-0100"


async def test_financing_terms_are_the_dealers_own(chat: Pipeline) -> None:
    plan = await chat.plan("¿Cuánto es lo mínimo de inicial pa una yipeta?")
    assert isinstance(plan, TemplateReply) and plan.cards == ()
    assert "inicial desde el 20% y plazos de hasta 60 meses" in plan.text
    cibao = await chat.plan("¿Cuánto es lo mínimo de inicial pa una yipeta?", "motores-del-cibao")
    assert isinstance(cibao, TemplateReply)
    assert "inicial desde el 30% y hasta 48 meses" in cibao.text
    assert "asesor" in cibao.text


async def test_the_desk_reads_the_hours_at_the_planners_clock() -> None:
    sunday = datetime(2026, 12, 6, 11, 0, tzinfo=ZoneInfo("America/Santo_Domingo"))
    async with pipeline(clock=lambda: sunday) as chat:
        plan = await chat.plan("¿Están abiertos ahora?")
    assert isinstance(plan, TemplateReply)
    assert plan.text.startswith("Ahora estamos cerrados; abrimos mañana a las 8:00 a. m.")


async def test_nothing_in_stock_offers_the_closest_vehicles(chat: Pipeline) -> None:
    plan = await chat.plan("Busco un convertible eléctrico")
    assert isinstance(plan, TemplateReply)
    assert plan.text.startswith("Ahora mismo no tengo")
    assert 0 < len(plan.cards) <= 3


async def test_a_sold_vehicle_is_said_to_be_sold(chat: Pipeline) -> None:
    plan = await chat.plan("¿Tienen el Jeep Wrangler?")
    assert isinstance(plan, TemplateReply)
    assert "Jeep Wrangler 2019" in plan.text and "vendido" in plan.text


async def test_english_is_answered_in_english(chat: Pipeline) -> None:
    plan = await chat.plan("Do you have any pickups?")
    assert isinstance(plan, ModelReply)
    assert plan.language == "en"
    assert plan.guard.language == "en"

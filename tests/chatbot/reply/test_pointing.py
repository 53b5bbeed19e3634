"""Messages about the vehicles already shown are answered from those records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.utils.pipeline import Pipeline, pipeline


@pytest.fixture
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline() as built:
        yield built


class Reply:
    """A reply as a client reads it: its text and its vehicle cards' JSON."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.content: str = body["content"]
        self.vehicles: list[dict[str, Any]] = body["vehicles"]

    def ids(self) -> list[str]:
        return [c["id"] for c in self.vehicles]

    def models(self) -> list[str]:
        return [c["model"] for c in self.vehicles]


class Conversation:
    def __init__(self, chat: Pipeline, token: str) -> None:
        self.chat = chat
        self.token = token

    async def say(self, text: str) -> Reply:
        response = await self.chat.services.chat.message(
            self.chat.request(self.token, text), None, "t", None
        )
        assert response.reply is not None
        return Reply(response.reply.model_dump(mode="json", by_alias=True))


async def conversation(chat: Pipeline) -> Conversation:
    return Conversation(chat, await chat.start())


async def test_an_ordinal_is_the_card_at_that_place(chat: Pipeline) -> None:
    talk = await conversation(chat)
    listed = await talk.say("¿Qué yipetas tienen de menos de 3 millones?")
    second = await talk.say("y la segunda cuanto cuesta?")
    assert second.ids() == [listed.ids()[1]]
    assert f"{listed.vehicles[1]['price']:,}" in second.content
    last = await talk.say("y la ultima?")
    assert last.ids() == [listed.ids()[-1]]


async def test_of_those_the_cheapest(chat: Pipeline) -> None:
    talk = await conversation(chat)
    listed = await talk.say("Busco una yipeta")
    cheapest = min(listed.vehicles, key=lambda c: int(c["price"]))
    answer = await talk.say("de esas cual es la mas barata?")
    assert answer.ids() == [cheapest["id"]]
    assert f"{cheapest['price']:,}" in answer.content.split("\n")[0]


async def test_a_sort_alone_reorders_the_active_search(chat: Pipeline) -> None:
    talk = await conversation(chat)
    await talk.say("Tienen camionetas?")
    cheapest = await talk.say("la más barata")
    assert cheapest.vehicles
    assert all(c["bodyType"] in ("Pickup", "SUV") for c in cheapest.vehicles)
    prices = [c["price"] for c in cheapest.vehicles]
    assert prices == sorted(prices)


async def test_others_skip_what_was_shown(chat: Pipeline) -> None:
    talk = await conversation(chat)
    first = await talk.say("¿Qué yipetas tienen?")
    more = await talk.say("tienes otras?")
    assert more.vehicles
    assert not set(more.ids()) & set(first.ids())
    assert all(c["bodyType"] == "SUV" for c in more.vehicles)


async def test_others_when_there_are_none_say_so_and_offer_the_closest(chat: Pipeline) -> None:
    talk = await conversation(chat)
    first = await talk.say("¿Tienen la Kia Carnival?")
    assert first.models() == ["Carnival"]
    more = await talk.say("tienes otras?")
    assert "Carnival" not in more.models()
    assert more.content.startswith("Ahora mismo no tengo otros Kia Carnival")


async def test_a_comparison_puts_both_side_by_side(chat: Pipeline) -> None:
    talk = await conversation(chat)
    compared = await talk.say("cual es mejor, la RAV4 o la CX-5?")
    assert sorted(compared.models()) == ["CX-5", "RAV4"]
    assert "RD$2,450,000" in compared.content and "RD$2,250,000" in compared.content


async def test_a_thank_you_between_keeps_the_list(chat: Pipeline) -> None:
    talk = await conversation(chat)
    listed = await talk.say("Busco una camioneta diésel")
    await talk.say("gracias!")
    second = await talk.say("y la segunda de que año es?")
    assert second.ids() == [listed.ids()[1]]
    assert str(listed.vehicles[1]["year"]) in second.content


async def test_a_question_about_one_named_vehicle(chat: Pipeline) -> None:
    talk = await conversation(chat)
    reply = await talk.say("de que color es la tucson?")
    assert reply.models() == ["Tucson"]
    assert "negro" in reply.content.lower()


async def test_this_one_is_the_vehicle_in_focus(chat: Pipeline) -> None:
    talk = await conversation(chat)
    await talk.say("¿Tienen la Toyota Hilux?")
    reply = await talk.say("esa es automatica?")
    assert reply.models() == ["Hilux"]
    assert reply.content.startswith("No, la Toyota Hilux")


async def test_cheaper_ones_are_below_the_cheapest_shown(chat: Pipeline) -> None:
    talk = await conversation(chat)
    first = await talk.say("yipetas de 3 millones pa arriba")
    cheaper = await talk.say("y mas baratas?")
    below = min(int(c["price"]) for c in first.vehicles)
    assert cheaper.vehicles
    assert all(c["bodyType"] == "SUV" and int(c["price"]) < below for c in cheaper.vehicles)


async def test_a_question_with_no_vehicle_named_is_about_the_one_in_focus(chat: Pipeline) -> None:
    talk = await conversation(chat)
    await talk.say("me interesa la ford ranger")
    await talk.say("tiene garantia?")
    price = await talk.say("y cuanto cuesta?")
    assert price.models() == ["Ranger"]
    assert "RD$2,650,000" in price.content


async def test_a_make_the_dealer_doesnt_carry_is_said_so(chat: Pipeline) -> None:
    talk = await conversation(chat)
    reply = await talk.say("tienes algun ferrari?")
    assert reply.vehicles == []
    assert reply.content.startswith("No tenemos vehículos Ferrari")
    assert "Toyota" in reply.content


async def test_a_model_the_dealer_doesnt_carry_is_said_so_with_its_make(chat: Pipeline) -> None:
    talk = await conversation(chat)
    reply = await talk.say("honda fit hay?")
    assert reply.content.startswith("No tengo Honda Fit")
    assert reply.models() == ["Civic"]


async def test_a_desk_question_with_a_price_question_answers_both(chat: Pipeline) -> None:
    talk = await conversation(chat)
    reply = await talk.say("cuanto cuesta la rav4 y a que hora abren")
    assert reply.models() == ["RAV4"]
    assert "RD$2,450,000" in reply.content and "horario" in reply.content


async def test_asked_whether_the_stock_has_it_so_the_answer_says_what_it_has(
    chat: Pipeline,
) -> None:
    talk = await conversation(chat)
    manual = await talk.say("¿Tienen la Hilux automática?")
    assert manual.models() == ["Hilux"]
    assert manual.content.startswith(
        "No tengo la Toyota Hilux 2022 SR5 con transmisión automática; la que tengo es manual."
    )
    diesel = await talk.say("tienen el corolla en diesel?")
    assert diesel.content.startswith(
        "No tengo el Toyota Corolla 2022 LE en diésel; el que tengo es gasolina."
    )
    four = await talk.say("la tucson la tienen 4x4?")
    assert four.content.startswith(
        "No tengo la Hyundai Tucson 2021 GLS 4x4; la que tengo tiene tracción delantera."
    )
    # Asked what it is like, it is said so: no "no tengo".
    asked = await talk.say("el corolla es automatico?")
    assert asked.content.startswith("Sí, el Toyota Corolla 2022 LE es automático.")


async def test_the_last_is_the_last_card_of_the_list_in_its_order(chat: Pipeline) -> None:
    talk = await conversation(chat)
    await talk.say("carros de menos de 1 millon y medio")
    ordered = await talk.say("ordenalos del mas barato al mas caro")
    prices = [int(c["price"]) for c in ordered.vehicles]
    assert len(prices) >= 2 and prices == sorted(prices)  # an order, not "cheaper than those"
    last = await talk.say("y el ultimo?")
    assert last.ids() == [ordered.ids()[-1]]


async def test_a_fact_asked_without_a_question_mark(chat: Pipeline) -> None:
    talk = await conversation(chat)
    reply = await talk.say("la guagua hiaces cuantos pasajeros es")
    assert reply.models() == ["Hiace"]
    assert "15 pasajeros" in reply.content


async def test_a_follow_up_the_stock_cant_meet_keeps_what_was_said_before(chat: Pipeline) -> None:
    talk = await conversation(chat)
    await talk.say("camioneta pickup 4x4")
    await talk.say("y diesel?")
    narrowed = await talk.say("y automatica?")
    # The automatic one is what is missing: the 4x4 diésel pickup stays, said to be manual.
    assert narrowed.models() == ["Hilux"]
    assert narrowed.content.startswith("No tengo camionetas pickup 4x4 diésel")
    # A superlative then is of the vehicles shown, not of a search relaxed another way.
    newest = await talk.say("cual es la mas nueva?")
    assert newest.ids() == narrowed.ids()
    assert newest.content.startswith("La más nueva es la Toyota Hilux")


async def test_a_camioneta_is_an_suv_too_when_no_pickup_is_what_was_asked(chat: Pipeline) -> None:
    talk = await conversation(chat)
    first = await talk.say("busco camioneta 4x4")
    assert {c["bodyType"] for c in first.vehicles} == {"Pickup"}
    await talk.say("y en diesel?")
    widened = await talk.say("y automatica?")
    assert sorted(widened.models()) == ["Land Cruiser Prado", "Montero Sport"]
    assert widened.content.startswith("Tenemos estas opciones en camionetas 4x4 diésel")

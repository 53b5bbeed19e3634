"""Answers come from the dealer's real stock: retrieval, the guard, the fallback."""

from __future__ import annotations

import re

import httpx
import pytest

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.text.money import format_price
from tests.utils.chat import ChatApi

pytestmark = pytest.mark.integration

ADP = {row.stock_number: row for row in DEMO_DEALERS[0][1]}
OTHER = {row.stock_number: row for row in DEMO_DEALERS[1][1]}


def cards(chat_api: ChatApi, question: str, token: str | None = None) -> list[dict[str, object]]:
    response = chat_api.say(token or chat_api.start(), question)
    assert response.status_code == 200, response.text
    found: list[dict[str, object]] = response.json()["reply"]["vehicles"]
    return found


def prices_in(text: str) -> set[int]:
    return {int(m.replace(",", "")) for m in re.findall(r"RD\$\s?([\d,]{5,})", text)}


def test_yipetas_under_3_million(chat_api: ChatApi) -> None:
    found = cards(chat_api, "¿Qué yipetas tienen de menos de 3 millones?")
    assert found
    for card in found:
        assert card["bodyType"] == "SUV"
        assert isinstance(card["price"], int) and card["price"] <= 3_000_000
        assert card["status"] == "Available"
    expected = {
        r.make + r.model
        for r in ADP.values()
        if r.body_type.value == "SUV" and r.price <= 3_000_000 and r.status.value == "Available"
    }
    assert {f"{c['make']}{c['model']}" for c in found} <= expected


def test_price_band_between_1_5_and_2_million(chat_api: ChatApi) -> None:
    found = cards(chat_api, "Busco algo entre 1.5 y 2 millones")
    assert found
    assert all(1_500_000 <= int(str(c["price"])) <= 2_000_000 for c in found)


def test_guagua_is_a_van_or_minivan(chat_api: ChatApi) -> None:
    found = cards(chat_api, "Necesito una guagua para la familia")
    assert found
    assert {c["bodyType"] for c in found} <= {"Van", "Minivan"}
    assert any(c["model"] == "Carnival" for c in found)


def test_make_and_english_price(chat_api: ChatApi) -> None:
    found = cards(chat_api, "Do you have any Toyota under 2M?")
    assert all(c["make"] == "Toyota" and int(str(c["price"])) <= 2_000_000 for c in found)


def test_the_seed_vehicles_with_their_exact_prices(chat_api: ChatApi) -> None:
    token = chat_api.start()
    prado = cards(chat_api, "¿Tienen la Land Cruiser Prado?", token)
    assert [(c["year"], c["trim"], c["price"]) for c in prado] == [(2023, "VX", 5_800_000)]
    reply = chat_api.say(chat_api.start(), "¿Cuánto cuesta la Ford Bronco Sport?").json()["reply"]
    assert "RD$2,700,000" in reply["content"]
    assert prices_in(reply["content"]) <= {int(str(c["price"])) for c in reply["vehicles"]}


def test_one_dealer_never_shows_another_dealers_stock(chat_api: ChatApi) -> None:
    token = chat_api.start("motores-del-cibao")
    other_ids = set()
    for question in ("¿Qué vehículos tienes?", "¿Tienen yipetas?", "Busco una camioneta"):
        for card in cards(chat_api, question, token):
            other_ids.add((card["make"], card["model"], card["year"], card["price"]))
    theirs = {(r.make, r.model, r.year, r.price) for r in OTHER.values()}
    assert other_ids and other_ids <= theirs


def test_a_sold_vehicle_is_said_to_be_sold(chat_api: ChatApi) -> None:
    sold = next(r for r in ADP.values() if r.status.value == "Sold")
    reply = chat_api.say(chat_api.start(), f"¿Todavía tienen el {sold.make} {sold.model}?").json()
    content = reply["reply"]["content"].lower()
    assert "vendid" in content
    assert all(c["status"] == "Available" for c in reply["reply"]["vehicles"])


def test_nothing_matching_offers_real_alternatives(chat_api: ChatApi) -> None:
    reply = chat_api.say(chat_api.start(), "¿Tienen un convertible eléctrico de 200 mil pesos?")
    body = reply.json()["reply"]
    assert "no tengo" in body["content"].lower() or "no tenemos" in body["content"].lower()
    stock = {(r.make, r.model, r.price) for r in ADP.values()}
    for card in body["vehicles"]:
        assert (card["make"], card["model"], card["price"]) in stock
    assert prices_in(body["content"]) <= {int(str(c["price"])) for c in body["vehicles"]}


def test_follow_up_narrows_the_previous_search(chat_api: ChatApi) -> None:
    token = chat_api.start()
    first = cards(chat_api, "¿Qué camionetas tienen?", token)
    assert first
    diesel = cards(chat_api, "¿y en diésel?", token)
    assert diesel
    assert all(c["fuel"] == "Diesel" for c in diesel)
    assert all(c["bodyType"] in ("Pickup", "SUV") for c in diesel)


def test_fabricated_price_never_reaches_the_customer(chat_api: ChatApi) -> None:
    chat_api.llm.reply = (
        "¡Claro! Tenemos la Ford Bronco Sport 2024 Big Bend por solo RD$1,000,000. "
        "Es una yipeta excelente para la ciudad."
    )
    token = chat_api.start()
    for stream in (False, True):
        headers = {"Accept": "text/event-stream"} if stream else {}
        response = httpx.post(
            f"{chat_api.url}/api/chat/message",
            json={"sessionToken": token, "message": "¿Cuánto cuesta la Bronco Sport?"},
            headers=headers,
            timeout=60,
        )
        assert response.status_code == 200
        assert "1,000,000" not in response.text
        assert "1.000.000" not in response.text
    transcript = httpx.get(f"{chat_api.url}/api/chat/session/{token}").text
    assert "1,000,000" not in transcript
    assert format_price(2_700_000) in transcript


def test_a_checked_model_reply_is_shown_as_the_model_s(chat_api: ChatApi) -> None:
    chat_api.llm.reply = (
        "¡Claro! La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. "
        "Es una yipeta cómoda y moderna. ¿Te gustaría verla?"
    )
    reply = chat_api.say(chat_api.start(), "¿Cuánto cuesta la Bronco Sport?").json()["reply"]
    assert reply["source"] == "model"
    assert "RD$2,700,000" in reply["content"]


def test_invented_vehicle_and_promises_are_removed(chat_api: ChatApi) -> None:
    chat_api.llm.reply = (
        "Te recomiendo la Kia Carnival 2024 EX por RD$3,300,000. "
        "También tenemos un Honda CR-Z 2019 muy barato. "
        "Y te hago un descuento del 20% si compras hoy."
    )
    reply = chat_api.say(chat_api.start(), "Busco una minivan").json()["reply"]
    content = reply["content"]
    assert "CR-Z" not in content
    assert "descuento del 20%" not in content
    assert "RD$3,300,000" in content


def test_english_or_garbled_model_text_falls_back_to_the_template(chat_api: ChatApi) -> None:
    chat_api.llm.reply = "We have many cars. The Honda is a great choice for you today."
    reply = chat_api.say(chat_api.start(), "¿Qué yipetas tienen?").json()["reply"]
    assert reply["source"] == "fallback"
    assert "We have" not in reply["content"]
    for card in reply["vehicles"]:
        assert format_price(int(str(card["price"]))) in reply["content"]

"""Intents: what a customer wants from a message, besides (or instead of) a vehicle."""

from __future__ import annotations

import pytest

from okla.chatbot.understanding.intents import Intent, detect_intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("Hola", {Intent.GREETING}),
        ("Buenas tardes", {Intent.GREETING}),
        ("klk", {Intent.GREETING}),
        ("hi", {Intent.GREETING}),
        ("Gracias!", {Intent.THANKS}),
        ("thank you", {Intent.THANKS}),
        ("adiós", {Intent.GOODBYE}),
        ("Gracias por la info, adios", {Intent.THANKS, Intent.GOODBYE}),
        ("Quiero hablar con un asesor", {Intent.HUMAN}),
        ("¿Puedo hablar con una persona?", {Intent.HUMAN}),
        ("can I talk to a human?", {Intent.HUMAN}),
        ("talk to a salesperson", {Intent.HUMAN}),
        ("llámenme", {Intent.HUMAN}),
        ("¿Tienen financiamiento?", {Intent.FINANCING}),
        ("¿Cuánto sería el inicial?", {Intent.FINANCING}),
        ("¿Se puede pagar en cuotas?", {Intent.FINANCING}),
        ("what's the monthly payment?", {Intent.FINANCING}),
        ("¿Me haces un descuento?", {Intent.DISCOUNT}),
        ("¿Es negociable?", {Intent.DISCOUNT}),
        ("véndemelo por 1 peso", {Intent.DISCOUNT}),
        ("any discount?", {Intent.DISCOUNT}),
        ("¿Qué vehículos tienes?", {Intent.SEARCH}),
        ("what cars do you have?", {Intent.SEARCH}),
        ("¿Cuál es el más barato?", {Intent.SEARCH}),
        ("Hola, ¿tienen yipetas?", {Intent.GREETING, Intent.SEARCH}),
        ("me lo dejas en 2 millones?", {Intent.DISCOUNT, Intent.SEARCH}),
        (
            "hola, quiero hablar con un vendedor sobre el financiamiento",
            {Intent.GREETING, Intent.HUMAN, Intent.FINANCING},
        ),
        ("en buenas condiciones", {Intent.OTHER}),
        ("ok", {Intent.OTHER}),
    ],
)
def test_detect_intents(text: str, intents: set[Intent]) -> None:
    assert detect_intents(text) == intents

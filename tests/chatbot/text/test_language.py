"""Language detection on customer questions and model replies."""

from __future__ import annotations

import pytest

from okla.chatbot.text.language import Lang, detect_language, is_mostly_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Short customer questions, often without accents or question marks.
        ("Que vehiculos tienes?", "es"),
        ("¿Tienen yipetas?", "es"),
        ("hola", "es"),
        ("Hola, buenas tardes", "es"),
        ("Busco una guagua para mi familia", "es"),
        ("cuanto cuesta la prado", "es"),
        ("Quiero un carro de menos de 2 millones", "es"),
        ("¿La Bronco Sport es automática?", "es"),
        ("gracias!", "es"),
        ("Necesito una camioneta diésel", "es"),
        ("what SUVs do you have?", "en"),
        ("hi", "en"),
        ("Do you have any Toyota under 2M?", "en"),
        ("I am looking for a truck", "en"),
        ("How much is the Land Cruiser?", "en"),
        ("thanks", "en"),
        ("I'd like a cheap car", "en"),
        ("Show me hybrid cars with low mileage", "en"),
        # Longer model replies.
        (
            "¡Claro! La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. Es una yipeta "
            "cómoda y moderna. ¿Te gustaría verla?",
            "es",
        ),
        (
            "Sure! The Ford Bronco Sport 2024 Big Bend is available for RD$2,700,000. "
            "Would you like to see it?",
            "en",
        ),
    ],
)
def test_detect_language(text: str, expected: Lang) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text", ["Toyota RAV4 2023", "", "   ", "CR-V", "RD$2,700,000", "ok", "SUV 4x4", "👍"]
)
def test_too_little_signal_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_a_mixed_message_with_equal_evidence_is_none() -> None:
    assert detect_language("I want una yipeta") is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Tenemos la Ford Bronco Sport disponible para ti.", "es", True),
        ("La Kia Carnival 2024 EX cuesta RD$3,300,000.", "es", True),
        ("We have the Ford Bronco Sport for you.", "es", False),
        ("We have the Ford Bronco Sport for you.", "en", True),
        ("Tenemos la Ford Bronco Sport disponible para ti.", "en", False),
        # Spanish with a little English in it (trims, loanwords) is still Spanish.
        ("La Toyota RAV4 Limited Sport es una yipeta muy buena para la familia.", "es", True),
        # Half English, half Spanish is neither.
        ("Tenemos la Kia Carnival. It is a great car with a lot of space.", "es", False),
        # Mostly symbols and numbers is not a reply in any language.
        ("1. 2. 3. $$$ ###", "es", False),
        ("RD$2,700,000 — RD$3,300,000 — RD$5,800,000 — de la", "es", False),
        ("", "es", False),
        # A single Spanish word is too little to call a reply Spanish.
        ("Kia Carnival 2024, excelente.", "es", False),
    ],
)
def test_is_mostly_language(text: str, lang: Lang, expected: bool) -> None:
    assert is_mostly_language(text, lang) is expected

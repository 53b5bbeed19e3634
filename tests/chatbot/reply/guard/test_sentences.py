"""Splitting a reply into sentences and list items."""

from __future__ import annotations

from okla.chatbot.reply.guard import split_sentences

# Sentences and streaming


def test_split_sentences() -> None:
    text = (
        "¡Claro! La Prado está en 5.8 millones.\n"
        "1. Ford Bronco Sport — RD$2,700,000. 2. Kia Carnival — RD$3,300,000\n"
        "- Honda Civic\n"
        "¿Te interesa?"
    )
    assert split_sentences(text) == [
        "¡Claro!",
        "La Prado está en 5.8 millones.",
        "1. Ford Bronco Sport — RD$2,700,000.",
        "2. Kia Carnival — RD$3,300,000",
        "- Honda Civic",
        "¿Te interesa?",
    ]


def test_times_and_addresses_are_not_cut_at_their_abbreviations() -> None:
    text = (
        "Abrimos de 8:00 a. m. a 6:00 p. m. Estamos en la Av. Abraham Lincoln No. 1052. "
        "¿Es diésel? No. Es gasolina."
    )
    assert split_sentences(text) == [
        "Abrimos de 8:00 a. m. a 6:00 p. m.",
        "Estamos en la Av. Abraham Lincoln No. 1052.",
        "¿Es diésel?",
        "No.",
        "Es gasolina.",
    ]

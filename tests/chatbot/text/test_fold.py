"""Folding: case, accents and spacing stop mattering; one form keeps offsets."""

from __future__ import annotations

import pytest

from okla.chatbot.text.fold import fold, fold_chars, spell_out, squash, word_pattern, words


def test_fold() -> None:
    assert fold("  ¿Tienen  la YIPETA\tCompañía Ñandú? ") == "¿tienen la yipeta compania nandu?"
    assert fold("ﬁat") == "fiat"  # compatibility characters are spelled out


@pytest.mark.parametrize(
    "text", ["La Compañía  ÑANDÚ\ttiene", "Tu ﬁat", "İstanbul", "ASCII only", "", "guagüita"]
)
def test_fold_chars_keeps_one_character_for_one(text: str) -> None:
    plain = fold_chars(text)
    assert len(plain) == len(text)
    # Where fold_chars finds a word, the original has it at the same offsets.
    for word in ("compania", "nandu", "guaguita"):
        if (at := plain.find(word)) >= 0:
            assert fold(text[at : at + len(word)]) == word


def test_fold_chars_agrees_with_fold_on_ordinary_text() -> None:
    text = "¿Cuánto cuesta la Land Cruiser Prado? Está en RD$5,800,000."
    assert fold_chars(text) == fold(text)


def test_words() -> None:
    assert words("¡La CR-V 2022, del año!") == ["la", "cr", "v", "2022", "del", "ano"]
    assert words("") == []


@pytest.mark.parametrize(
    ("name", "squashed"),
    [
        ("CR-V", "crv"),
        ("cr v", "crv"),
        ("Mercedes-Benz", "mercedesbenz"),
        ("Citroën C5", "citroenc5"),
    ],
)
def test_squash(name: str, squashed: str) -> None:
    assert squash(name) == squashed


def test_word_pattern_counts_digits_as_part_of_a_word() -> None:
    four = word_pattern("4")
    assert four.search("un 4x4") is None
    assert four.search("rav4") is None
    assert four.search("tiene 4 puertas") is not None


@pytest.mark.parametrize(
    ("said", "spelled"),
    [
        ("q no pase d 2 palos", "que no pase de 2 palos"),
        ("ke tienen", "que tienen"),
        ("k tienen", "que tienen"),
        ("xq no", "porque no"),
        ("pq me dijeron", "porque me dijeron"),
        ("1 palo pa' abajo", "1 palo para abajo"),
        ("del 2020 pa'arriba", "del 2020 para arriba"),
        ("pa’l 2020", "para el 2020"),
        ("algo pa trabajar", "algo para trabajar"),
        ("pal campo", "para el campo"),
        ("tb en rojo", "tambien en rojo"),
        ("dnd estan uds", "donde estan ustedes"),
        ("c puede pagar x transferencia", "se puede pagar por transferencia"),
        ("ta disponible?", "esta disponible?"),
        ("xfa", "por favor"),
        ("holaaaa buenasss", "hola buenas"),
        ("are u a bot", "are you a bot"),
    ],
)
def test_spell_out_writes_whatsapp_shorthand_in_full(said: str, spelled: str) -> None:
    assert spell_out(fold(said)) == spelled


@pytest.mark.parametrize(
    "kept",
    [
        "800 k",  # thousands
        "25 k usd",
        "isuzu d max",  # a name that starts with the letter
        "la d-max",
        "audi q5",
        "kia k5",
        "bmw x5",
        "4 x 4",  # read as a drivetrain by the parser
        "clase c",
        "rd$ 2 millones",
        "tan barato",  # "tan" is a word
        "mitad",
    ],
)
def test_spell_out_leaves_amounts_names_and_words(kept: str) -> None:
    assert spell_out(kept) == kept

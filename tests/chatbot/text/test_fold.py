"""Folding: case, accents and spacing stop mattering; one form keeps offsets."""

from __future__ import annotations

import pytest

from okla.chatbot.text.fold import fold, fold_chars, squash, word_pattern, words


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

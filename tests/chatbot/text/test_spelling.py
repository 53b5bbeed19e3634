"""Typos: a misspelt word is read as the name or word meant, a real word stays itself."""

from __future__ import annotations

import re

import pytest

from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.spelling import Lexicon, best, correct, lexicon

WORDS = lexicon(
    """toyota hyundai hunday honda mazda nissan chevrolet volkswagen mitsubishi rav4 tucson
    corolla hilux frontier carnival swift ranger civic yipeta camioneta diesel gasolina
    hibrida kilometraje""".split(),
    near={"carnival": frozenset({"kia"})},
)


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("toyta", "toyota"),
        ("toyotta", "toyota"),
        ("hyundia", "hyundai"),
        ("tucsson", "tucson"),
        ("tucon", "tucson"),
        ("rab4", "rav4"),
        ("corola", "corolla"),
        ("hilus", "hilux"),
        ("yipetta", "yipeta"),
        ("yipeda", "yipeta"),
        ("camionetta", "camioneta"),
        ("diesl", "diesel"),
        ("disel", "diesel"),
        ("gasolna", "gasolina"),
        ("hibirda", "hibrida"),
        ("chevrolete", "chevrolet"),
        ("wolkswagen", "volkswagen"),  # a first letter that sounds the same
        ("mitsubichi", "mitsubishi"),
        ("kilometrage", "kilometraje"),
    ],
)
def test_a_typo_is_read_as_the_word_meant(said: str, meant: str) -> None:
    assert best(said, WORDS) == meant


@pytest.mark.parametrize(
    "word",
    [
        "sunday",  # one letter from the misspelling "hunday", but a day
        "monday",
        "gracias",
        "hola",
        "hondo",  # deep, not Honda
        "manda",  # sends, not Mazda
        "frontera",  # a border, not the Frontier
        "shift",  # not the Swift
        "range",  # not the Ranger
        "civil",  # not the Civic
        "carnaval",  # the feast, unless right after its make
        "kit",  # too short to be read as anything
        "rio",
        "rav5",  # its digits are not the RAV4's
        "toyotas",  # a plural of the name, read by the name's own pattern
        "yipetas",
        "tocayo",  # too far from anything
    ],
)
def test_a_word_that_means_something_stays_itself(word: str) -> None:
    assert best(word, WORDS) is None


def test_a_common_word_right_after_its_make_is_the_model() -> None:
    assert best("carnaval", WORDS, previous="kia") == "carnival"
    assert correct("una kia carnaval 2020", WORDS) == "una kia carnival 2020"
    assert correct("el carnaval de la vega", WORDS) == "el carnaval de la vega"


def test_a_typo_close_to_two_words_is_left_alone() -> None:
    two = Lexicon({"sentra": "sentra", "sentro": "sentro"})
    assert best("sentrx", two) is None


def test_known_words_are_never_corrected() -> None:
    bodies = re.compile("|".join(p for p, _ in vocab.BODY_WORDS))
    known = Lexicon({"minivan": "minivan", "sedan": "sedan"}, known=bodies)
    assert best("minivans", known) is None
    assert best("sedanes", known) is None
    assert best("sedanx", known) == "sedan"


def test_correct_rewrites_only_the_typos() -> None:
    assert correct("klk, tienen toyta rab4 diesl?", WORDS) == "klk, tienen toyota rav4 diesel?"
    assert correct("sunday hours?", WORDS) == "sunday hours?"


def test_common_words_are_folded_words_and_no_trade_word() -> None:
    assert all(w.isalnum() and w == w.lower() for w in vocab.COMMON_WORDS)
    assert not vocab.COMMON_WORDS & vocab.TYPO_WORDS
    makes = {vocab.name_key(make) for make in vocab.MARKET_MAKES}
    assert not vocab.COMMON_WORDS & makes

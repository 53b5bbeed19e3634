"""Typos: a misspelt word is read as the name or word meant, a real word stays itself."""

from __future__ import annotations

import re

import pytest

from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.spelling import Lexicon, best, correct, lexicon, sound_key

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


NAMES = """toyota hyundai honda nissan volkswagen mitsubishi rav4 tucson corolla hilux civic yaris
    tahoe kicks frontier carnival swift ranger sportage picanto montero mirage dolphin
    outlander""".split()
BY_EAR = lexicon([*NAMES, "yipeta", "camioneta", "reservar"], names=NAMES)


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        # Sounds the same: c/s/z, b/v, y/ll/i, a dropped or added h, j for h.
        ("sivik", "civic"),
        ("sibic", "civic"),
        ("yundai", "hyundai"),
        ("jiundai", "hyundai"),
        ("jilux", "hilux"),
        ("jonda", "honda"),
        ("nisan", "nissan"),
        ("tajoe", "tahoe"),
        ("dolfin", "dolphin"),  # ph is f
        ("autlander", "outlander"),  # ou said au
        ("esportage", "sportage"),  # the Spanish e before s and a consonant
        ("eswift", "swift"),
        # Cut short, by three letters at most.
        ("toyo", "toyota"),
        ("hyun", "hyundai"),
        ("taho", "tahoe"),
        ("kick", "kicks"),
        ("coroll", "corolla"),
        ("mitsubi", "mitsubishi"),
        ("volkswag", "volkswagen"),
        ("frontie", "frontier"),
        # Said fondly: -ito, -ita, -cito, -quito, -ica.
        ("hiluxita", "hilux"),
        ("rangercito", "ranger"),
        ("civiquito", "civic"),
        ("corollita", "corolla"),
        ("toyotica", "toyota"),
        ("tucsoncito", "tucson"),
        ("yarisito", "yaris"),
        # The start said right, the last letters as heard.
        ("sportach", "sportage"),
        ("picantu", "picanto"),
    ],
)
def test_a_name_said_by_ear_is_the_name(said: str, meant: str) -> None:
    assert best(said, BY_EAR) == meant


@pytest.mark.parametrize(
    "word",
    [
        "monte",  # a hill, not the Montero
        "onda",  # a wave, not Honda
        "mira",  # look, not the Mirage
        "pica",  # it stings, not the Picanto
        "color",
        "reservada",  # words of the trade inflect: only names are heard by ear
        "ahorita",  # diminutives of everyday words
        "poquito",
        "momentito",
        "cafecito",
        "camion",  # a truck: "camioneta" is no name, so not read by ear
        "hil",  # too short to be anything
        "sunday",
        "estar",
        "escape",
    ],
)
def test_an_everyday_word_is_not_heard_as_a_name(word: str) -> None:
    assert best(word, BY_EAR) is None


def test_a_name_with_its_number_apart_is_one_name() -> None:
    assert correct("tienen la raf 4 o la rab 4?", BY_EAR) == "tienen la rav4 o la rav4?"
    assert correct("la toyota 4 puertas", BY_EAR) == "la toyota 4 puertas"


def test_the_sound_of_a_word() -> None:
    assert sound_key("civic") == sound_key("sivic") == sound_key("zibik")
    assert sound_key("hilux") == sound_key("jilux")
    assert sound_key("llipeta") == sound_key("yipeta")
    assert sound_key("chevy") != sound_key("sevy")

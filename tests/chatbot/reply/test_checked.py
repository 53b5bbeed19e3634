"""The streaming guard: sentences are released as they pass; a lost reply is noticed early."""

from __future__ import annotations

from okla.chatbot.reply.checked import CheckedReply, complete_sentences, off_course
from okla.chatbot.reply.guard import GuardContext, Reason
from tests.utils.factories import card

CARD = card("Toyota", "RAV4", 2022, 2_450_000, "XLE", km=28_000)
GUARD = GuardContext(
    cards=[CARD],
    known_makes=frozenset({"Toyota", "Honda"}),
    known_models=frozenset({"RAV4", "CR-Z"}),
    question="¿Qué yipetas tienen?",
    language="es",
)


def test_only_finished_sentences_are_judged() -> None:
    assert complete_sentences("Tenemos la Toyota RAV4") is None
    assert complete_sentences("Tenemos la Toyota RAV4. Cuesta") == "Tenemos la Toyota RAV4."
    assert complete_sentences("Hola!\nTenemos") == "Hola!"


def test_a_wrong_language_is_given_up_after_20_words() -> None:
    assert not off_course(" ".join(["word"] * 19), frozenset({Reason.WRONG_LANGUAGE}))
    assert off_course(" ".join(["word"] * 20), frozenset({Reason.WRONG_LANGUAGE}))
    assert off_course(" ".join(["word"] * 20), frozenset({Reason.ECHO}))


def test_invented_facts_are_given_up_after_40_words() -> None:
    assert not off_course(" ".join(["palabra"] * 39), frozenset({Reason.PRICE_NOT_IN_STOCK}))
    assert off_course(" ".join(["palabra"] * 40), frozenset({Reason.PRICE_NOT_IN_STOCK}))


def test_a_reply_that_only_hasnt_named_a_vehicle_goes_on() -> None:
    assert not off_course(" ".join(["palabra"] * 200), frozenset({Reason.NO_ANSWER}))


def test_text_is_released_sentence_by_sentence() -> None:
    checked = CheckedReply(GUARD)
    released = [
        checked.add(piece)
        for piece in ("La Toyota RAV4 2022 ", "cuesta RD$2,450,000. ", "Es muy ", "confiable. ")
    ]
    assert released == ["", "La Toyota RAV4 2022 cuesta RD$2,450,000.", "", " Es muy confiable."]
    assert checked.shown == "La Toyota RAV4 2022 cuesta RD$2,450,000. Es muy confiable."
    assert checked.verdict().ok


def test_a_sentence_that_fails_is_held_back() -> None:
    checked = CheckedReply(GUARD)
    assert checked.add("La Toyota RAV4 2022 cuesta RD$2,450,000. ") != ""
    assert checked.add("También tenemos el Honda CR-Z por RD$100. ") == ""
    assert "CR-Z" not in checked.shown
    assert not checked.lost, "something was shown: the reply is not given up on"


def test_a_reply_that_keeps_inventing_is_lost() -> None:
    checked = CheckedReply(GUARD)
    invented = "Tenemos el Honda CR-Z del año 2011 por solo RD$100 y está en perfecto estado. "
    for _ in range(4):
        assert checked.add(invented) == ""
    assert checked.lost

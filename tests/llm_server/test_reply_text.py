"""Incremental UTF-8 decoding and stop strings."""

from __future__ import annotations

from okla.llm_server.reply_text import ReplyText


def feed(text: ReplyText, pieces: list[bytes]) -> tuple[str, bool]:
    shown = ""
    for piece in pieces:
        out, stopped = text.push(piece)
        shown += out
        if stopped:
            return shown, True
    return shown + text.flush(), False


def test_without_stops_everything_is_shown_at_once() -> None:
    text = ReplyText(())
    assert text.push(b"Hola") == ("Hola", False)
    assert text.push(b" mundo") == (" mundo", False)
    assert text.flush() == ""


def test_a_character_split_across_tokens_waits_for_its_second_half() -> None:
    text = ReplyText(())
    ene = "ñ".encode()
    assert text.push(b"a" + ene[:1]) == ("a", False)
    assert text.push(ene[1:]) == ("ñ", False)


def test_stop_string_cuts_the_reply_and_is_not_shown() -> None:
    assert feed(ReplyText(["END"]), [b"uno ", b"dos E", b"N", b"D tres"]) == ("uno dos ", True)


def test_text_that_only_looked_like_a_stop_is_released() -> None:
    text = ReplyText(["END"])
    assert text.push(b"the E") == ("the ", False)
    assert text.push(b"nd") == ("End", False)


def test_held_back_text_is_flushed_when_the_reply_ends() -> None:
    assert feed(ReplyText(["END"]), [b"casi EN"]) == ("casi EN", False)


def test_earliest_of_several_stops_wins() -> None:
    assert feed(ReplyText(["zz", "b"]), [b"a", b"bzz"]) == ("a", True)

"""Split a reply into sentences and list items, and join back the ones that may be shown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_LIST_MARKER = re.compile(r"(?:\d{1,2}[.)]|[-*•·])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# A period that ends no sentence: "8:00 a. m.", "Av. Abraham Lincoln", "No. 45".
_ABBREVIATION = re.compile(r"(?<![\w.])(?:[ap]|av|ave|avda|esq|dr|sr|sra|sto|sta|c)\.$", re.I)
_NUMBER_SIGN = re.compile(r"(?<![\w.])(?:no|num|nro)\.$", re.I)
# "de 8:00 a. m. a 6:00 p. m.": a time's "m." ends no sentence when the words go on in lower case.
_MERIDIEM = re.compile(r"(?<![\w.])[ap]\.\s?m\.$", re.I)


def _pieces(line: str) -> list[str]:
    """Split a line where sentences end, not after the abbreviations of times and addresses."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(line):
        if pieces and (
            _ABBREVIATION.search(pieces[-1])
            or (_NUMBER_SIGN.search(pieces[-1]) and piece[:1].isdigit())
            or (_MERIDIEM.search(pieces[-1]) and piece[:1].islower())
        ):
            pieces[-1] += f" {piece}"
        else:
            pieces.append(piece)
    return pieces


@dataclass(frozen=True)
class Sentence:
    """A sentence or list item, and whether a line starts with it."""

    text: str
    starts_line: bool


def sentences(text: str) -> list[Sentence]:
    """Split a reply into its sentences and list items."""
    found: list[Sentence] = []
    for line in text.split("\n"):
        marker = ""
        first = True
        for piece in _pieces(line.strip()):
            if not piece:
                continue
            # "1." alone is the number of the list item that follows, not a sentence.
            if _LIST_MARKER.fullmatch(piece):
                marker += piece + " "
                continue
            found.append(Sentence(marker + piece, first))
            marker = ""
            first = False
        if marker:
            found.append(Sentence(marker.strip(), first))
    return found


def split_sentences(text: str) -> list[str]:
    """Split a reply into sentences and list items, keeping their punctuation."""
    return [s.text for s in sentences(text)]


def rejoin(found: Sequence[Sentence], keep: Sequence[bool]) -> str:
    """Join the kept sentences, keeping a line break wherever one was, even before a gap."""
    parts: list[str] = []
    pending_break = False
    for sentence, kept in zip(found, keep, strict=True):
        pending_break = pending_break or sentence.starts_line
        if not kept:
            continue
        if parts:
            parts.append("\n" if pending_break else " ")
        parts.append(sentence.text)
        pending_break = False
    return "".join(parts).strip()

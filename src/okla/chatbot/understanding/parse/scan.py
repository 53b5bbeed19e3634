"""What every pass shares: blanking what it read, and finding the words of a table.

A pass blanks the words it understood (spaces of the same length, so offsets stay valid and
a later pass cannot read them again). This module reads nothing of the message by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace spans with spaces; offsets stay valid for the spans found in the same pass."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """Find every match of a pattern and blank them out."""
    found = list(pattern.finditer(text))
    return found, blank(text, (m.span() for m in found))


# What joins the two ends of a range, of prices or of years: "1 a 2 millones", "2018-2020".
RANGE_JOIN = re.compile(r"^\s*(?:-|a|al|to|hasta|y|and)\s*(?:el\s+)?$")


@dataclass(frozen=True)
class Said(Generic[T]):
    """A value a table's pattern found in the message, and where."""

    start: int
    end: int
    value: T


def find_said(table: Sequence[tuple[re.Pattern[str], T]], text: str) -> tuple[list[Said[T]], str]:
    """Find every value the table's patterns name, in order of appearance, and blank them."""
    found: list[Said[T]] = []
    for pattern, value in table:
        matches, text = take(pattern, text)
        found += [Said(m.start(), m.end(), value) for m in matches]
    return sorted(found, key=lambda said: said.start), text


def collect(table: Sequence[tuple[re.Pattern[str], T]], text: str) -> tuple[list[T], str]:
    """Return the value of every pattern found, in order of appearance, and blank them."""
    found, text = find_said(table, text)
    return [said.value for said in found], text

"""Fold text for matching: case, accents and spacing stop mattering ("Compañía" is "compania").

There are two forms. `fold` may change the text's length (it collapses whitespace and expands
compatibility characters such as "ﬁ"), which is what matching words needs. `fold_chars` keeps
one character for one, so an offset found in its result points at the same character of the
original: the guard needs that to tell where in a sentence a price or a name was said.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents (ñ becomes n) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char  # "İ" lower-cases to two characters: kept as it is, to keep offsets
    # The canonical decomposition's base letter: "é" -> "e", "ñ" -> "n" (never more than one).
    return unicodedata.normalize("NFD", lower)[0]


def fold_chars(text: str) -> str:
    """Lower-case and drop accents, one character for one, so offsets still match `text`."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def word_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a pattern for folded text that starts and ends on word boundaries.

    Digits count as word characters: "4" is no whole word inside "rav4".
    """
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


def words(text: str) -> list[str]:
    """Split folded text into its runs of letters and digits: "CR-V 2022" -> cr, v, 2022."""
    return _WORD.findall(fold(text))


def squash(text: str) -> str:
    """Keep only the letters and digits of the folded text: "CR-V", "cr v" -> "crv"."""
    return "".join(c for c in fold(text) if c.isalnum())

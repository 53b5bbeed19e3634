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


# WhatsApp shorthand, as folded, and the word it stands for. Each is a whole word, so "q5",
# "k5" and "d-max" stay names; see `spell_out` for the letters that need more care.
_SHORTHAND = {
    "q": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque", "xk": "porque",
    "porq": "porque", "pa": "para", "pal": "para el", "tb": "tambien", "tmb": "tambien",
    "tbn": "tambien", "tmbn": "tambien", "dnd": "donde", "dnde": "donde", "cdo": "cuando",
    "qndo": "cuando", "kndo": "cuando", "ud": "usted", "uds": "ustedes", "kiero": "quiero",
    "qiero": "quiero", "kien": "quien", "qien": "quien", "aki": "aqui", "ta": "esta",
    "toy": "estoy", "tamo": "estamos", "bn": "bien", "nd": "nada", "xfa": "por favor",
    "xfavor": "por favor", "porfa": "por favor", "plis": "por favor", "pls": "please",
    "plz": "please", "hta": "hasta", "hsta": "hasta", "qto": "cuanto", "kuanto": "cuanto",
    "tiens": "tienes", "msj": "mensaje", "u": "you", "ur": "your", "r": "are",
}  # fmt: skip
_SHORTHAND_WORD = re.compile(
    r"(?<![a-z0-9'’$-])(" + "|".join(sorted(_SHORTHAND, key=len, reverse=True)) + r")"
    r"(?![a-z0-9'’-])"
)
# "pa'", "pa’l", "p'arriba": the apostrophe of "para" cut short.
_PA = re.compile(r"(?<![a-z0-9])(?:pa|p)['’](?:\s*(l)\b)?\s*")
# A lone letter that stands for a word only between words, never beside a digit or a name
# that starts with it: "q" in "q no pase" is que, the k of "800 k" is thousands, the d of
# "d max" is Isuzu's, the x of "4 x 4" and "x5" is no "por", the c of "clase c" no "se".
_LETTER_WORDS = (
    (re.compile(r"(?<![a-z0-9'’$-])(?<!\d )k(?![a-z0-9'’-])(?! ?\d)"), "que"),
    (re.compile(r"(?<![a-z0-9'’$-])d(?![a-z0-9'’-])(?! ?-? ?max\b)"), "de"),
    (re.compile(r"(?<![a-z0-9'’$-])(?<!\d )x(?![a-z0-9'’-])(?! ?\d)"), "por"),
    (re.compile(r"(?<![a-z0-9'’$-])(?<!clase )(?<!class )c(?![a-z0-9'’-])(?! ?\d)"), "se"),
)
# Three or more of one letter are never spelling: "holaaa", "graciasss", "muuuy".
_STRETCHED = re.compile(r"([a-z])\1{2,}")


def spell_out(folded: str) -> str:
    """Write folded WhatsApp shorthand out in full: "q no pase d 2 palos pa' abajo xfa".

    Returns "que no pase de 2 palos para abajo por favor"; words that are no shorthand are
    left as they are, and so are amounts ("800 k") and names ("Q5", "D-Max", "X5").
    """
    text = _STRETCHED.sub(r"\1", folded)
    text = _PA.sub(lambda m: "para el " if m.group(1) else "para ", text)
    text = _SHORTHAND_WORD.sub(lambda m: _SHORTHAND[m.group(1)], text)
    for pattern, word in _LETTER_WORDS:
        text = pattern.sub(word, text)
    return text

"""What the customer rules out: "que no sea Toyota", "no quiero mecánica", "excepto Kia ni Hyundai".

Reads the words around what another pass found (a "no" before it, or after it closing its
clause; a list that goes on ruling out) and blanks nothing: the pass that found the words
blanks them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from okla.chatbot.understanding.parse.scan import Said

T = TypeVar("T")


# Words that may stand between a "no" and what it rules out: "que no sea de la marca Toyota".
_RULED_FILLER = (
    r"(?:un|una|unos|unas|el|la|los|las|de|del|marca|marcas|nada|ningun|ninguna|ninguno|"
    r"tipo|otro|otra|carro|carros|yipeta|yipetas|vehiculo|vehiculos|modelo|the|a|an|any|"
    r"brand|ni|tampoco|color|en|que|sea|sean)"
)
_RULED_OUT_BEFORE = re.compile(
    r"(?<![a-z])(?:que no sean?|no sean?|no (?:quiero|queremos|busco|me gustan?|me interesan?|"
    r"deseo|necesito|prefiero|me (?:la|lo|las|los) (?:traigas|muestres|mandes))|nada de|nada|"
    r"menos|excepto|exceptuando|salvo|fuera de|pero no|no|ni|sin|aparte de|"
    r"except|but not|not|other than|anything but|besides|(?:is|are|that'?s|which is)n'?t|"
    r"(?:is|are) not|(?:i )?(?:don'?t|do not) "
    r"(?:want|like|need)|nothing|no more)"
    # Single spaces only: folded text has no others, so a run of them is something a pass
    # understood and blanked ("menos de [2 palos] diesel" rules no diesel out).
    rf"(?: {_RULED_FILLER})* ?$"
)
# "Toyota no, prefiero Honda": a "no" after the word, closing its clause.
_RULED_OUT_AFTER = re.compile(r"^\s*(?:no|nunca|tampoco|not|please no)\s*(?:[,.;!?]|$|gracias)")
# A list goes on ruling out: "que no sea Toyota ni Honda", "excepto Kia, Hyundai o la CX-5";
# "no quiero sedán, una yipeta" starts another clause.
_LIST_JOIN = re.compile(rf"^\s*,?\s*(?:(?:y|o|ni|and|or|nor)\s+(?:{_RULED_FILLER}\s+)*)?$")


def ruled_out(text: str, start: int, end: int) -> bool:
    """Tell whether the words at text[start:end] are ruled out by a "no" around them."""
    return bool(_RULED_OUT_BEFORE.search(text[:start]) or _RULED_OUT_AFTER.match(text[end:]))


def ruled_out_all(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """Tell, for spans in order, which are ruled out, a list continuing the one before it."""
    ruled: list[bool] = []
    for i, (start, end) in enumerate(spans):
        continued = i > 0 and ruled[-1] and _LIST_JOIN.match(text[spans[i - 1][1] : start])
        ruled.append(bool(continued) or ruled_out(text, start, end))
    return ruled


def split_ruled_out(found: Sequence[Said[T]], text: str) -> tuple[list[T], list[T]]:
    """Split what was said into what is wanted and what is ruled out."""
    ruled = ruled_out_all(text, [(s.start, s.end) for s in found])
    return (
        [s.value for s, out in zip(found, ruled, strict=True) if not out],
        [s.value for s, out in zip(found, ruled, strict=True) if out],
    )

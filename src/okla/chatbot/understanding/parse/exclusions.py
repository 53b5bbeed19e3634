"""What the customer rules out: "que no sea Toyota", "no quiero mecánica", "excepto Kia ni Hyundai".

Reads the words around what another pass found (a "no" before it, or after it closing its
clause; a list that goes on ruling out) and blanks nothing: the pass that found the words
blanks them. A word only mentioned (a complaint, "me está matando la gasolina"; the other side
of a comparison, "más barato que la gasolina") is neither wanted nor ruled out.
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
    r"brand|ni|tampoco|color|en|que|sea|sean|ser)"
)
_RULED_OUT_BEFORE = re.compile(
    r"(?<![a-z])(?:que no sean?|no sean?|no (?:(?:me )?l[oa]s? )?(?:quiero|queremos|busco|"
    r"buscamos|deseo|necesito|prefiero|quisiera)|no (?:me |nos )?(?:gustan?|interesan?|"
    r"convencen?)|no me (?:(?:la|lo|las|los) )?(?:traigas|muestres|mandes|ensenes|pongas|"
    r"ofrezcas|recomiendes)|evitar|evito|evita|evitando|avoid|nada de|nada|"
    # "menos la RAV4" rules it out; "lo menos de la RAV4" is its lowest price.
    r"(?<!lo )menos|excepto|exceptuando|salvo|fuera de|pero no|no|ni|sin|aparte de|en vez de|"
    r"en lugar de|instead of|rather than|"
    r"except|but not|not|other than|anything but|besides|(?:is|are|that'?s|which is)n'?t|"
    r"(?:is|are) not|(?:i )?(?:don'?t|do not) "
    r"(?:want|like|need)|nothing|no more)"
    # Single spaces only: folded text has no others, so a run of them is something a pass
    # understood and blanked ("menos de [2 palos] diesel" rules no diesel out).
    rf"(?: {_RULED_FILLER})* ?$"
)
# "Toyota no, prefiero Honda": a "no" after the word, closing its clause; "ya vi la Hilux y no
# me convence", "la blanca no me gusta".
_RULED_OUT_AFTER = re.compile(
    r"^\s*(?:(?:no|nunca|tampoco|not|please no)\s*(?:[,.;!?]|$|gracias)|,?\s*(?:y |pero )?"
    r"(?:no (?:me |nos )?(?:convence|convencio|convencen|gusta|gusto|gustan|gustaron|"
    r"interesa|interesan|cuadra|cuadran|llama la atencion|sirve|sirven)|no (?:es|son) lo que "
    r"(?:busco|quiero|buscamos)|(?:i )?(?:don'?t|do not) like (?:it|them)))"
)
# A word only mentioned, neither wanted nor ruled out: a complaint ("me está matando la
# gasolina", "la mecánica me cansa en el tapón", "gas is crazy expensive"), the other side of
# a comparison ("el GLP me sale más barato que la gasolina"), what the customer doesn't mind
# ("no importa que sea mecánica").
_MENTIONED_BEFORE = re.compile(
    r"(?<![a-z])(?:me (?:esta|tiene|tienen|estan) (?:matando|acabando|arruinando|jodiendo|"
    r"comiendo)|(?:mas|menos) (?:barat[oa]s?|car[oa]s?|economic[oa]s?) que|mejor(?:es)? que|"
    r"peor(?:es)? que|cheaper than|better than|more expensive than|worse than|"
    r"(?:gasto|gasta|gastando|gastar|gastaba) (?:mucho|tanto|demasiado|un ojo) (?:en|de)|"
    # Indifference: "no importa que sea mecánica", "aunque sea diésel".
    r"no (?:me |nos )?importa (?:que sean?|si es|si son|que tenga)|da igual (?:que sean?|si es)|"
    r"aunque sean?|(?:i )?(?:don'?t|do not) care if (?:it'?s|it is)|even if (?:it'?s|it is))"
    rf"(?: {_RULED_FILLER})* ?$"
)
_MENTIONED_AFTER = re.compile(
    r"^\s*(?:me (?:cansa|cansan|cansaba|mata|matan|tiene (?:harto|cansado|loco|jarto)|"
    r"esta matando|sale (?:muy |demasiado )?car[oa]|cuesta (?:mucho|un ojo))|"
    r"(?:esta|estan|anda|andan|sigue|siguen) (?:por las nubes|(?:muy |demasiado |bien )?"
    r"(?:car[oa]s?|carisim[oa]s?|alt[oa]s?|altisim[oa]s?)|subiendo|en las nubes)|"
    r"(?:is|are|'s|s) (?:so |very |crazy |too |really |super |way too )?(?:expensive|high|pricey|"
    r"through the roof|killing me))"
)
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


def mentioned(text: str, start: int, end: int) -> bool:
    """Tell whether the words at text[start:end] are only mentioned: complained of, compared."""
    return bool(_MENTIONED_BEFORE.search(text[:start]) or _MENTIONED_AFTER.match(text[end:]))


def split_ruled_out(found: Sequence[Said[T]], text: str) -> tuple[list[T], list[T]]:
    """Split what was said into what is wanted and what is ruled out (not what is mentioned)."""
    said = [s for s in found if not mentioned(text, s.start, s.end)]
    ruled = ruled_out_all(text, [(s.start, s.end) for s in said])
    return (
        [s.value for s, out in zip(said, ruled, strict=True) if not out],
        [s.value for s, out in zip(said, ruled, strict=True) if out],
    )

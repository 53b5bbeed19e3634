"""Makes and models the customer asks for or rules out, their own vehicle, and origins.

Reads the dealer's makes and models (where names.py finds them) and blanks them, so that the
4 of "RAV4" is no price. The customer's own vehicle ("aceptan mi corolla 2012?", "my 2015
Civic") is never what they search: it is blanked with its year and mileage, so that neither
is read as what they want. An origin ("una yipeta japonesa", "no quiero coreanos") stands
for the makes of that country and is blanked when read as one.
"""

from __future__ import annotations

import re

from okla.chatbot.inventory.domain import Catalog
from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.fold import word_pattern
from okla.chatbot.understanding.parse.exclusions import ruled_out, ruled_out_all
from okla.chatbot.understanding.parse.names import Hit, vehicle_hits
from okla.chatbot.understanding.parse.scan import blank, take

# The customer's own vehicle: "mi corolla 2012", "my old Civic", "el mío".
_OWN_BEFORE = re.compile(
    r"(?<![a-z])(?:mi|mis|my|nuestr[oa]|our|tengo (?:un|una)|i (?:have|own|drive) an?|"
    r"i've got an?)\s+(?:(?:carro|carrito|vehiculo|yipeta|jeepeta|"
    r"camioneta|guagua|auto|car|truck|suv|viej[oa]|actual|old|current|propi[oa])\s+)*"
    r"(?P<year>(?:19|20)\d\d\s+)?$"
)
_OWN_NOUN = re.compile(
    r"(?<![a-z])(?:mi|mis|my|nuestr[oa]|our)\s+(?:(?:viej[oa]|actual|old|current|propi[oa])\s+)?"
    r"(?:carro|carrito|vehiculo|yipeta|jeepeta|yipetica|camioneta|guagua|auto|car|truck|suv|"
    r"pasola|motor)s?\b|"
    # A vehicle this dealer doesn't stock, told by its year: "mi accord 2010", "my 2015 civic".
    r"(?<![a-z])(?:mi|my)\s+(?:(?:19|20)\d\d\s+[a-z][a-z0-9-]*|[a-z][a-z0-9-]*"
    r"(?:\s+[a-z][a-z0-9-]*)?\s+(?:del?\s+|modelo\s+)?(?:19|20)\d\d)\b"
)
_OWN_AFTER = re.compile(
    r"^\s*(?:(?:del?|year|ano|modelo)\s+)?(?:(?:19|20)\d\d|['’]?\d\d)(?![\d.,])"
    r"(?:\s*(?:con|with)?\s*\d[\d.,]*\s*(?:mil|k)?\s*(?:kms?|kilometros|millas|miles))?"
)


def read_makes_and_models(
    text: str, catalog: Catalog
) -> tuple[set[str], set[str], set[str], set[str], str]:
    """Return the makes and models wanted, those ruled out, and the text with them blanked."""
    # Where readings overlap, the longest wins, then a full name over a distinctive word or a
    # short name, then a model over a make.
    hits = sorted(
        vehicle_hits(text, catalog),
        key=lambda h: (h.end - h.start, h.exact, h.model is not None),
        reverse=True,
    )
    taken: list[Hit] = []
    for hit in hits:
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    taken.sort(key=lambda h: h.start)
    blanks = [(h.start, h.end) for h in taken]
    # The customer's own vehicle, and what goes on naming it ("mi Toyota Corolla 2012").
    owned: list[Hit] = []
    for hit in taken:
        joined = owned and not text[owned[-1].end : hit.start].strip()
        own = _OWN_BEFORE.search(text[: hit.start])
        if joined or own:
            owned.append(hit)
            if own and own.group("year"):
                blanks.append(own.span("year"))
            if m := _OWN_AFTER.match(text[hit.end :]):
                blanks.append((hit.end, hit.end + m.end()))
    wanted = [h for h in taken if h not in owned]
    ruled = ruled_out_all(text, [(h.start, h.end) for h in wanted])
    makes: set[str] = set()
    models: set[str] = set()
    not_makes: set[str] = set()
    not_models: set[str] = set()
    for hit, out in zip(wanted, ruled, strict=True):
        if not out:
            makes.add(hit.make)
            if hit.model is not None:
                models.add(hit.model)
        elif hit.model is not None:
            not_models.add(hit.model)  # "menos la Tucson" rules out the model, not Hyundai
        else:
            not_makes.add(hit.make)
    text = blank(text, blanks)
    _, text = take(_OWN_NOUN, text)
    return makes, models, not_makes, not_models, text


_ORIGINS = tuple((word_pattern(words), makes) for words, makes in vocab.MAKE_ORIGINS)
# An origin names makes only beside a vehicle word or a "no": "el chino" is a nickname.
_VEHICLE_BEFORE_ORIGIN = re.compile(
    r"(?<![a-z])(?:carros?|carritos?|yipetas?|jeepetas?|camionetas?|guaguas?|vehiculos?|autos?|"
    r"marcas?|algo|cars?|suvs?|trucks?|brands?|something|uno|una|unos|unas|las|los|modelos?)"
    r"(?:\s+(?:de marca|marca))?\s*$"
)
_VEHICLE_AFTER_ORIGIN = re.compile(r"^\s*(?:cars?|suvs?|trucks?|brands?|makes?|vehicles?)\b")


def read_origins(text: str, catalog: Catalog) -> tuple[set[str], set[str], str]:
    """Read 'una yipeta japonesa' and 'no quiero coreanos' as the makes of that origin."""
    wanted: set[str] = set()
    ruled: set[str] = set()
    for pattern, origin_makes in _ORIGINS:
        stocked = {make for make in catalog.makes if make in origin_makes}
        for m in pattern.finditer(text):
            if ruled_out(text, m.start(), m.end()):
                ruled |= stocked
            elif _VEHICLE_BEFORE_ORIGIN.search(text[: m.start()]) or _VEHICLE_AFTER_ORIGIN.match(
                text[m.end() :]
            ):
                # None stocked: the makes themselves, so the answer says there are none.
                wanted |= stocked or set(origin_makes & vocab.MARKET_MAKES)
            else:
                continue
            text = blank(text, [m.span()])
    return wanted, ruled, text

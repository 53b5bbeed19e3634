"""Mileage: the most the odometer may show ("menos de 20 mil km", "30k miles or less", "0 km").

Reads a cap on the distance driven, in kilometres (miles converted), and blanks it. It runs
before the price pass, whose own blanking of distances ("50,000 km" is no budget) would
otherwise hide the cap.
"""

from __future__ import annotations

import re

from okla.chatbot.text.fold import word_pattern
from okla.chatbot.text.money import read_number
from okla.chatbot.understanding.parse.scan import blank

_KM = r"kms?|kilometros?|kilometers?|kilometres?|k\.m\.?"
_MILES = r"millas|miles|mi"
_DISTANCE = (
    rf"(?P<num>\d+(?:[.,]\d+)*)\s?(?P<k>mil|k)?\s?(?:de\s)?(?:(?P<km>{_KM})|(?P<mi>{_MILES}))"
)
_MILEAGE_CAPS = tuple(
    re.compile(p)
    for p in (
        # "menos de 20 mil km", "que no pase de 50,000 kilómetros", "under 30k miles"
        rf"(?<![a-z])(?:menos de|no mas de|hasta|maximo|max|que no pasen? de|no pasen? de|"
        rf"no mayor (?:de|a)|por debajo de|debajo de|bajo|under|below|less than|no more than|"
        rf"up to|at most|fewer than|no (?:tenga|tengan|supere|superen|exceda|excedan) "
        rf"(?:de |mas de |los |arriba de )?)\s*(?:los\s|unos\s)?{_DISTANCE}\b",
        # "30 mil km o menos", "50,000 km máximo"
        rf"(?<![\w.,]){_DISTANCE}\s+(?:o menos|para abajo|maximo|max|or less|or fewer|tops|"
        rf"at most|como maximo)\b",
        # "kilometraje menor a 40 mil", "mileage under 30k"
        rf"(?<![a-z])(?:kilometraje|millaje|mileage|recorrido)\s+(?:de\s)?(?:menos de|"
        rf"menor (?:de|a)|bajo|hasta|maximo|no mayor (?:de|a)|que no pase de|under|below|"
        rf"less than|of less than)"
        rf"\s+(?P<num>\d+(?:[.,]\d+)*)\s?(?P<k>mil|k)?\s?(?:(?P<km>{_KM})|(?P<mi>{_MILES}))?",
    )
)
_KM_PER_MILE = 1.609344
# "0 km" is a vehicle nobody has driven: a cap of nothing, whatever its year.
_ZERO_KM = word_pattern(r"(?:0|cero|zero) ?(?:km|kms|kilometros?|kilometers?|miles|millas)")


def read_mileage_cap(text: str) -> tuple[int | None, str]:
    """Read 'menos de 20 mil km' as a cap on the odometer, in kilometres."""
    cap: int | None = None
    if zero := list(_ZERO_KM.finditer(text)):
        cap, text = 0, blank(text, (m.span() for m in zero))
    for pattern in _MILEAGE_CAPS:
        for m in pattern.finditer(text):
            number = read_number(m.group("num"))
            if number is None or number.fraction:
                continue
            km = number.whole * (1000 if m.group("k") else 1)
            if m.group("mi"):
                km = round(km * _KM_PER_MILE)
            if 1_000 <= km <= 1_000_000:
                cap = km if cap is None else min(cap, km)
                text = blank(text, [m.span()])
    return cap, text

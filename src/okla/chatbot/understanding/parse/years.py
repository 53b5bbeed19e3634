"""Model years: "2020 o más nuevo", "entre 2018 y 2020", "de los últimos 3 años", "nueva".

Before any pass reads the message, `full_years` writes the two-digit years a customer means
in full ("modelo 19" -> "modelo 2019"). The year pass then reads four-digit years as bounds,
a range or the years wanted, and blanks them with the words that bound them (so "más nuevo"
in "2020 o más nuevo" is no sort order); the age pass reads and blanks "de los últimos 3
años". "Nuevo" and "reciente" are read last, when nothing else set the years, and not
blanked.
"""

from __future__ import annotations

import re

from okla.chatbot.text.fold import word_pattern
from okla.chatbot.text.money import NUMBER_WORDS
from okla.chatbot.understanding.parse.scan import RANGE_JOIN, blank

_YEAR_RE = re.compile(r"(?<![a-z0-9.,$])(?<![a-z]-)((?:19|20)\d\d)(?![a-z0-9]|[.,]\d)")
_YEAR_FILLER = r"(?:\s+(?:el|la|los|ano|anos|modelo|modelos|the|year|model))*\s*$"
# Each bound: how a year is introduced (before) or followed (after), and the shift that
# turns an exclusive bound inclusive ("after 2019" is 2020 or newer).
_YEAR_BOUNDS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    # "que no sea más viejo que 2021" is 2021 or newer, and the other way round.
    ("min", re.compile(rf"(?<![a-z])no (?:sea |sean |es )?(?:mas viej[oa]s?|anterior(?:es)?) "
                       rf"(?:que|a|al|del?){_YEAR_FILLER}"), 0),
    ("max", re.compile(rf"(?<![a-z])no (?:sea |sean |es )?(?:mas nuev[oa]s?|posterior(?:es)?) "
                       rf"(?:que|a|al|del?){_YEAR_FILLER}"), 0),
    ("min", re.compile(rf"(?<![a-z])(?:despues del?|after|posterior(?:es)? al?|"
                       rf"mas nuev[oa]s? que|newer than){_YEAR_FILLER}"), 1),
    ("min", re.compile(rf"(?<![a-z])(?:desde|from|since|a partir del?){_YEAR_FILLER}"), 0),
    ("max", re.compile(rf"(?<![a-z])(?:antes del?|before|older than|mas viej[oa]s? que|"
                       rf"anterior(?:es)? al?){_YEAR_FILLER}"), -1),
    ("max", re.compile(rf"(?<![a-z])(?:hasta|up to|until|till){_YEAR_FILLER}"), 0),
)  # fmt: skip
_YEAR_AFTER_MIN = re.compile(
    r"^\s*(?:(?:o|or) (?:mas|more)(?!\s*[a-z])|(?:(?:o|or) )?(?:\+|(?:mas nuev[oa]s?|en adelante|"
    r"para arriba|hacia adelante|newer|later|and up|and newer|and later|onwards?|superior|"
    r"mas reciente|en alante|para aca|hacia aca|para adelante)\b))"
)
_YEAR_AFTER_MAX = re.compile(
    r"^\s*(?:(?:o|or) )?(?:mas viej[oa]s?|older|earlier|anterior(?:es)?|para abajo|"
    r"and older|and earlier|inferior|menos)\b"
)
_NEW = word_pattern(
    r"(?<!\bde )(?<!\bcomo )(?<!\bsemi )(?:nuev[oa]s?|nuev(?:ecit|esit|it)[oa]s?)|"
    r"del ano(?! pasado)|brand new|"
    r"new (?:cars?|suvs?|trucks?|vehicles?|vans?|minivans?|pickups?)"
)
_RECENT = word_pattern(r"recientes?|recent")
_AGE_COUNT = r"\d{1,2}|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|two|three|four|five|ten"
# An age instead of a year: "de los últimos 3 años", "que no tenga más de 5 años".
_AGE = word_pattern(
    rf"(?:(?:de )?(?:los )?(?:ultimos|last)\s+(?P<n>{_AGE_COUNT})\s+(?:anos|years)|"
    rf"(?:de menos de|menos de|que no tenga mas de|no tenga mas de|no mas de|less than|"
    rf"under|no older than)\s+(?P<m>{_AGE_COUNT})\s+(?:anos|years)(?: de (?:uso|viejo|"
    rf"antiguedad))?(?: old)?)"
)


def read_age(text: str, today_year: int) -> tuple[int | None, str]:
    """Read 'de los últimos 3 años' as the oldest model year wanted."""
    oldest: int | None = None
    for m in _AGE.finditer(text):
        said = m.group("n") or m.group("m")
        years = int(said) if said.isdigit() else NUMBER_WORDS[said]
        if 0 < years <= 30:
            oldest = max(oldest or 0, today_year - years)
            text = blank(text, [m.span()])
    return oldest, text


def read_newness(text: str, today_year: int) -> int | None:
    """Return the oldest model year "nueva" (last year's on) or "reciente" (three years) allows."""
    if _NEW.search(text):
        return today_year - 1
    if _RECENT.search(text):
        return today_year - 3
    return None


# Two-digit years where only a year can be meant: "modelo 19", "año 21", "del 18 en
# adelante", "del 18 al 20", "'19".
_SHORT_YEARS = (
    re.compile(
        r"(?<![a-z])(?P<lead>(?:modelos?|ano|anos|year|model|mod|del ano)\s+(?:del?\s+)?)"
        r"(?P<a>\d\d)(?:(?P<join>\s*(?:-|a|al|y|o|or|to|hasta)\s*)(?P<b>\d\d))?(?![\d.,])"
        r"(?!\s*(?:mil|k|m|millones?|km|kms|pasajeros|asientos|%|meses|dias|anos)\b)"
    ),
    re.compile(
        r"(?<![a-z])(?P<lead>del?\s+)(?P<a>\d\d)(?P<join>\s+al\s+)(?P<b>\d\d)(?![\d.,])"
        r"(?!\s*(?:mil|k|m|millones?|palos?|%|km|kms|pasajeros|asientos|meses|dias|anos)\b)"
    ),
    re.compile(
        r"(?<![a-z])(?P<lead>del\s+)(?P<a>\d\d)(?![\d.,])(?=\s+(?:para arriba|en adelante|"
        r"o mas nuev[oa]|hacia adelante|para adelante|para abajo|o mas viej[oa]|en alante)\b)"
    ),
    re.compile(r"(?<![\w'’])(?P<lead>['’])(?P<a>\d\d)(?![\d.,]|[a-z])"),
    # "la rav4 del 19", unless a date or an amount: "del 19 de marzo", "del 15 al 20 mil".
    re.compile(
        r"(?<![a-z])(?P<lead>del\s+)(?P<a>\d\d)(?![\d.,])(?!\s*(?:de|del|al?|y|mil|k|m|"
        r"millones?|palos?|%|km|kms|pasajeros|asientos|meses|dias|anos)\b)"
    ),
)


def _four_digits(two: str, today_year: int) -> str:
    """Write a two-digit year in full: the latest year it can be, up to next year's models."""
    year = 2000 + int(two)
    return str(year if year <= today_year + 1 else year - 100)


def full_years(text: str, today_year: int) -> str:
    """Write the two-digit years a customer means in full: "modelo 19" -> "modelo 2019"."""

    def full(m: re.Match[str]) -> str:
        """Write the year or years of one match in full (the apostrophe of "'19" goes)."""
        lead = "" if m.group("lead") in ("'", "’") else m.group("lead")
        written = lead + _four_digits(m.group("a"), today_year)
        if m.groupdict().get("b"):
            written += m.group("join") + _four_digits(m.group("b"), today_year)
        return written

    for pattern in _SHORT_YEARS:
        text = pattern.sub(full, text)
    return text


def read_years(text: str, today_year: int) -> tuple[int | None, int | None, str]:
    """Return the oldest and newest model year wanted, and the text with the years blanked."""
    found = [
        (m.start(), m.end(), int(m.group(1)))
        for m in _YEAR_RE.finditer(text)
        if 1980 <= int(m.group(1)) <= today_year + 1
    ]
    lowest: int | None = None
    highest: int | None = None
    exact: list[int] = []
    used: list[tuple[int, int]] = []
    pairs = zip(found, found[1:], strict=False)
    joined = {i for i, (one, two) in enumerate(pairs) if RANGE_JOIN.match(text[one[1] : two[0]])}
    for i, (start, end, year) in enumerate(found):
        if i in joined or i - 1 in joined:
            # "2018-2020", "entre 2018 y 2020", "desde 2018 hasta 2020" are both ends of a span.
            exact.append(year)
            used.append((start, end))
            continue
        before, after = text[:start], text[end:]
        used.append((start, end))
        bound = None
        for kind, pattern, shift in _YEAR_BOUNDS:
            if m := pattern.search(before):
                bound = kind, year + shift
                used.append(m.span())
                break
        if bound is None and (m := _YEAR_AFTER_MIN.match(after)):
            bound = "min", year
            used.append((end, end + m.end()))
        if bound is None and (m := _YEAR_AFTER_MAX.match(after)):
            bound = "max", year
            used.append((end, end + m.end()))
        if bound is None:
            exact.append(year)
        elif bound[0] == "min":
            lowest = lowest or bound[1]
        else:
            highest = highest or bound[1]
    if exact and (joined or (lowest is None and highest is None)):
        lowest, highest = min(exact), max(exact)
    return lowest, highest, blank(text, used)

"""Understand what a customer asks for, in Spanish (Dominican too) or English, without the LLM.

`parse_query` reads the folded message in passes, one module each in `understanding/parse/`.
First the message is written out in full ("q no pase d 2 palos" -> "que no pase de 2 palos",
text/fold.py), its sure typos are corrected against the dealer's catalogue and the vocabulary
("toyta", "yipetta": parse/typos.py, text/spelling.py), and its two-digit years are written
in full ("modelo 19" -> "modelo 2019"). Then each pass blanks out the words it understood, so
that a later pass cannot read them again: the 4 of "RAV4" is not a price, "50,000 km" is not
a budget, and the "más nuevo" of "2020 o más nuevo" is not a sort order.

What a customer rules out is read as such (parse/exclusions.py): "que no sea Toyota" excludes
the make, "no quiero mecánica" asks for the other gearbox, and a colour or drivetrain said
with a "no" is not asked for. The customer's own vehicle ("aceptan mi corolla 2012?") is
never what they search.
"""

from __future__ import annotations

import re

from okla.chatbot.inventory.domain import BodyType, Catalog, Sort, VehicleQuery
from okla.chatbot.text.fold import fold, spell_out
from okla.chatbot.text.language import detect_language
from okla.chatbot.text.money import thousands_in_digits
from okla.chatbot.text.vocabulary import CAMIONETAS
from okla.chatbot.understanding.parse.attributes import (
    read_bodies,
    read_colors,
    read_drivetrains,
    read_fuels,
    read_gearboxes,
    read_sort,
)
from okla.chatbot.understanding.parse.mileage import read_mileage_cap
from okla.chatbot.understanding.parse.prices import read_prices
from okla.chatbot.understanding.parse.seats import read_seats
from okla.chatbot.understanding.parse.typos import correct_typos
from okla.chatbot.understanding.parse.vehicles import read_makes_and_models, read_origins
from okla.chatbot.understanding.parse.years import full_years, read_age, read_newness, read_years

# "camioneta 4x4": read as a pickup, though a camioneta may be an SUV too (the search widens to
# both before it drops what else the customer asked for: VehicleQuery.wider_bodies).
_PICKUP_FIRST = re.compile(r"\b(camionet\w*) (4x4|4wd|doble traccion)\b")


def _canonical(text: str) -> str:
    """Spell a few compounds one way, so one pattern reads them all."""
    text = re.sub(r"\bmini[\s-]vans?\b", "minivan", text)
    text = re.sub(r"\bpick[\s-]?ups?\b", "pickup", text)
    text = re.sub(r"(?<![\d.,])\b4 ?(?:x|por) ?4\b", "4x4", text)
    text = re.sub(r"(?<![\d.,])\b4 ?(?:x|por) ?2\b", "4x2", text)
    text = re.sub(r"\ball[\s-]wheel[\s-]drive\b", "awd", text)
    text = re.sub(r"\b(?:pa['’]? ?lante|palante|para a?lante|pa alante)\b", "para adelante", text)
    text = re.sub(r"\bpa['’]? ?(arriba|abajo|atras|adelante)\b", r"para \1", text)
    # The dropped a of "pa' bajo", "pa rriba", "pa ca": "para abajo", "para arriba", "para acá".
    text = re.sub(r"\b(?:para|pa) ?a?bajo\b|\bpabajo\b", "para abajo", text)
    text = re.sub(r"\b(?:para|pa) ?a?rr?iba\b|\bparr?iba\b", "para arriba", text)
    return re.sub(r"\b(?:para|pa) ?a?ca\b|\bpaca\b", "para aca", text)


def _scratch(text: str, catalog: Catalog, today_year: int) -> tuple[str, bool]:
    """Return the message as the passes read it (folded, spelled out, typos corrected), and
    whether it reads a "camioneta 4x4" as a pickup."""
    plain = _canonical(spell_out(fold(text)))
    # A "camioneta 4x4" is the pickup first: an SUV is a "yipeta 4x4".
    pickup_first = _PICKUP_FIRST.search(plain) is not None
    plain = _PICKUP_FIRST.sub(r"\1 pickup \2", plain)
    # Thousands in digits, so that every pass reads "treinta mil km" as it reads "30 mil km".
    plain = thousands_in_digits(plain)
    return full_years(correct_typos(plain, catalog), today_year), pickup_first


def parse_query(text: str, catalog: Catalog, *, today_year: int) -> VehicleQuery:
    """Turn a customer's message into a query over the dealer's stock."""
    english = detect_language(text) == "en"
    scratch, pickup_first = _scratch(text, catalog, today_year)
    # Seats first: "un Mazda 5 pasajeros" asks for five seats, not for the Mazda 5.
    seats_min, scratch = read_seats(scratch)
    # Names before numbers: the 4 of "RAV4" is no price, and the year of the customer's own
    # vehicle ("mi corolla 2012") is no year wanted.
    makes, models, not_makes, not_models, scratch = read_makes_and_models(scratch, catalog)
    origin_makes, origin_ruled, scratch = read_origins(scratch, catalog)
    # Mileage before prices: the price pass blanks every distance ("50,000 km" is no budget).
    mileage_max, scratch = read_mileage_cap(scratch)
    # Prices before years: in "yipeta 2019 con 2000 dólares de inicial" the 2000 is no year.
    price_min, price_max, currency, scratch = read_prices(scratch)
    year_min, year_max, scratch = read_years(scratch, today_year)
    oldest, scratch = read_age(scratch, today_year)
    year_min = year_min if oldest is None else max(year_min or oldest, oldest)
    drivetrains, scratch = read_drivetrains(scratch)
    transmissions, scratch = read_gearboxes(scratch)
    fuels, scratch = read_fuels(scratch, english)
    # The order after the years: "2020 o más nuevo" is a year, not the newest first.
    sort, scratch = read_sort(scratch)
    # Colours after prices: "30 mil verdes" are dollars.
    colors, scratch = read_colors(scratch, english)
    # "Nueva" only when no year was said, and after the order: "la más nueva" is an order.
    if year_min is None and year_max is None:
        year_min = read_newness(scratch, today_year)
    # A make named outright is wanted even if its origin is ruled out: "no quiero japoneses,
    # dame un Toyota"; one ruled out outright is not, whatever its origin: "una yipeta
    # japonesa pero no Toyota".
    not_makes = (not_makes | origin_ruled) - makes
    makes |= origin_makes - not_makes
    # Bodies last, from what every pass left; a named vehicle needs no body ("un carro Toyota").
    bodies = frozenset(read_bodies(scratch, bool(makes or models)))
    return VehicleQuery(
        makes=frozenset(makes),
        models=frozenset(models),
        year_min=year_min,
        year_max=year_max,
        price_min=price_min,
        price_max=price_max,
        body_types=bodies,
        fuels=frozenset(fuels),
        transmissions=frozenset(transmissions),
        seats_min=seats_min,
        sort=sort,
        exclude_makes=frozenset(not_makes),
        exclude_models=frozenset(not_models - models),
        colors=frozenset(colors),
        drivetrains=frozenset(drivetrains),
        mileage_max=mileage_max,
        price_currency=currency,
        wider_bodies=CAMIONETAS if pickup_first and bodies == {BodyType.PICKUP} else frozenset(),
    )


# Any year works for reading a sort order.
_FAR_FUTURE = 2100


def sort_of(text: str) -> Sort | None:
    """Return the order a message asks for ("la más barata", "menos millaje"), or None."""
    sort = parse_query(text, Catalog(), today_year=_FAR_FUTURE).sort
    return None if sort == "relevance" else sort

"""Find what the customer asked for in a dealer's stock, or the closest, saying what isn't met.

The whole query is tried first. When nothing matches, constraints are relaxed one at a time,
softest first (`LADDER`), until something does; then each relaxed constraint is put back,
hardest first, wherever the stock still has something with it. What stays relaxed is `unmet`,
and every card returned breaks each unmet constraint (had one card met it, putting it back
would have found that card). Exclusions ("que no sea Toyota") and `exclude_ids` are never
relaxed; a named make or model only when nothing of it is available, and then it is unmet.
A follow-up's new constraints are relaxed before those of the search it narrows (`keep`): after
"pickup 4x4 diésel", "¿y automática?" that can't be met keeps the 4x4 and says it has no
automatic one. Before anything is relaxed, a body read narrowly from a loose word is widened to
all the word covers (`VehicleQuery.wider_bodies`: "camioneta 4x4 diésel automática" finds the
SUVs when no pickup is all of that); what that finds meets the request as the customer said it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from okla.chatbot.inventory.domain import (
    BodyType,
    Currency,
    VehicleCard,
    VehicleQuery,
)
from okla.chatbot.inventory.repository import InventoryRepository


class Constraint(StrEnum):
    """A kind of constraint a search may not be able to meet."""

    COLOR = "color"
    MILEAGE = "mileage"
    DRIVETRAIN = "drivetrain"
    TRANSMISSION = "transmission"
    FUEL = "fuel"
    YEAR = "year"
    PRICE = "price"
    SEATS = "seats"
    BODY = "body"
    MAKE_MODEL = "make_model"


@dataclass(frozen=True)
class Unmet:
    """A constraint the cards don't meet, and what was asked: that constraint's part of the query.

    `asked` holds only the fields of `constraint` (VehicleQuery(colors={RED}) for "en rojo";
    for PRICE, the budget in pesos), so the reply can say it with `describe_query`.
    """

    constraint: Constraint
    asked: VehicleQuery


@dataclass(frozen=True)
class Conversion:
    """A budget the customer gave in dollars, and the rate it was searched at in pesos."""

    usd_min: int | None
    usd_max: int | None
    usd_to_dop: float


@dataclass(frozen=True)
class SearchResult:
    """What a search found, and what of the request it could not meet."""

    cards: tuple[VehicleCard, ...]  # best first, at most `limit`
    query: VehicleQuery  # what was searched, budget in DOP
    unmet: tuple[Unmet, ...]  # constraints dropped to find these cards ("no la tengo en rojo")
    gone: tuple[VehicleCard, ...]  # named vehicles sold or reserved
    conversion: Conversion | None = None  # the budget as the customer gave it, if in dollars
    others: bool = False  # vehicles already shown were left out ("¿tienes otras?")

    def unmet_constraints(self) -> frozenset[Constraint]:
        """Return which kinds of constraint the cards don't meet."""
        return frozenset(u.constraint for u in self.unmet)


class _Level(IntEnum):
    """How much of a constraint a relaxed search keeps."""

    ASKED = 0
    NEAR = 1  # the budget widened by PRICE_TOLERANCE
    DROPPED = 2


# Softest first: colour and mileage are preferences; drivetrain, gearbox and fuel shape the
# use; the year and then the budget are what customers bend on before the kind of vehicle.
# A budget is first stretched, not dropped: a vehicle a little above it is the closest answer
# ("yipetas 4x4 por 2 millones" -> one at 2.35); only after the body type is it dropped.
# A named make or model goes last: "no tengo Wrangler, estas son las más parecidas".
LADDER: tuple[tuple[Constraint, _Level], ...] = (
    (Constraint.COLOR, _Level.DROPPED),
    (Constraint.MILEAGE, _Level.DROPPED),
    (Constraint.DRIVETRAIN, _Level.DROPPED),
    (Constraint.TRANSMISSION, _Level.DROPPED),
    (Constraint.FUEL, _Level.DROPPED),
    (Constraint.YEAR, _Level.DROPPED),
    (Constraint.PRICE, _Level.NEAR),
    (Constraint.SEATS, _Level.DROPPED),
    (Constraint.BODY, _Level.DROPPED),
    (Constraint.PRICE, _Level.DROPPED),
    (Constraint.MAKE_MODEL, _Level.DROPPED),
)
PRICE_TOLERANCE = 0.2
# Near misses are offered as a short list, whatever the limit for real matches.
CLOSEST = 3


def constraints_of(query: VehicleQuery) -> frozenset[Constraint]:
    """Return the kinds of constraint a query has."""
    return frozenset(c for c in Constraint if _asks(query, c))


def _ladder(keep: frozenset[Constraint]) -> tuple[tuple[Constraint, _Level], ...]:
    """Return LADDER with the constraints to keep moved to its end, in their order."""
    return (
        *(step for step in LADDER if step[0] not in keep),
        *(step for step in LADDER if step[0] in keep),
    )


def _asks(query: VehicleQuery, constraint: Constraint) -> bool:
    """Tell whether the query has a constraint of this kind."""
    return bool(_part(query, constraint) != VehicleQuery())


def _part(query: VehicleQuery, constraint: Constraint) -> VehicleQuery:
    """Return the query's fields of one constraint, and nothing else."""
    match constraint:
        case Constraint.COLOR:
            return VehicleQuery(colors=query.colors)
        case Constraint.MILEAGE:
            return VehicleQuery(mileage_max=query.mileage_max)
        case Constraint.DRIVETRAIN:
            return VehicleQuery(drivetrains=query.drivetrains)
        case Constraint.TRANSMISSION:
            return VehicleQuery(transmissions=query.transmissions)
        case Constraint.FUEL:
            return VehicleQuery(fuels=query.fuels)
        case Constraint.YEAR:
            return VehicleQuery(year_min=query.year_min, year_max=query.year_max)
        case Constraint.PRICE:
            return VehicleQuery(price_min=query.price_min, price_max=query.price_max)
        case Constraint.SEATS:
            return VehicleQuery(seats_min=query.seats_min)
        case Constraint.BODY:
            return VehicleQuery(body_types=query.body_types)
        case Constraint.MAKE_MODEL:
            return VehicleQuery(makes=query.makes, models=query.models)


def _relaxed(query: VehicleQuery, constraint: Constraint, level: _Level) -> VehicleQuery:
    """Return the query with one constraint kept only as far as `level` says."""
    if level is _Level.ASKED:
        return query
    if constraint is Constraint.PRICE and level is _Level.NEAR:
        low, high = query.price_min, query.price_max
        return replace(
            query,
            price_min=None if low is None else round(low * (1 - PRICE_TOLERANCE)),
            price_max=None if high is None else round(high * (1 + PRICE_TOLERANCE)),
        )
    match constraint:
        case Constraint.COLOR:
            return replace(query, colors=frozenset())
        case Constraint.MILEAGE:
            return replace(query, mileage_max=None)
        case Constraint.DRIVETRAIN:
            return replace(query, drivetrains=frozenset())
        case Constraint.TRANSMISSION:
            return replace(query, transmissions=frozenset())
        case Constraint.FUEL:
            return replace(query, fuels=frozenset())
        case Constraint.YEAR:
            return replace(query, year_min=None, year_max=None)
        case Constraint.PRICE:
            return replace(query, price_min=None, price_max=None)
        case Constraint.SEATS:
            return replace(query, seats_min=None)
        case Constraint.BODY:
            return replace(query, body_types=frozenset())
        case Constraint.MAKE_MODEL:
            return replace(query, makes=frozenset(), models=frozenset())


def _levels(constraint: Constraint) -> tuple[_Level, ...]:
    """Return the levels a constraint can be kept at, strictest first."""
    if constraint is Constraint.PRICE:
        return (_Level.ASKED, _Level.NEAR, _Level.DROPPED)
    return (_Level.ASKED, _Level.DROPPED)


def _conversion(query: VehicleQuery, usd_to_dop: float) -> Conversion | None:
    if query.price_currency is not Currency.USD:
        return None
    if query.price_min is None and query.price_max is None:
        return None
    return Conversion(query.price_min, query.price_max, usd_to_dop)


async def find(
    repo: InventoryRepository,
    dealer_id: str,
    query: VehicleQuery,
    *,
    limit: int,
    usd_to_dop: float,
    exclude_ids: frozenset[str] = frozenset(),
    keep: frozenset[Constraint] = frozenset(),
) -> SearchResult:
    """Return the dealer's available vehicles for the query, or the closest and what they miss.

    A budget in dollars is searched in pesos at `usd_to_dop` (the result's query holds the
    pesos, its conversion the dollars). Matches come `limit` at most; near misses and
    alternatives `min(limit, CLOSEST)`. `gone` holds the sold or reserved vehicles of a named
    make or model of which nothing is available. `keep`: constraints relaxed only after the
    others (those of the search a follow-up narrows).
    """
    asked = query.in_pesos(usd_to_dop)
    conversion = _conversion(query, usd_to_dop)
    others = bool(exclude_ids)

    async def run(levels: Mapping[Constraint, _Level]) -> list[VehicleCard]:
        relaxed = asked
        for constraint, level in levels.items():
            relaxed = _relaxed(relaxed, constraint, level)
        return await repo.matching(
            dealer_id, relaxed, exclude_ids=exclude_ids, usd_to_dop=usd_to_dop
        )

    cards = await repo.search(
        dealer_id, asked, limit, exclude_ids=exclude_ids, usd_to_dop=usd_to_dop
    )
    if cards:
        return SearchResult(tuple(cards), asked, (), (), conversion, others)
    if asked.wider_bodies and asked.wider_bodies != asked.body_types:
        wider = replace(asked, body_types=asked.wider_bodies)
        cards = await repo.search(
            dealer_id, wider, limit, exclude_ids=exclude_ids, usd_to_dop=usd_to_dop
        )
        if cards:
            return SearchResult(tuple(cards), wider, (), (), conversion, others)

    levels: dict[Constraint, _Level] = {}
    relaxed_order: list[Constraint] = []
    for constraint, level in _ladder(keep):
        if not _asks(asked, constraint):
            continue
        levels[constraint] = level
        if constraint not in relaxed_order:
            relaxed_order.append(constraint)
        if cards := await run(levels):
            break
    gone = await _gone(repo, dealer_id, asked, levels)
    if not cards:
        # Nothing available at all but what the exclusions rule out.
        return SearchResult((), asked, (), gone, conversion, others)

    # The last constraint relaxed had to be; each earlier one comes back where it can, the
    # hardest first, and as strictly as the stock allows (the asked budget, else near it).
    for constraint in reversed(relaxed_order[:-1]):
        for level in _levels(constraint):
            if level >= levels[constraint]:
                break
            if found := await run({**levels, constraint: level}):
                levels[constraint], cards = level, found
                break

    unmet = tuple(Unmet(c, _part(asked, c)) for c in relaxed_order if levels[c] is not _Level.ASKED)
    ranked = _closest(cards, asked, levels, gone, usd_to_dop)
    return SearchResult(
        tuple(ranked[: min(limit, CLOSEST)]), asked, unmet, gone, conversion, others
    )


async def _gone(
    repo: InventoryRepository,
    dealer_id: str,
    asked: VehicleQuery,
    levels: Mapping[Constraint, _Level],
) -> tuple[VehicleCard, ...]:
    """Return the named vehicles sold or reserved, when none of them is available."""
    if levels.get(Constraint.MAKE_MODEL) is not _Level.DROPPED:
        return ()
    return tuple(await repo.unavailable(dealer_id, asked))


def _closest(
    cards: Sequence[VehicleCard],
    asked: VehicleQuery,
    levels: Mapping[Constraint, _Level],
    gone: Sequence[VehicleCard],
    usd_to_dop: float,
) -> list[VehicleCard]:
    """Order near misses by how far they are from what was relaxed (stable: ties keep order)."""
    relaxed = {c for c, level in levels.items() if level is not _Level.ASKED}
    # Instead of a named vehicle, the closest are of its kind: a sold CR-V suggests SUVs.
    bodies: frozenset[BodyType] = frozenset(card.body_type for card in gone)

    def gap(card: VehicleCard) -> float:
        score = 0.0
        if Constraint.MAKE_MODEL in relaxed:
            score += 4 * bool(bodies and card.body_type not in bodies)
            score += 3 * bool(asked.makes and card.make not in asked.makes)
        if Constraint.PRICE in relaxed:
            price = card.price * (usd_to_dop if card.currency.upper() == "USD" else 1)
            if asked.price_max is not None and price > asked.price_max:
                score += 5 * (price - asked.price_max) / asked.price_max
            if asked.price_min is not None and price < asked.price_min:
                score += 5 * (asked.price_min - price) / asked.price_min
        if Constraint.YEAR in relaxed:
            if asked.year_min is not None and card.year < asked.year_min:
                score += (asked.year_min - card.year) / 2
            if asked.year_max is not None and card.year > asked.year_max:
                score += (card.year - asked.year_max) / 2
        if Constraint.MILEAGE in relaxed and asked.mileage_max and card.mileage_km is not None:
            score += max(card.mileage_km - asked.mileage_max, 0) / asked.mileage_max
        return score

    return sorted(cards, key=gap)

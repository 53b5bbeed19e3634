"""Answers to messages that point at vehicles already on the table (see understanding/references).

"la segunda", "esa", "de esas cuál es la más barata", "cuál es mejor, la RAV4 o la CX-5",
"¿y la Hilux es 4x4?": each is resolved against the cards last shown and the vehicle in focus,
and answered from those records alone. A message that points at nothing it can resolve (no
list shown yet, "la sexta" of five) is left to the search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from okla.chatbot.chat.gate import Turn
from okla.chatbot.inventory.domain import VehicleCard, VehicleQuery
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.reply import focus
from okla.chatbot.reply.trace import Trace
from okla.chatbot.text.vocabulary import color_of
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.references import (
    AmongShown,
    Compare,
    Ordinal,
    TheOther,
    ThisOne,
)
from okla.chatbot.understanding.understand import Understanding


@dataclass(frozen=True)
class Pointed:
    """The answer about vehicles already on the table, and the conversation after it."""

    text: str
    cards: tuple[VehicleCard, ...]
    trace: Trace


async def answer_pointing(
    inventory: InventoryRepository, turn: Turn, understood: Understanding, limit: int
) -> Pointed | None:
    """Answer a message about the vehicles shown or in focus; None if it isn't one."""
    if not _may_point(understood):
        return None  # a plain search or small talk: no need to read the cards shown
    state = turn.dialogue
    dealer = turn.assistant.dealer_id
    shown = await inventory.cards(dealer, state.shown)
    reference = understood.reference
    lang = understood.language
    said = understood.said
    if isinstance(reference, Compare) or (understood.which and len(said.models) >= 2):
        # "¿Cuál es mejor, la RAV4 o la CX-5?", "la Sorento o la Outlander, ¿cuál es más
        # económica?": both side by side, whatever the question's order.
        positions = reference.positions if isinstance(reference, Compare) else ()
        cards = _at(shown, positions) or await _named(inventory, dealer, said, shown)
        if len(cards) >= 2:
            compared = tuple(cards[:limit])
            text = focus.compare(compared, lang)
            return Pointed(text, compared, _moved(understood, state, compared))
    if isinstance(reference, Ordinal):
        cards = _at(shown, (reference.position,))
        if cards:
            return _about(cards[0], understood, state)
    if isinstance(reference, TheOther) and len(shown) == 2:
        other = [card for card in shown if card.id != state.focus]
        if len(other) == 1:
            return _about(other[0], understood, state)
    among = _described(shown, said) if _describing(understood, reference) else []
    if not among and (seats := _seats_named(understood)) is not None:
        # "la de 15": the one with that many seats, among those shown.
        among = [card for card in shown if card.seats == seats]
    among_shown = isinstance(reference, AmongShown) or (
        # After a comparison there is no search to sort: "¿y cuál tiene menos km?" is of those.
        understood.which and state.search is None and len(shown) >= 2
    )
    if shown and said.sort != "relevance" and among_shown:
        # "De esas, ¿cuál es la más barata?": one vehicle of those, the first in that order.
        # Without "de esas" the superlative is of the whole search (reply/plan.py).
        pool = among or list(shown)
        card = sorted_by(pool, said)[0]
        text = focus.best(card, said, understood.facts, lang)
        trace = Trace(intents=understood.intents, dialogue=replace(state, focus=card.id))
        return Pointed(text, (card,), trace)
    if len(among) == 1:
        return _about(among[0], understood, state)
    if isinstance(reference, AmongShown) and shown and not (_describes(said) and not among):
        # (A description none of those fits, "¿y cuál es 4x4 de esas?", is searched instead.)
        listed = tuple(among or shown)
        text = focus.ranked(listed, replace(said, sort="relevance"), lang)
        return Pointed(text, listed, _moved(understood, state, listed, focus_first=True))
    if isinstance(reference, ThisOne) and not said.names_a_vehicle():
        held = await _in_focus(inventory, dealer, state, shown)
        if held is not None:
            return _about(held, understood, state)
    if understood.facts and (said.models or said.makes):
        # "¿y la Hilux es 4x4?", "¿cuánto cuesta la Tucson?": a question about one vehicle.
        named = await _named(inventory, dealer, said, shown)
        if len(named) == 1:
            card = named[0]
            if card in shown:
                return _about(card, understood, state)  # the list stays: "¿y cuáles de esas?"
            # A vehicle named anew becomes what the talk is about: "¿y en blanco?" asks for it.
            wanted = VehicleQuery(makes=frozenset({card.make}), models=frozenset({card.model}))
            moved = replace(state, search=wanted, shown=(card.id,))
            return _about(card, understood, moved)
    several = understood.several
    superlative = said.sort != "relevance"  # "¿y cuál tiene menos millaje?": not the focus
    if (
        understood.facts
        and not said.names_a_vehicle()
        and reference is None
        and not several
        and not superlative
    ):
        # "¿y cuánto cuesta?", "¿es automática?": about the vehicle the talk is on.
        held = await _in_focus(inventory, dealer, state, shown)
        if held is not None:
            return _about(held, understood, state)
    return None


def _may_point(understood: Understanding) -> bool:
    """Tell whether the message could be about vehicles already on the table."""
    return bool(
        understood.reference is not None
        or len(understood.said.models) >= 2
        or understood.facts
        or understood.describes
        or understood.which
    )


def _seats_named(understood: Understanding) -> int | None:
    """Return the seats a pointing message names by a bare number ("la de 15")."""
    if not understood.describes:
        return None
    found = _SEATS_NAMED.search(understood.text)
    return int(found.group(1)) if found else None


_SEATS_NAMED = re.compile(
    r"(?:^|\s)(?:la|el|los|las)\s+(?:de|d)\s+(\d{1,2})(?![\d.,])(?!\s*(?:mil|k|km))"
)


def _describing(understood: Understanding, reference: object) -> bool:
    """Tell whether the message may pick among the shown vehicles by what they are like."""
    return understood.describes or isinstance(reference, ThisOne | AmongShown) or understood.which


def _described(shown: Sequence[VehicleCard], said: VehicleQuery) -> list[VehicleCard]:
    """Return the shown vehicles that fit the description the message gives ("la blanca")."""
    if not _describes(said):
        return []
    fitting = [card for card in shown if _fits(card, said)]
    if said.seats_min is not None:
        # "la de 12 pasajeros" is the one with 12, not every one with 12 or more.
        exact = [card for card in fitting if card.seats == said.seats_min]
        fitting = exact or fitting
    return fitting


def _describes(said: VehicleQuery) -> bool:
    return bool(
        said.colors
        or said.fuels
        or said.transmissions
        or said.drivetrains
        or said.makes
        or said.models
        or said.body_types
        or said.seats_min is not None
        or said.year_min is not None
    )


def _about(card: VehicleCard, understood: Understanding, state: DialogueState) -> Pointed:
    text = focus.about(card, understood.facts, understood.query, understood.language)
    trace = Trace(intents=understood.intents, dialogue=replace(state, focus=card.id))
    return Pointed(text, (card,), trace)


def _moved(
    understood: Understanding,
    state: DialogueState,
    cards: Sequence[VehicleCard],
    *,
    focus_first: bool = False,
) -> Trace:
    """Trace an answer that puts these cards on the table (the search stays the same)."""
    ids = tuple(card.id for card in cards)
    dialogue = replace(state, shown=ids, focus=ids[0] if focus_first and ids else None)
    return Trace(intents=understood.intents, dialogue=dialogue)


def _at(shown: Sequence[VehicleCard], positions: Sequence[int]) -> list[VehicleCard]:
    found: list[VehicleCard] = []
    for position in positions:
        if -len(shown) <= position < len(shown) and shown[position] not in found:
            found.append(shown[position])
    return found


async def _in_focus(
    inventory: InventoryRepository, dealer: str, state: DialogueState, shown: Sequence[VehicleCard]
) -> VehicleCard | None:
    if state.focus is not None:
        found = await inventory.cards(dealer, (state.focus,))
        if found:
            return found[0]
    return shown[0] if len(shown) == 1 else None


async def _named(
    inventory: InventoryRepository, dealer: str, query: VehicleQuery, shown: Sequence[VehicleCard]
) -> list[VehicleCard]:
    """Find the vehicles a message names: among those shown first, else in the whole stock."""
    wanted = VehicleQuery(makes=query.makes, models=query.models)
    if wanted.is_empty():
        return []
    among = [c for c in shown if _names(c, wanted)]
    if among:
        return among
    found = await inventory.search(dealer, wanted, 10)
    if query.models:
        # One of each model named ("la RAV4 o la CX-5"), the newest if there are several.
        firsts: dict[str, VehicleCard] = {}
        for card in found:
            firsts.setdefault(card.model, card)
        return list(firsts.values())
    return found


def _names(card: VehicleCard, query: VehicleQuery) -> bool:
    if query.models:
        return card.model in query.models
    return card.make in query.makes


def _fits(card: VehicleCard, query: VehicleQuery) -> bool:
    """Tell whether a shown card has the attributes a pointing message names ("la blanca")."""
    if query.models and card.model not in query.models:
        return False
    if query.year_min is not None and card.year < query.year_min:
        return False
    if query.year_max is not None and card.year > query.year_max:
        return False
    if query.seats_min is not None and (card.seats or 0) < query.seats_min:
        return False
    if query.colors and color_of(card.color) not in query.colors:
        return False
    if query.fuels and card.fuel not in query.fuels:
        return False
    if query.transmissions and card.transmission not in query.transmissions:
        return False
    if query.drivetrains and card.drivetrain not in query.drivetrains:
        return False
    if query.body_types and card.body_type not in query.body_types:
        return False
    return not (query.makes and card.make not in query.makes)


def sorted_by(cards: Sequence[VehicleCard], query: VehicleQuery) -> list[VehicleCard]:
    """Return the cards in the query's order (as they are for "relevance")."""
    if query.sort == "price_asc":
        return sorted(cards, key=lambda c: c.price)
    if query.sort == "price_desc":
        return sorted(cards, key=lambda c: -c.price)
    if query.sort == "newest":
        return sorted(cards, key=lambda c: -c.year)
    if query.sort == "mileage_asc":
        return sorted(cards, key=lambda c: c.mileage_km if c.mileage_km is not None else 10**9)
    return list(cards)

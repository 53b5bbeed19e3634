"""Answers to messages that point at vehicles already on the table (see understanding/references).

"la segunda", "esa", "de esas cuál es la más barata", "cuál es mejor, la RAV4 o la CX-5",
"¿y la Hilux es 4x4?": each is resolved against the cards last shown and the vehicle in focus,
and answered from those records alone. A message that points at nothing it can resolve (no
list shown yet, "la sexta" of five) is left to the search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from okla.chatbot.chat.gate import Turn
from okla.chatbot.inventory.domain import VehicleCard, VehicleQuery
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.reply import focus
from okla.chatbot.reply.trace import Trace
from okla.chatbot.text.vocabulary import color_of
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.references import AmongShown, Compare, Ordinal, ThisOne
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
    state = turn.dialogue
    dealer = turn.assistant.dealer_id
    shown = await inventory.cards(dealer, state.shown)
    reference = understood.reference
    lang = understood.language
    query = understood.query
    if isinstance(reference, Compare):
        cards = _at(shown, reference.positions) or await _named(inventory, dealer, query, shown)
        if len(cards) >= 2:
            compared = tuple(cards[:limit])
            text = focus.compare(compared, lang)
            return Pointed(text, compared, _moved(understood, state, compared))
    if isinstance(reference, Ordinal):
        cards = _at(shown, (reference.position,))
        if cards:
            return _about(cards[0], understood, state)
    if isinstance(reference, ThisOne) and not query.names_a_vehicle():
        card = await _in_focus(inventory, dealer, state, shown)
        if card is not None:
            return _about(card, understood, state)
    if isinstance(reference, AmongShown) and shown:
        among = [c for c in shown if _fits(c, query)] or list(shown)
        ordered = tuple(_sorted(among, query))
        if query.sort != "relevance":
            text = focus.ranked(ordered, query, lang)
        elif len(ordered) == 1:
            return _about(ordered[0], understood, state)
        else:
            text = focus.ranked(ordered, replace(query, sort="relevance"), lang)
        return Pointed(text, ordered, _moved(understood, state, ordered, focus_first=True))
    if understood.facts and (query.models or query.makes):
        # "¿y la Hilux es 4x4?", "¿cuánto cuesta la Tucson?": a question about one vehicle.
        named = await _named(inventory, dealer, query, shown)
        if len(named) == 1:
            return _about(named[0], understood, state)
    return None


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


def _sorted(cards: Sequence[VehicleCard], query: VehicleQuery) -> list[VehicleCard]:
    if query.sort == "price_asc":
        return sorted(cards, key=lambda c: c.price)
    if query.sort == "price_desc":
        return sorted(cards, key=lambda c: -c.price)
    if query.sort == "newest":
        return sorted(cards, key=lambda c: -c.year)
    if query.sort == "mileage_asc":
        return sorted(cards, key=lambda c: c.mileage_km if c.mileage_km is not None else 10**9)
    return list(cards)

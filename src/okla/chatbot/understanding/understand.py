"""Step 2 of a turn: read the message into intents, a vehicle query and a language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from okla.chatbot.inventory.domain import Catalog, VehicleQuery
from okla.chatbot.text.language import Lang, detect_language
from okla.chatbot.text.vocabulary import foreign_makes, foreign_models
from okla.chatbot.understanding.intents import DESK_INTENTS, Intent, detect_intents
from okla.chatbot.understanding.query import parse_query
from okla.chatbot.understanding.references import (
    AmongShown,
    Fact,
    Reference,
    asked_facts,
    asks_several,
    asks_terms,
    asks_which,
    cheaper,
    describes_one,
    find_reference,
    narrows_to_body,
)
from okla.chatbot.understanding.when import DayAsked, day_asked


@dataclass(frozen=True)
class Understanding:
    """What the customer wants from this message."""

    intents: frozenset[Intent]
    query: VehicleQuery  # already refined by the previous search when it only narrows it
    language: Lang
    said: VehicleQuery = VehicleQuery()  # what this message alone asks for, unrefined
    reference: Reference | None = None  # what it points at among the vehicles shown
    facts: frozenset[Fact] = frozenset()  # what it asks about a vehicle
    sort_only: bool = False  # "la más barata": the active search, in another order
    describes: bool = False  # "y la blanca?": picks a vehicle by what it is like
    foreign_makes: frozenset[str] = frozenset()  # makes it names that the dealer doesn't stock
    foreign_models: frozenset[tuple[str, str]] = frozenset()  # (make, model) not in stock
    which: bool = False  # "¿cuál...?": asks for one vehicle
    several: bool = False  # "¿cuáles hay?": asks for vehicles, not about the one in focus
    asks_terms: bool = False  # "¿cuánto es el inicial?": about the terms, not the stock
    when: DayAsked | None = None  # the day an hours question is about ("¿abren el sábado?")
    text: str = ""  # the message as written

    @property
    def searching(self) -> bool:
        """Tell whether the message asks for vehicles."""
        return Intent.SEARCH in self.intents or not self.query.is_empty() or self.sort_only

    @property
    def desk(self) -> bool:
        """Tell whether the message asks about the dealership rather than its stock."""
        return bool(self.intents & DESK_INTENTS)


def understand(
    text: str,
    *,
    catalog: Catalog,
    previous_query: VehicleQuery | None,
    earlier_messages: Sequence[str],
    today_year: int,
) -> Understanding:
    """Read one message in the light of the conversation so far."""
    intents = frozenset(detect_intents(text))
    said = query = parse_query(text, catalog, today_year=today_year)
    reference = find_reference(text)
    if isinstance(reference, AmongShown) and said.sort == "relevance" and cheaper(text):
        # "Which one is cheaper?": the cheapest of those shown.
        said = query = replace(said, sort="price_asc")
    sort_only = query.is_empty() and query.sort != "relevance"
    if previous_query is not None and not query.names_a_vehicle():
        if sort_only or not query.is_empty():
            # "¿y en gasolina?" narrows the last search; naming a vehicle starts a new one.
            query = previous_query.refined_by(query)
    elif previous_query is not None and narrows_to_body(text, query):
        # "solo yipetas": the same search, of that kind only.
        narrowed = previous_query.refined_by(replace(query, body_types=frozenset()))
        query = replace(narrowed, body_types=query.body_types, wider_bodies=query.wider_bodies)
    return Understanding(
        intents,
        query,
        language_of(text, earlier_messages),
        said=said,
        reference=reference,
        facts=asked_facts(text),
        sort_only=sort_only,
        describes=describes_one(text),
        foreign_makes=foreign_makes(text, catalog.makes),
        foreign_models=foreign_models(text, catalog.models),
        which=asks_which(text),
        several=asks_several(text),
        asks_terms=asks_terms(text),
        when=day_asked(text) if Intent.HOURS in intents else None,
        text=text,
    )


def language_of(text: str, earlier_messages: Sequence[str]) -> Lang:
    """Answer in the customer's language; Spanish unless they clearly write English."""
    for candidate in (text, *reversed(earlier_messages)):
        detected = detect_language(candidate)
        if detected is not None:
            return detected
    return "es"

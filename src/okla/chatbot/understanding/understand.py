"""Step 2 of a turn: read the message into intents, a vehicle query and a language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from okla.chatbot.inventory.domain import Catalog, VehicleQuery
from okla.chatbot.text.language import Lang, detect_language
from okla.chatbot.understanding.intents import Intent, detect_intents
from okla.chatbot.understanding.query import parse_query


@dataclass(frozen=True)
class Understanding:
    """What the customer wants from this message."""

    intents: frozenset[Intent]
    query: VehicleQuery  # already refined by the previous search when it only narrows it
    language: Lang

    @property
    def searching(self) -> bool:
        """Tell whether the message asks for vehicles."""
        return Intent.SEARCH in self.intents or not self.query.is_empty()


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
    query = parse_query(text, catalog, today_year=today_year)
    if previous_query is not None and not query.is_empty() and not query.names_a_vehicle():
        # "¿y en gasolina?" narrows the last search; naming a vehicle starts a new one.
        query = previous_query.refined_by(query)
    return Understanding(intents, query, language_of(text, earlier_messages))


def language_of(text: str, earlier_messages: Sequence[str]) -> Lang:
    """Answer in the customer's language; Spanish unless they clearly write English."""
    for candidate in (text, *reversed(earlier_messages)):
        detected = detect_language(candidate)
        if detected is not None:
            return detected
    return "es"

"""API models of the inventory, derived from the domain so that the two cannot drift apart."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Self, get_type_hints

from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.models import Dealer
from okla.chatbot.schemas import CamelModel


def _field_types(dataclass: type[Any]) -> dict[str, Any]:
    """Return a dataclass's field types by name, in field order."""
    hints = get_type_hints(dataclass)
    return {f.name: hints[f.name] for f in fields(dataclass)}


class VehicleCardOut(CamelModel):
    """A vehicle card; every field is read from the database."""

    # Pydantic makes a field of each class annotation: these are the domain card's fields.
    __annotations__ = _field_types(VehicleCard)

    @classmethod
    def of(cls, card: VehicleCard) -> Self:
        """Convert a domain card."""
        return cls.model_validate(card, from_attributes=True)


class DealerOut(CamelModel):
    """The dealer a session talks to."""

    id: str
    slug: str
    name: str
    assistant_name: str

    @classmethod
    def of(cls, dealer: Dealer) -> Self:
        """Convert a stored dealer."""
        return cls.model_validate(dealer, from_attributes=True)

"""The API's vehicle card is the domain card in camelCase, and nothing else."""

from __future__ import annotations

from dataclasses import fields

from pydantic.alias_generators import to_camel

from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleStatus,
)
from okla.chatbot.inventory.schemas import DealerOut, VehicleCardOut
from okla.chatbot.models import Dealer

CARD = VehicleCard(
    id="a1",
    make="Toyota",
    model="Hilux",
    year=2022,
    trim="SR5",
    price=2_850_000,
    currency="DOP",
    body_type=BodyType.PICKUP,
    mileage_km=45_000,
    fuel=Fuel.DIESEL,
    transmission=Transmission.MANUAL,
    url=None,
    image_url=None,
    status=VehicleStatus.RESERVED,
)


def test_card_json_keys_are_the_domain_fields_in_camel_case() -> None:
    body = VehicleCardOut.of(CARD).model_dump(mode="json", by_alias=True)
    assert set(body) == {to_camel(f.name) for f in fields(VehicleCard)}
    assert set(body) == {
        "id",
        "make",
        "model",
        "year",
        "trim",
        "price",
        "currency",
        "bodyType",
        "mileageKm",
        "fuel",
        "transmission",
        "url",
        "imageUrl",
        "status",
        "color",
        "drivetrain",
        "seats",
    }


def test_card_json_values_and_enums_as_strings() -> None:
    body = VehicleCardOut.of(CARD).model_dump(mode="json", by_alias=True)
    assert body == {
        "id": "a1",
        "make": "Toyota",
        "model": "Hilux",
        "year": 2022,
        "trim": "SR5",
        "price": 2_850_000,
        "currency": "DOP",
        "bodyType": "Pickup",
        "mileageKm": 45_000,
        "fuel": "Diesel",
        "transmission": "Manual",
        "url": None,
        "imageUrl": None,
        "status": "Reserved",
        "color": None,
        "drivetrain": None,
        "seats": None,
    }
    assert VehicleCardOut.model_validate(body) == VehicleCardOut.of(CARD)


def test_card_schema_is_named_and_requires_every_field() -> None:
    schema = VehicleCardOut.model_json_schema(by_alias=True)
    assert schema["title"] == "VehicleCardOut"
    assert (
        set(schema["required"])
        == set(schema["properties"])
        == {to_camel(f.name) for f in fields(VehicleCard)}
    )
    assert schema["additionalProperties"] is False


def test_dealer_out_of_a_stored_dealer() -> None:
    dealer = Dealer(id="d1", slug="motores-del-cibao", name="Motores del Cibao", assistant_name="C")
    assert DealerOut.of(dealer).model_dump(by_alias=True) == {
        "id": "d1",
        "slug": "motores-del-cibao",
        "name": "Motores del Cibao",
        "assistantName": "C",
    }

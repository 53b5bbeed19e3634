"""Vehicles and guard contexts for tests: a small stock with the shapes the checks care about."""

from __future__ import annotations

from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleStatus,
)
from okla.chatbot.reply.guard import GuardContext, GuardResult
from okla.chatbot.text.language import Lang


def card(
    make: str,
    model: str,
    year: int,
    price: int,
    trim: str | None = None,
    *,
    body: BodyType = BodyType.SUV,
    fuel: Fuel = Fuel.GASOLINE,
    km: int | None = 12_000,
    currency: str = "DOP",
    url: str | None = None,
) -> VehicleCard:
    """Return an available automatic vehicle; by default a gasoline SUV with 12,000 km."""
    return VehicleCard(
        id=f"{make}-{model}-{year}",
        make=make,
        model=model,
        year=year,
        trim=trim,
        price=price,
        currency=currency,
        body_type=body,
        mileage_km=km,
        fuel=fuel,
        transmission=Transmission.AUTOMATIC,
        url=url,
        image_url=None,
        status=VehicleStatus.AVAILABLE,
    )


BRONCO_URL = "https://autodominicana.example/vehiculos/bronco-sport"
BRONCO = card("Ford", "Bronco Sport", 2024, 2_700_000, "Big Bend", url=BRONCO_URL)
PRADO = card("Toyota", "Land Cruiser Prado", 2023, 5_800_000, "VX", fuel=Fuel.DIESEL)
CARNIVAL = card("Kia", "Carnival", 2024, 3_300_000, "EX", body=BodyType.MINIVAN)
CIVIC = card("Honda", "Civic", 2021, 1_550_000, "EX", body=BodyType.SEDAN, km=45_000)
CRV = card("Honda", "CR-V", 2022, 2_100_000, "EX-L")
PICANTO = card("Kia", "Picanto", 2022, 1_000_000, body=BodyType.HATCHBACK)
TACOMA = card("Toyota", "Tacoma", 2022, 45_000, "TRD", body=BodyType.PICKUP, currency="USD")

SYSTEM = (
    "Eres Ana, asistente de ventas de Auto Dominicana Premium en Santo Domingo, República "
    "Dominicana. Responde en español, con amabilidad y en pocas frases. Habla solo de los "
    "vehículos de la lista que acompaña cada pregunta, con sus precios y años exactos; no "
    "inventes vehículos ni datos. No ofrezcas descuentos, financiamiento ni compromisos: para "
    "eso, ofrece comunicar al cliente con un asesor."
)
KNOWN_MAKES = frozenset(
    {"Ford", "Toyota", "Kia", "Honda", "Hyundai", "Nissan", "Seat", "Mini", "Mercedes-Benz"}
)
KNOWN_MODELS = frozenset(
    {
        "Bronco Sport", "Land Cruiser Prado", "Land Cruiser", "Carnival", "Civic", "CR-V",
        "Tucson", "Corolla", "Corolla Cross", "Fit", "Picanto", "Tacoma", "Kicks",
    }
)  # fmt: skip


def context(
    *cards: VehicleCard,
    question: str = "¿Qué tienen?",
    language: Lang = "es",
    profile: DealerProfile | None = None,
) -> GuardContext:
    """Return a guard context for these vehicles, the market above and SYSTEM's prompt."""
    return GuardContext(
        cards=cards,
        known_makes=KNOWN_MAKES,
        known_models=KNOWN_MODELS,
        question=question,
        language=language,
        system_prompt=SYSTEM,
        profile=profile,
    )


def assert_kept_only(result: GuardResult, kept: str) -> None:
    """Assert that the guard repaired the reply down to `kept`."""
    assert result.ok, result.problems
    assert result.repaired
    assert result.text == kept

"""Vehicle vocabulary shared by retrieval, answers and storage (no I/O here).

A vehicle's fields are declared once, and their names are the vehicles table's columns.
`VehicleFacts` holds what the customer may see. `VehicleRecord` adds what only the dealer's
listing carries (stock number, seats, description): the demo data, the CSV importer
and the repository's upsert pass it around. `VehicleCard` adds the database id: answers and
the API show it. The API's card schema, the ORM-to-card conversion and the upsert read these
dataclasses' fields instead of listing them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal


class BodyType(StrEnum):
    """Body types as stored and as sent to clients."""

    SUV = "SUV"
    SEDAN = "Sedan"
    HATCHBACK = "Hatchback"
    COUPE = "Coupe"
    CONVERTIBLE = "Convertible"
    PICKUP = "Pickup"
    MINIVAN = "Minivan"
    VAN = "Van"


class Fuel(StrEnum):
    """Fuel types."""

    GASOLINE = "Gasoline"
    DIESEL = "Diesel"
    HYBRID = "Hybrid"
    ELECTRIC = "Electric"
    LPG = "LPG"  # GLP conversions are common in the Dominican Republic


class Transmission(StrEnum):
    """Transmissions."""

    AUTOMATIC = "Automatic"
    MANUAL = "Manual"


class VehicleStatus(StrEnum):
    """Whether a vehicle can still be sold."""

    AVAILABLE = "Available"
    RESERVED = "Reserved"
    SOLD = "Sold"


class Drivetrain(StrEnum):
    """Which wheels drive the vehicle."""

    FWD = "FWD"
    RWD = "RWD"
    AWD = "AWD"
    FOUR_BY_FOUR = "4x4"  # part-time or full 4WD, with low range: what "4x4" asks for


class Color(StrEnum):
    """Colour families a customer asks for ("la blanca"); a stock colour reads as one."""

    WHITE = "white"
    BLACK = "black"
    GRAY = "gray"
    SILVER = "silver"
    RED = "red"
    BLUE = "blue"
    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    BROWN = "brown"
    BEIGE = "beige"
    GOLD = "gold"
    PINK = "pink"
    PURPLE = "purple"


class Currency(StrEnum):
    """Currencies prices and budgets are stated in."""

    DOP = "DOP"
    USD = "USD"


CAR_BODIES = frozenset({BodyType.SEDAN, BodyType.HATCHBACK, BodyType.COUPE, BodyType.CONVERTIBLE})

Sort = Literal["relevance", "price_asc", "price_desc", "newest", "mileage_asc"]
SORTS: tuple[Sort, ...] = ("relevance", "price_asc", "price_desc", "newest", "mileage_asc")


@dataclass(frozen=True)
class DealerSeed:
    """Describe a dealer to create or refresh (its table columns, keyed by slug)."""

    slug: str
    name: str
    assistant_name: str
    city: str
    phone: str
    website: str


@dataclass(frozen=True, kw_only=True)
class VehicleFacts:
    """What the customer may see of a vehicle; each field is a column of the vehicles table."""

    make: str
    model: str
    year: int
    trim: str | None
    price: int
    currency: str
    body_type: BodyType
    # None only where nobody said; a stored vehicle always has one (0 when new).
    mileage_km: int | None
    fuel: Fuel
    transmission: Transmission
    url: str | None
    image_url: str | None
    status: VehicleStatus
    color: str | None = None  # as the dealer writes it ("Blanco perla")
    drivetrain: Drivetrain | None = None  # None: the listing doesn't say
    seats: int | None = None

    @property
    def title(self) -> str:
        """Return 'Make Model Year Trim'."""
        parts = [self.make, self.model, str(self.year)]
        if self.trim:
            parts.append(self.trim)
        return " ".join(parts)


@dataclass(frozen=True, kw_only=True)
class VehicleRecord(VehicleFacts):
    """One vehicle as a dealer lists it (the demo stock, a CSV row): what gets stored."""

    stock_number: str
    mileage_km: int  # narrower than the card's: the table requires one
    description: str | None


@dataclass(frozen=True, kw_only=True)
class VehicleCard(VehicleFacts):
    """One vehicle as the customer sees it; every field comes from the database."""

    id: str


@dataclass(frozen=True)
class Catalog:
    """The vocabulary of one dealer's stock, to recognise makes and models."""

    makes: frozenset[str] = frozenset()
    models: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VehicleQuery:
    """What the customer is looking for; empty sets and None mean 'any'."""

    makes: frozenset[str] = field(default_factory=frozenset)
    models: frozenset[str] = field(default_factory=frozenset)
    year_min: int | None = None
    year_max: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    body_types: frozenset[BodyType] = field(default_factory=frozenset)
    fuels: frozenset[Fuel] = field(default_factory=frozenset)
    transmissions: frozenset[Transmission] = field(default_factory=frozenset)
    seats_min: int | None = None
    sort: Sort = "relevance"
    # Makes and models the customer ruled out: "una yipeta que no sea Toyota".
    exclude_makes: frozenset[str] = field(default_factory=frozenset)
    exclude_models: frozenset[str] = field(default_factory=frozenset)
    colors: frozenset[Color] = field(default_factory=frozenset)
    drivetrains: frozenset[Drivetrain] = field(default_factory=frozenset)
    mileage_max: int | None = None
    # The currency the budget (price_min, price_max) was stated in; the stock is priced in DOP.
    price_currency: Currency = Currency.DOP
    # All the bodies a loose word covers, where `body_types` reads it narrowly: "camioneta 4x4"
    # is a pickup first and an SUV too. The search widens to them before it drops anything.
    wider_bodies: frozenset[BodyType] = field(default_factory=frozenset)

    def is_empty(self) -> bool:
        """Tell whether the customer named no constraint at all."""
        return self == VehicleQuery(sort=self.sort)

    def in_pesos(self, usd_to_dop: float) -> VehicleQuery:
        """Return the query with its budget in pesos, converted at `usd_to_dop` if in dollars."""
        if self.price_currency is Currency.DOP:
            return self

        def pesos(amount: int | None) -> int | None:
            return None if amount is None else round(amount * usd_to_dop)

        return replace(
            self,
            price_min=pesos(self.price_min),
            price_max=pesos(self.price_max),
            price_currency=Currency.DOP,
        )

    def names_a_vehicle(self) -> bool:
        """Tell whether the query picks vehicles by make, model or body type."""
        return bool(self.makes or self.models or self.body_types)

    def refined_by(self, newer: VehicleQuery) -> VehicleQuery:
        """Apply a follow-up ('¿y en gasolina?') on top of this query.

        A follow-up that names a make, model or body type starts a new search; one that
        only adds price, year, fuel, transmission or seats narrows the previous one.
        """
        if newer.names_a_vehicle():
            return newer
        budget = newer.price_min is not None or newer.price_max is not None
        return replace(
            self,
            year_min=newer.year_min if newer.year_min is not None else self.year_min,
            year_max=newer.year_max if newer.year_max is not None else self.year_max,
            price_min=newer.price_min if budget else self.price_min,
            price_max=newer.price_max if budget else self.price_max,
            price_currency=newer.price_currency if budget else self.price_currency,
            fuels=newer.fuels or self.fuels,
            transmissions=newer.transmissions or self.transmissions,
            seats_min=newer.seats_min if newer.seats_min is not None else self.seats_min,
            sort=newer.sort if newer.sort != "relevance" else self.sort,
            exclude_makes=self.exclude_makes | newer.exclude_makes,
            exclude_models=self.exclude_models | newer.exclude_models,
            colors=newer.colors or self.colors,
            drivetrains=newer.drivetrains or self.drivetrains,
            mileage_max=newer.mileage_max if newer.mileage_max is not None else self.mileage_max,
        )

    def to_json(self) -> dict[str, object]:
        """Return a JSON-friendly dict (sets become sorted lists)."""
        return {
            "makes": sorted(self.makes),
            "models": sorted(self.models),
            "yearMin": self.year_min,
            "yearMax": self.year_max,
            "priceMin": self.price_min,
            "priceMax": self.price_max,
            "bodyTypes": sorted(b.value for b in self.body_types),
            "fuels": sorted(f.value for f in self.fuels),
            "transmissions": sorted(t.value for t in self.transmissions),
            "seatsMin": self.seats_min,
            "sort": self.sort,
            "excludeMakes": sorted(self.exclude_makes),
            "excludeModels": sorted(self.exclude_models),
            "colors": sorted(c.value for c in self.colors),
            "drivetrains": sorted(d.value for d in self.drivetrains),
            "mileageMax": self.mileage_max,
            "priceCurrency": self.price_currency.value,
            "widerBodies": sorted(b.value for b in self.wider_bodies),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> VehicleQuery:
        """Rebuild a query stored with to_json."""

        def strings(key: str) -> list[str]:
            value = data.get(key) or []
            return [str(v) for v in value] if isinstance(value, list) else []

        def number(key: str) -> int | None:
            value = data.get(key)
            return int(value) if isinstance(value, int | float) else None

        sort: Sort = next((s for s in SORTS if s == data.get("sort")), "relevance")
        currency = data.get("priceCurrency")
        return cls(
            makes=frozenset(strings("makes")),
            models=frozenset(strings("models")),
            year_min=number("yearMin"),
            year_max=number("yearMax"),
            price_min=number("priceMin"),
            price_max=number("priceMax"),
            body_types=frozenset(BodyType(v) for v in strings("bodyTypes")),
            fuels=frozenset(Fuel(v) for v in strings("fuels")),
            transmissions=frozenset(Transmission(v) for v in strings("transmissions")),
            seats_min=number("seatsMin"),
            sort=sort,
            exclude_makes=frozenset(strings("excludeMakes")),
            exclude_models=frozenset(strings("excludeModels")),
            colors=frozenset(Color(v) for v in strings("colors")),
            drivetrains=frozenset(Drivetrain(v) for v in strings("drivetrains")),
            mileage_max=number("mileageMax"),
            price_currency=Currency(currency) if currency in ("DOP", "USD") else Currency.DOP,
            wider_bodies=frozenset(BodyType(v) for v in strings("widerBodies")),
        )

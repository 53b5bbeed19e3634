"""The demo stock: the vehicles other tests and the demo rely on, and a realistic mix."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from okla.chatbot.inventory.demo import DEFAULT_DEALER_SLUG, DEMO_DEALERS
from okla.chatbot.inventory.domain import (
    BodyType,
    Color,
    DealerSeed,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleRecord,
    VehicleStatus,
)
from okla.chatbot.inventory.importer import parse_inventory_csv, write_inventory_csv
from okla.chatbot.text.vocabulary import OFF_ROAD, color_of

ADP_SEED, ADP = DEMO_DEALERS[0]
MDC_SEED, MDC = DEMO_DEALERS[1]
ALL = ADP + MDC


def find(rows: tuple[VehicleRecord, ...], make: str, model: str) -> VehicleRecord:
    matches = [r for r in rows if (r.make, r.model) == (make, model)]
    assert len(matches) == 1, f"expected exactly one {make} {model}, found {len(matches)}"
    return matches[0]


def available(rows: tuple[VehicleRecord, ...]) -> list[VehicleRecord]:
    return [r for r in rows if r.status is VehicleStatus.AVAILABLE]


def test_the_dealers() -> None:
    assert [seed for seed, _ in DEMO_DEALERS] == [
        DealerSeed(
            slug="auto-dominicana-premium",
            name="Auto Dominicana Premium",
            assistant_name="Ana",
            city="Santo Domingo",
            phone="809-555-0100",
            website="https://okla.do/dealers/auto-dominicana-premium",
        ),
        DealerSeed(
            slug="motores-del-cibao",
            name="Motores del Cibao",
            assistant_name="Carlos",
            city="Santiago de los Caballeros",
            phone="809-555-0200",
            website="https://okla.do/dealers/motores-del-cibao",
        ),
    ]
    assert DEFAULT_DEALER_SLUG == ADP_SEED.slug


@pytest.mark.parametrize(
    ("make", "model", "year", "trim", "price", "body", "fuel"),
    [
        ("Toyota", "Land Cruiser Prado", 2023, "VX", 5_800_000, BodyType.SUV, Fuel.DIESEL),
        ("Ford", "Bronco Sport", 2024, "Big Bend", 2_700_000, BodyType.SUV, Fuel.GASOLINE),
        ("Kia", "Carnival", 2024, "EX", 3_300_000, BodyType.MINIVAN, Fuel.GASOLINE),
    ],
)
def test_the_seed_vehicles_are_exact(
    make: str, model: str, year: int, trim: str, price: int, body: BodyType, fuel: Fuel
) -> None:
    vehicle = find(ADP, make, model)
    assert (vehicle.year, vehicle.trim, vehicle.price, vehicle.currency) == (
        year,
        trim,
        price,
        "DOP",
    )
    assert (vehicle.body_type, vehicle.fuel, vehicle.transmission, vehicle.status) == (
        body,
        fuel,
        Transmission.AUTOMATIC,
        VehicleStatus.AVAILABLE,
    )


def test_counts_and_stock_numbers() -> None:
    assert len(ADP) >= 28
    assert len(MDC) >= 10
    numbers = [r.stock_number for r in ALL]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"ADP-\d{4}", r.stock_number) for r in ADP)
    assert all(re.fullmatch(r"MDC-\d{4}", r.stock_number) for r in MDC)


def test_every_row_is_plausible() -> None:
    for row in ALL:
        assert 2015 <= row.year <= 2025, row
        assert 650_000 <= row.price <= 9_500_000, row
        assert row.currency == "DOP", row
        assert row.mileage_km >= 0, row
        assert row.seats is not None and 2 <= row.seats <= 15, row
        assert row.url == f"https://okla.do/vehiculos/{row.stock_number.lower()}"
        assert row.image_url is None
        assert row.description and "\n" not in row.description
        assert row.color and row.trim


def test_new_vehicles_have_no_mileage_and_used_ones_do() -> None:
    new = [r for r in ADP if r.mileage_km == 0]
    assert new and all(r.year >= 2024 for r in new)
    assert all(r.mileage_km > 0 for r in ADP if r.year <= 2022)


def test_statuses() -> None:
    statuses = Counter(r.status for r in ADP)
    assert statuses[VehicleStatus.SOLD] >= 3
    assert statuses[VehicleStatus.RESERVED] >= 2
    suvs = [r for r in ADP if r.body_type is BodyType.SUV]
    assert any(r.status is VehicleStatus.SOLD for r in suvs)
    assert any(r.status is VehicleStatus.RESERVED for r in suvs)


def test_a_realistic_mix() -> None:
    bodies = Counter(r.body_type for r in ADP)
    assert bodies[BodyType.SUV] >= 10
    assert bodies[BodyType.SEDAN] >= 4
    assert bodies[BodyType.HATCHBACK] >= 3
    assert bodies[BodyType.PICKUP] >= 4
    assert bodies[BodyType.MINIVAN] >= 2
    assert bodies[BodyType.VAN] >= 1
    fuels = Counter(r.fuel for r in ADP)
    assert fuels[Fuel.HYBRID] >= 2
    assert fuels[Fuel.ELECTRIC] >= 1
    assert fuels[Fuel.LPG] >= 1
    pickups = [r for r in ADP if r.body_type is BodyType.PICKUP]
    assert sum(r.fuel is Fuel.DIESEL for r in pickups) >= 2
    assert any(r.transmission is Transmission.MANUAL for r in pickups)
    models = {r.model for r in ADP}
    for model in ("RAV4", "Tucson", "Corolla", "Civic", "Picanto", "Hilux", "Sienna", "X5"):
        assert model in models


_4X4, _AWD, _FWD, _RWD = (
    Drivetrain.FOUR_BY_FOUR,
    Drivetrain.AWD,
    Drivetrain.FWD,
    Drivetrain.RWD,
)


@pytest.mark.parametrize(
    ("make", "model", "drivetrain"),
    [
        ("Toyota", "Land Cruiser Prado", _4X4),
        ("Ford", "Bronco Sport", _4X4),
        ("Toyota", "Hilux", _4X4),  # "Doble cabina, 4x4 diésel."
        ("Toyota", "Tacoma", _4X4),
        ("Nissan", "Frontier", _4X4),
        ("Mitsubishi", "L200", _4X4),
        ("Mitsubishi", "Montero Sport", _4X4),
        ("Jeep", "Wrangler", _4X4),
        ("Mercedes-Benz", "GLE", _AWD),  # 4MATIC
        ("BMW", "X5", _AWD),  # xDrive
        ("Ford", "Ranger", _RWD),  # an XLT 4x2: a pickup that is not a 4x4
        ("Hyundai", "Tucson", _FWD),
        ("Hyundai", "H-1", _RWD),
        ("Toyota", "Hiace", _RWD),
    ],
)
def test_drivetrains(make: str, model: str, drivetrain: Drivetrain) -> None:
    assert find(ADP, make, model).drivetrain is drivetrain


def test_every_vehicle_has_a_realistic_drivetrain() -> None:
    assert all(r.drivetrain is not None for r in ALL)
    for row in ALL:
        if row.body_type in (BodyType.SEDAN, BodyType.HATCHBACK, BodyType.MINIVAN):
            assert row.drivetrain is _FWD, row
        if row.description and "4x4" in row.description:
            assert row.drivetrain is _4X4, row
    suvs = Counter(r.drivetrain for r in available(ADP) if r.body_type is BodyType.SUV)
    assert suvs[_4X4] >= 2 and suvs[_AWD] >= 2 and suvs[_FWD] >= 2


def test_colours_are_read_as_families() -> None:
    assert all(color_of(r.color) is not None for r in ALL)
    assert color_of(find(ADP, "Toyota", "Land Cruiser Prado").color) is Color.WHITE
    assert color_of(find(ADP, "BMW", "X5").color) is Color.BLACK
    # One Tucson, black: "la Tucson en rojo" is a colour the stock can't meet.
    assert color_of(find(ADP, "Hyundai", "Tucson").color) is Color.BLACK
    suv_colors = {color_of(r.color) for r in available(ADP) if r.body_type is BodyType.SUV}
    assert suv_colors >= {Color.RED, Color.WHITE, Color.BLACK}


def test_off_road_stock_under_three_million() -> None:
    off_road = [r for r in available(ADP) if r.drivetrain in OFF_ROAD and r.price <= 3_000_000]
    assert {r.body_type for r in off_road} == {BodyType.SUV, BodyType.PICKUP}


@pytest.mark.parametrize(
    ("low", "high", "at_least"),
    [(0, 3_000_000, 5), (1_500_000, 2_000_000, 2), (0, 1_000_000, 1)],
    ids=["menos de 3 millones", "entre 1.5 y 2 millones", "menos de 1 millon"],
)
def test_price_bands_have_available_vehicles(low: int, high: int, at_least: int) -> None:
    matches = [r for r in available(ADP) if low <= r.price <= high]
    assert len(matches) >= at_least


def test_the_yipetas_under_3_million_span_several_makes() -> None:
    makes = {r.make for r in available(ADP) if r.body_type is BodyType.SUV and r.price < 3_000_000}
    assert len(makes) >= 4


def test_the_second_dealer_has_stock_of_its_own() -> None:
    theirs = {(r.make, r.model) for r in MDC}
    ours = {(r.make, r.model) for r in ADP}
    for vehicle in (
        ("Isuzu", "D-Max"),
        ("Suzuki", "Vitara"),
        ("Nissan", "Kicks"),
        ("Honda", "HR-V"),
    ):
        assert vehicle in theirs and vehicle not in ours
    assert available(MDC)


@pytest.mark.parametrize("dealer", [seed.slug for seed, _ in DEMO_DEALERS])
def test_every_row_round_trips_through_csv(dealer: str) -> None:
    rows = next(rows for seed, rows in DEMO_DEALERS if seed.slug == dealer)
    parsed = parse_inventory_csv(write_inventory_csv(rows), current_year=2025)
    assert tuple(parsed) == rows

"""CSV stock files: every problem reported with its line, nothing half-parsed."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import BodyType, Fuel, Transmission, VehicleStatus
from okla.chatbot.inventory.importer import (
    CSV_COLUMNS,
    CsvImportError,
    parse_inventory_csv,
    write_inventory_csv,
)

HEADER = ",".join(CSV_COLUMNS)


def parse(text: str) -> list[object]:
    return list(parse_inventory_csv(text, current_year=2026))


def test_demo_stock_round_trips() -> None:
    for _, rows in DEMO_DEALERS:
        assert tuple(parse_inventory_csv(write_inventory_csv(rows), current_year=2026)) == rows


def test_spanish_values_and_money_formats() -> None:
    text = (
        "stock_number,make,model,year,price,body_type,fuel,transmission,status\n"
        'A1,Toyota,Hilux,2022,"RD$2,850,000",camioneta,gasoil,mecánica,disponible\n'
        "A2,Kia,Carnival,2024,RD$ 3.300.000,guagua,gasolina,automática,vendido\n"
    )
    first, second = parse_inventory_csv(text, current_year=2026)
    assert (first.price, first.body_type, first.fuel, first.transmission) == (
        2_850_000, BodyType.PICKUP, Fuel.DIESEL, Transmission.MANUAL,
    )  # fmt: skip
    assert (second.price, second.status) == (3_300_000, VehicleStatus.SOLD)


def test_every_bad_row_is_reported_with_its_line() -> None:
    text = "\n".join(
        [
            "stock_number,make,model,year,price,body_type,fuel,transmission",
            "A1,Toyota,Hilux,2022,2850000,Pickup,Diesel,Manual",
            "A2,Toyota,Hilux,19x4,2850000,Pickup,Diesel,Manual",
            "A3,Toyota,Hilux,2022,abc,Pickup,Diesel,Manual",
            "A4,Toyota,Hilux,2022,2850000,Spaceship,Diesel,Manual",
            "A1,Toyota,Hilux,2022,2850000,Pickup,Diesel,Manual",
            ",Toyota,Hilux,2022,2850000,Pickup,Diesel,Manual",
        ]
    )
    with pytest.raises(CsvImportError) as caught:
        parse(text)
    found = {(e.line, e.column) for e in caught.value.errors}
    assert found == {
        (3, "year"), (4, "price"), (5, "body_type"), (6, "stock_number"), (7, "stock_number"),
    }  # fmt: skip
    message = str(caught.value)
    assert "line 5: body_type: expected one of SUV, Sedan" in message
    assert "also on line 2" in message


def test_header_problems() -> None:
    with pytest.raises(CsvImportError, match="missing columns price"):
        parse("stock_number,make,model,year,body_type,fuel,transmission\n")
    with pytest.raises(CsvImportError, match="unknown columns colour"):
        parse(HEADER + ",colour\n")
    with pytest.raises(CsvImportError, match="empty"):
        parse("")
    with pytest.raises(CsvImportError, match="no vehicles"):
        parse(HEADER + "\n")


def test_urls_and_seats_are_checked() -> None:
    text = (
        "stock_number,make,model,year,price,body_type,fuel,transmission,seats,url\n"
        "A1,Kia,Rio,2020,800000,Sedan,Gasoline,Automatic,99,ftp://x\n"
    )
    with pytest.raises(CsvImportError) as caught:
        parse(text)
    assert {e.column for e in caught.value.errors} == {"seats", "url"}

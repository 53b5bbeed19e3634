"""CSV stock files: every problem reported with its line, nothing half-parsed."""

from __future__ import annotations

import csv
import io
import pickle
from dataclasses import fields, replace

import pytest

from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    Transmission,
    VehicleRecord,
    VehicleStatus,
)
from okla.chatbot.inventory.importer import (
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    CsvImportError,
    RowError,
    parse_inventory_csv,
    write_inventory_csv,
)

YEAR = 2026
GOOD = {
    "stock_number": "ADP-0100",
    "make": "Toyota",
    "model": "Hilux",
    "year": "2022",
    "trim": "SR5",
    "price": "2850000",
    "currency": "DOP",
    "body_type": "Pickup",
    "mileage_km": "45000",
    "fuel": "Diesel",
    "transmission": "Manual",
    "color": "Blanco",
    "seats": "5",
    "status": "Available",
    "url": "https://okla.do/vehiculos/adp-0100",
    "image_url": "https://okla.do/img/adp-0100.jpg",
    "description": "Doble cabina, 4x4 diésel.",
}
HILUX = VehicleRecord(
    stock_number="ADP-0100",
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
    color="Blanco",
    seats=5,
    status=VehicleStatus.AVAILABLE,
    url="https://okla.do/vehiculos/adp-0100",
    image_url="https://okla.do/img/adp-0100.jpg",
    description="Doble cabina, 4x4 diésel.",
)


def csv_text(*rows: dict[str, str], columns: tuple[str, ...] = CSV_COLUMNS) -> str:
    """Write rows (given by column name) the way a spreadsheet would, quoting as needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row.get(column, "") for column in columns)
    return out.getvalue()


def good(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def parse(text: str) -> list[VehicleRecord]:
    return parse_inventory_csv(text, current_year=YEAR)


def errors_of(text: str) -> list[RowError]:
    with pytest.raises(CsvImportError) as caught:
        parse(text)
    return caught.value.errors


def test_the_columns_are_the_record_fields() -> None:
    # The file keeps its own column order; the record's follows the card's fields first.
    assert sorted(CSV_COLUMNS) == sorted(f.name for f in fields(VehicleRecord))
    assert set(REQUIRED_COLUMNS) <= set(CSV_COLUMNS)


def test_a_complete_row_parses() -> None:
    assert parse(csv_text(GOOD)) == [HILUX]


def test_only_the_required_columns_and_defaults() -> None:
    rows = parse(csv_text(GOOD, columns=REQUIRED_COLUMNS))
    assert rows == [
        replace(
            HILUX,
            trim=None,
            mileage_km=0,
            color=None,
            seats=None,
            url=None,
            image_url=None,
            description=None,
        )
    ]
    assert (rows[0].currency, rows[0].status) == ("DOP", VehicleStatus.AVAILABLE)


def test_empty_optional_cells_take_their_defaults() -> None:
    blank = {column: "" for column in CSV_COLUMNS if column not in REQUIRED_COLUMNS}
    [row] = parse(csv_text(good(**blank)))
    assert (row.currency, row.status, row.mileage_km) == ("DOP", VehicleStatus.AVAILABLE, 0)
    assert (row.trim, row.color, row.seats, row.url, row.image_url, row.description) == (
        (None,) * 6
    )


def test_column_order_header_case_and_whitespace_do_not_matter() -> None:
    columns = tuple(reversed(CSV_COLUMNS))
    text = csv_text({c: f"  {v}  " for c, v in GOOD.items()}, columns=columns)
    header, rest = text.split("\n", 1)
    fancy = ",".join(f" {c.replace('_', ' ').title()} " for c in header.split(","))
    assert parse(fancy + "\n" + rest) == [HILUX]


def test_runs_of_spaces_inside_names_are_collapsed() -> None:
    [row] = parse(csv_text(good(model="Land   Cruiser  Prado", trim="VX  ")))
    assert (row.model, row.trim) == ("Land Cruiser Prado", "VX")


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("2700000", 2_700_000, "DOP"),
        ("2,700,000", 2_700_000, "DOP"),
        ("RD$2,700,000", 2_700_000, "DOP"),
        ("RD$ 2.700.000", 2_700_000, "DOP"),
        ("rd$2700000", 2_700_000, "DOP"),
        ("$2,700,000", 2_700_000, "DOP"),
        ("2,700,000.00", 2_700_000, "DOP"),
        ("2.700.000,00", 2_700_000, "DOP"),
        ("1.500", 1_500, "DOP"),
        ("US$45,000", 45_000, "USD"),
    ],
)
def test_price_formats(text: str, price: int, currency: str) -> None:
    [row] = parse(csv_text(good(price=text, currency="")))
    assert (row.price, row.currency) == (price, currency)


@pytest.mark.parametrize(
    "text",
    ["abc", "0", "-2700000", "2.7", "27,00,000", "2,700.000", "2,700,000.50", "2,700,00", "RD$"],
)
def test_bad_prices(text: str) -> None:
    [error] = errors_of(csv_text(GOOD, good(stock_number="X-2", price=text)))
    assert (error.line, error.column) == (3, "price")
    assert error.message == (
        "price: expected a positive whole number of pesos like 2700000 or RD$2,700,000, "
        f"got {text!r}"
    )


def test_an_absurd_price_is_refused() -> None:
    [error] = errors_of(csv_text(good(price="RD$25,000,000,000")))
    assert error.column == "price"
    assert "at most 1,000,000,000" in error.message


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("year", "19x4", "expected a year from 1950 to 2027, got '19x4'"),
        ("year", "1949", "expected a year from 1950 to 2027"),
        ("year", "2028", "expected a year from 1950 to 2027"),
        ("year", "2,022", "expected a year"),
        ("currency", "EUR", "expected DOP or USD, got 'EUR'"),
        (
            "body_type",
            "Spaceship",
            "expected one of SUV, Sedan, Hatchback, Coupe, Convertible, Pickup, Minivan, Van",
        ),
        ("fuel", "nafta", "expected one of Gasoline, Diesel, Hybrid, Electric, LPG"),
        ("transmission", "semi", "expected one of Automatic, Manual"),
        ("status", "pending", "expected one of Available, Reserved, Sold"),
        ("mileage_km", "-5", "expected a whole number of kilometres from 0 to 2,000,000"),
        ("mileage_km", "45k", "expected a whole number of kilometres"),
        ("mileage_km", "3,000,000", "expected a whole number of kilometres"),
        ("seats", "0", "expected a number of seats from 1 to 60, got '0'"),
        ("seats", "61", "expected a number of seats from 1 to 60"),
        ("seats", "cinco", "expected a number of seats"),
        ("url", "ftp://okla.do/x", "expected a web address starting with http:// or https://"),
        ("url", "www.okla.do/x", "expected a web address starting with http://"),
        ("url", "javascript:alert(1)", "expected a web address"),
        ("url", "https://", "expected a web address"),
        ("url", "https://okla.do/a b", "expected a web address"),
        ("image_url", "okla.do/x.jpg", "expected a web address"),
        ("url", "https://okla.do/" + "x" * 490, "expected at most 500 characters, got 506"),
        ("make", "M" * 61, "expected at most 60 characters, got 61"),
        ("stock_number", "S" * 51, "expected at most 50 characters"),
        ("model", "Hi\x00lux", "expected plain text without control characters"),
        ("description", "Bien\x00cuidada", "expected plain text without control characters"),
    ],
    ids=lambda value: repr(value[:20]),
)
def test_each_rule_names_its_line_and_column(column: str, value: str, expected: str) -> None:
    text = csv_text(GOOD, good(**{"stock_number": "ADP-0200", column: value}))
    [error] = errors_of(text)
    assert (error.line, error.column) == (3, column)
    assert error.message.startswith(f"{column}: {expected}")


@pytest.mark.parametrize("column", REQUIRED_COLUMNS)
def test_required_cells_must_not_be_empty(column: str) -> None:
    errors = errors_of(csv_text(GOOD, good(**{"stock_number": "ADP-0200", column: "  "})))
    assert [(e.line, e.column, e.message) for e in errors] == [
        (3, column, f"{column}: required, but the cell is empty")
    ]


def test_several_problems_are_all_reported_in_line_order() -> None:
    text = csv_text(
        GOOD,
        good(stock_number="A2", year="19x4"),
        good(stock_number="A3", price="abc", fuel="agua"),
        good(stock_number="A4"),
        good(stock_number="A5", body_type="Spaceship"),
    )
    errors = errors_of(text)
    assert [(e.line, e.column) for e in errors] == [
        (3, "year"),
        (4, "price"),
        (4, "fuel"),
        (6, "body_type"),
    ]
    lines = str(CsvImportError(errors)).splitlines()
    assert lines[0] == "line 3: year: expected a year from 1950 to 2027, got '19x4'"
    assert lines[1].startswith("line 4: price: expected a positive whole number of pesos")
    assert len(lines) == 4


def test_duplicate_stock_numbers_name_both_lines() -> None:
    text = csv_text(
        good(stock_number="A1"),
        good(stock_number="A2"),
        good(stock_number="a1"),
        good(stock_number="A1", price="abc"),
    )
    errors = errors_of(text)
    duplicates = [e for e in errors if e.column == "stock_number"]
    assert [e.line for e in duplicates] == [4, 5]
    assert "'a1' is used on line 2 and on line 4" in duplicates[0].message
    assert "'A1' is used on line 2 and on line 5" in duplicates[1].message
    assert {(e.line, e.column) for e in errors} == {(4, "stock_number"), (5, "stock_number"),
                                                    (5, "price")}  # fmt: skip


@pytest.mark.parametrize(
    ("column", "word", "value"),
    [
        ("body_type", "suv", BodyType.SUV),
        ("body_type", "Yipeta", BodyType.SUV),
        ("body_type", "JEEPETA", BodyType.SUV),
        ("body_type", "sedán", BodyType.SEDAN),
        ("body_type", "hatchback", BodyType.HATCHBACK),
        ("body_type", "Coupé", BodyType.COUPE),
        ("body_type", "convertible", BodyType.CONVERTIBLE),
        ("body_type", "camioneta", BodyType.PICKUP),
        ("body_type", "pick-up", BodyType.PICKUP),
        ("body_type", "minivan", BodyType.MINIVAN),
        ("body_type", "guagua", BodyType.VAN),
        ("body_type", "van", BodyType.VAN),
        ("fuel", "gasolina", Fuel.GASOLINE),
        ("fuel", "Diésel", Fuel.DIESEL),
        ("fuel", "gasoil", Fuel.DIESEL),
        ("fuel", "híbrido", Fuel.HYBRID),
        ("fuel", "Eléctrico", Fuel.ELECTRIC),
        ("fuel", "GLP", Fuel.LPG),
        ("fuel", "lpg", Fuel.LPG),
        ("transmission", "automática", Transmission.AUTOMATIC),
        ("transmission", "Automatico", Transmission.AUTOMATIC),
        ("transmission", "mecánica", Transmission.MANUAL),
        ("transmission", "standard", Transmission.MANUAL),
        ("status", "disponible", VehicleStatus.AVAILABLE),
        ("status", "Reservado", VehicleStatus.RESERVED),
        ("status", "apartado", VehicleStatus.RESERVED),
        ("status", "VENDIDO", VehicleStatus.SOLD),
        ("status", "sold", VehicleStatus.SOLD),
    ],
)
def test_spanish_and_english_names_are_accepted(column: str, word: str, value: object) -> None:
    [row] = parse(csv_text(good(**{column: word})))
    assert getattr(row, column) == value


def test_quoted_fields_with_commas_quotes_and_line_breaks() -> None:
    text = (
        "stock_number,make,model,year,price,body_type,fuel,transmission,description\n"
        'A1,Toyota,Hilux,2022,"RD$2,850,000",camioneta,gasoil,mecánica,'
        '"Doble cabina, 4x4; rines de 17"" y ""full"" equipo"\n'
        'A2,Kia,Carnival,2024,"3,300,000",minivan,gasolina,automática,"Primera línea\n'
        'segunda línea"\n'
        "A3,Kia,Picanto,2021,690000,hatchback,gasolina,mecánica,Ideal para la ciudad\n"
        "A4,Kia,Picanto,2021,690000,hatchback,gasolina,manual,\n"
    )
    first, second, _, _ = parse(text)
    assert first.price == 2_850_000
    assert first.description == 'Doble cabina, 4x4; rines de 17" y "full" equipo'
    assert second.description == "Primera línea\nsegunda línea"
    # A record spanning two lines must not shift the line numbers of those after it.
    errors = errors_of(text.replace("A4,Kia,Picanto,2021", "A4,Kia,Picanto,19x4"))
    assert [(e.line, e.column) for e in errors] == [(6, "year")]


def test_an_unquoted_comma_is_reported_with_a_hint() -> None:
    text = csv_text(GOOD) + (
        "A2,Toyota,Hilux,2022,SR5,2850000,DOP,Pickup,45000,Diesel,Manual,,Blanco,5,Available,"
        "https://okla.do/v/a2,,Doble cabina, 4x4\n"
    )
    [error] = errors_of(text)
    assert (error.line, error.column) == (3, None)
    assert "' 4x4'" not in error.message and "'4x4'" in error.message
    assert "double quotes" in error.message


def test_trailing_empty_cells_are_fine() -> None:
    text = csv_text(GOOD, columns=REQUIRED_COLUMNS).replace("Manual\n", "Manual,,,\n")
    assert len(parse(text)) == 1


def test_an_unbalanced_quote_is_reported_where_it_starts() -> None:
    text = csv_text(GOOD) + 'A2,Toyota,"Hilux,2022\nA3,Kia,Rio\n'
    [error] = errors_of(text)
    assert (error.line, error.column) == (3, None)
    assert "double quotes" in error.message


def test_blank_lines_are_skipped_but_counted() -> None:
    text = "\n" + csv_text(GOOD, good(stock_number="A2", year="19x4")).replace("\n", "\n\n", 1)
    [error] = errors_of(text)
    assert (error.line, error.column) == (5, "year")
    assert len(parse(text.replace("19x4", "2020"))) == 2


def test_byte_order_mark_windows_line_ends_and_semicolons() -> None:
    text = "\ufeff" + csv_text(GOOD).replace("\n", "\r\n")
    assert parse(text) == [HILUX]
    semicolons = (
        "stock_number;make;model;year;price;body_type;fuel;transmission\n"
        "A1;Toyota;Hilux;2022;RD$2,850,000;Pickup;Diesel;Manual\n"
    )
    [row] = parse(semicolons)
    assert (row.stock_number, row.price) == ("A1", 2_850_000)


def test_mileage_with_thousands_separators() -> None:
    assert parse(csv_text(good(mileage_km="45,000")))[0].mileage_km == 45_000
    assert parse(csv_text(good(mileage_km="45.000 km")))[0].mileage_km == 45_000


def test_dollar_prices_and_currency() -> None:
    [row] = parse(csv_text(good(price="45000", currency="usd")))
    assert (row.price, row.currency) == (45_000, "USD")
    [error] = errors_of(csv_text(good(price="US$45,000", currency="DOP")))
    assert error.column == "currency"
    assert "price is written in USD but the currency is DOP" in error.message


def test_unknown_columns_are_named_with_the_valid_ones() -> None:
    header = ",".join((*REQUIRED_COLUMNS, "colour", "precio_oferta"))
    [error] = errors_of(header + "\n")
    assert (error.line, error.column) == (1, None)
    assert error.message.startswith("unknown columns colour (did you mean color?), precio_oferta")
    assert "valid columns are " + ", ".join(CSV_COLUMNS) in error.message


def test_missing_required_columns() -> None:
    header = ",".join(c for c in CSV_COLUMNS if c not in ("price", "fuel"))
    [error] = errors_of(csv_text(GOOD).replace(csv_text().strip(), header))
    assert (error.line, error.column) == (1, None)
    assert error.message.startswith("missing required columns price, fuel")


def test_a_column_named_twice() -> None:
    [error] = errors_of(",".join((*REQUIRED_COLUMNS, "Price")) + "\n")
    assert (error.line, error.column) == (1, "price")
    assert "appears more than once" in error.message


def test_a_file_without_a_header() -> None:
    [error] = errors_of("ADP-1,Toyota,Hilux,2022,2850000,Pickup,Diesel,Manual\n")
    assert error.line == 1
    assert error.message.startswith("the first line must be the header")


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_an_empty_file(text: str) -> None:
    [error] = errors_of(text)
    assert error.line == 1
    assert "the file is empty" in error.message


def test_a_header_without_vehicles() -> None:
    [error] = errors_of("\n" + csv_text() + "\n")
    assert (error.line, error.column) == (3, None)
    assert "no vehicles" in error.message


def test_write_inventory_csv() -> None:
    text = write_inventory_csv([HILUX, replace(HILUX, stock_number="A2", trim=None)])
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert lines[1] == (
        "ADP-0100,Toyota,Hilux,2022,SR5,2850000,DOP,Pickup,45000,Diesel,Manual,,Blanco,5,"
        "Available,https://okla.do/vehiculos/adp-0100,https://okla.do/img/adp-0100.jpg,"
        '"Doble cabina, 4x4 diésel."'
    )
    assert lines[2].startswith("A2,Toyota,Hilux,2022,,2850000,")
    assert write_inventory_csv([]) == ",".join(CSV_COLUMNS) + "\n"


def test_the_error_survives_pickling() -> None:
    error = CsvImportError([RowError(7, "price", "price: expected a number, got 'abc'")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.errors == error.errors
    assert str(copy) == "line 7: price: expected a number, got 'abc'"

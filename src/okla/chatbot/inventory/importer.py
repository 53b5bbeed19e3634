"""Parse and validate a dealer's stock CSV; report every problem with its line number."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from okla.chatbot.inventory.domain import (
    BodyType,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleRecord,
    VehicleStatus,
)
from okla.chatbot.text.fold import squash
from okla.chatbot.text.money import MAX_PRICE, currency_code, price_cell, whole_number
from okla.chatbot.text.vocabulary import CELL_HINTS, CELL_WORDS

CSV_COLUMNS = (
    "stock_number",
    "make",
    "model",
    "year",
    "trim",
    "price",
    "currency",
    "body_type",
    "mileage_km",
    "fuel",
    "transmission",
    "drivetrain",
    "color",
    "seats",
    "status",
    "url",
    "image_url",
    "description",
)
REQUIRED_COLUMNS = (
    "stock_number",
    "make",
    "model",
    "year",
    "price",
    "body_type",
    "fuel",
    "transmission",
)

# The database's column sizes: a longer value would fail the whole import without a line number.
_MAX_CHARS = {
    "stock_number": 50,
    "make": 60,
    "model": 80,
    "trim": 80,
    "color": 40,
    "url": 500,
    "image_url": 500,
}
_FIRST_YEAR = 1950
_MAX_MILEAGE_KM = 2_000_000
_MIN_SEATS, _MAX_SEATS = 1, 60

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class RowError:
    """Describe one problem of the file: where it is, what was wrong, what was expected."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CsvImportError(Exception):
    """Signal that the file has problems, so none of it should be loaded."""

    def __init__(self, errors: list[RowError]) -> None:
        # Passing the list to Exception keeps the error picklable (args rebuild it).
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def _price(raw: str) -> tuple[int, str | None]:
    """Return the price and the currency its symbol implies, if any."""
    expected = "expected a positive whole number of pesos like 2700000 or RD$2,700,000"
    read = price_cell(raw)
    if read is None or read[0] <= 0:
        raise ValueError(f"{expected}, got {raw!r}")
    if read[0] > MAX_PRICE:
        raise ValueError(f"expected at most {MAX_PRICE:,} (check for extra zeros), got {raw!r}")
    return read


def _currency(raw: str) -> str:
    currency = currency_code(raw)
    if currency is None:
        raise ValueError(f"expected DOP or USD, got {raw!r}")
    return currency


def _year(current_year: int) -> Callable[[str], int]:
    last = current_year + 1  # next year's models go on sale during this one

    def parse(raw: str) -> int:
        if not re.fullmatch(r"\d{4}", raw) or not _FIRST_YEAR <= int(raw) <= last:
            raise ValueError(f"expected a year from {_FIRST_YEAR} to {last}, got {raw!r}")
        return int(raw)

    return parse


def _mileage(raw: str) -> int:
    km = whole_number(re.sub(r"\s*km$", "", raw, flags=re.IGNORECASE))
    if km is None or km > _MAX_MILEAGE_KM:
        raise ValueError(
            f"expected a whole number of kilometres from 0 to {_MAX_MILEAGE_KM:,} "
            f"like 45000 or 45,000, got {raw!r}"
        )
    return km


def _seats(raw: str) -> int:
    if not re.fullmatch(r"\d{1,2}", raw) or not _MIN_SEATS <= int(raw) <= _MAX_SEATS:
        raise ValueError(
            f"expected a number of seats from {_MIN_SEATS} to {_MAX_SEATS}, got {raw!r}"
        )
    return int(raw)


def _enum(kind: type[E]) -> Callable[[str], E]:
    table = CELL_WORDS[kind]

    def parse(raw: str) -> E:
        member = table.get(squash(raw))
        if not isinstance(member, kind):
            valid = ", ".join(m.value for m in kind)
            raise ValueError(
                f"expected one of {valid} (or in Spanish: {CELL_HINTS[kind]}), got {raw!r}"
            )
        return member

    return parse


def _check_text(text: str, raw: str, *, allowed: str = "") -> None:
    # NUL and other control characters are rejected by PostgreSQL or break the widget.
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
        raise ValueError(f"expected plain text without control characters, got {raw!r}")


def _line(column: str) -> Callable[[str], str]:
    limit = _MAX_CHARS[column]

    def parse(raw: str) -> str:
        # Runs of spaces or a quoted line break would keep 'Land  Cruiser' from matching searches.
        text = " ".join(raw.split())
        _check_text(text, raw)
        if len(text) > limit:
            raise ValueError(f"expected at most {limit} characters, got {len(text)}")
        return text

    return parse


def _description(raw: str) -> str:
    _check_text(raw, raw, allowed="\t\n\r")
    return raw


def _url(column: str) -> Callable[[str], str]:
    limit = _MAX_CHARS[column]

    def parse(raw: str) -> str:
        problem = f"expected a web address starting with http:// or https://, got {raw!r}"
        # The widget turns it into a link: no javascript: or data: addresses, nothing odd inside.
        if not raw.lower().startswith(("http://", "https://")) or any(
            c.isspace() or unicodedata.category(c) == "Cc" for c in raw
        ):
            raise ValueError(problem)
        try:
            host = urlsplit(raw).netloc
        except ValueError:  # e.g. an unclosed '[' of an IPv6 address
            raise ValueError(problem) from None
        if not host:
            raise ValueError(problem)
        if len(raw) > limit:
            raise ValueError(f"expected at most {limit} characters, got {len(raw)}")
        return raw

    return parse


class _Row:
    """Read one record's cells by column name, collecting what is wrong with them."""

    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line = line
        self.cells = cells
        self.errors: list[RowError] = []

    def get(self, column: str, parse: Callable[[str], T]) -> T | None:
        """Return the parsed cell, or None if it is empty or wrong (and then note why)."""
        raw = self.cells.get(column, "")
        if not raw:
            if column in REQUIRED_COLUMNS:
                self.fail(column, "required, but the cell is empty")
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def fail(self, column: str | None, problem: str) -> None:
        message = f"{column}: {problem}" if column else problem
        self.errors.append(RowError(self.line, column, message))


def _delimiter(text: str) -> str:
    """Guess the separator from the header line: spreadsheets in Spanish often save with ';'."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _records(text: str, errors: list[RowError]) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, cells) of each non-blank record.

    A quoting error stops the reading: after an unbalanced quote the csv module can't tell
    where the next record starts, so what follows would only produce misleading errors.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    while True:
        # A quoted value may span lines; a record's own line is the one it starts on.
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(
                RowError(
                    line,
                    None,
                    f"unreadable row ({exc}); a value with commas or line breaks must be in "
                    'double quotes, and a quote inside it written twice (""); '
                    "the rest of the file was not checked",
                )
            )
            return
        if any(cell.strip() for cell in cells):
            yield line, cells


def _column_name(cell: str) -> str:
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def _header(line: int, cells: list[str]) -> tuple[list[str | None], list[RowError]]:
    """Map each position to a column name (None for unnamed ones) and list the problems."""
    names: list[str | None] = [_column_name(cell) or None for cell in cells]
    named = [name for name in names if name]
    valid = ", ".join(CSV_COLUMNS)
    if not any(name in CSV_COLUMNS for name in named):
        got = ",".join(cell.strip() for cell in cells)
        got = got if len(got) <= 80 else got[:77] + "..."
        message = f"the first line must be the header, like {','.join(CSV_COLUMNS)}; got {got!r}"
        return names, [RowError(line, None, message)]
    errors: list[RowError] = []
    unknown = []
    for name in dict.fromkeys(n for n in named if n not in CSV_COLUMNS):
        close = difflib.get_close_matches(name, CSV_COLUMNS, n=1)
        unknown.append(f"{name} (did you mean {close[0]}?)" if close else name)
    if unknown:
        message = f"unknown columns {', '.join(unknown)}; valid columns are {valid}"
        errors.append(RowError(line, None, message))
    for name in dict.fromkeys(named):
        positions = [str(i) for i, n in enumerate(names, 1) if n == name]
        if len(positions) > 1:
            message = (
                f"column {name} appears more than once in the header "
                f"(positions {', '.join(positions)}); expected each column once"
            )
            errors.append(RowError(line, name, message))
    missing = [c for c in REQUIRED_COLUMNS if c not in named]
    if missing:
        message = (
            f"missing required columns {', '.join(missing)}; "
            f"every file needs {', '.join(REQUIRED_COLUMNS)}"
        )
        errors.append(RowError(line, None, message))
    return names, errors


def _vehicle(
    line: int, cells: list[str], names: list[str | None], current_year: int
) -> tuple[VehicleRecord | None, str | None, list[RowError]]:
    """Validate one record; return the vehicle (None if invalid), its stock number, problems."""
    values: dict[str, str] = {}
    row = _Row(line, values)
    for position, cell in enumerate(cells, 1):
        name = names[position - 1] if position <= len(names) else None
        if name is not None:
            values[name] = cell.strip()
        elif cell.strip():
            row.fail(
                None,
                f"value {cell.strip()!r} in position {position} has no column in the header; "
                "a value containing a comma must be in double quotes",
            )
            break  # one unquoted comma shifts every later value: once is enough

    stock = row.get("stock_number", _line("stock_number"))
    make = row.get("make", _line("make"))
    model = row.get("model", _line("model"))
    year = row.get("year", _year(current_year))
    trim = row.get("trim", _line("trim"))
    priced = row.get("price", _price)
    currency = row.get("currency", _currency)
    body = row.get("body_type", _enum(BodyType))
    mileage = row.get("mileage_km", _mileage)
    fuel = row.get("fuel", _enum(Fuel))
    gear = row.get("transmission", _enum(Transmission))
    drivetrain = row.get("drivetrain", _enum(Drivetrain))
    color = row.get("color", _line("color"))
    seats = row.get("seats", _seats)
    status = row.get("status", _enum(VehicleStatus))
    url = row.get("url", _url("url"))
    image_url = row.get("image_url", _url("image_url"))
    description = row.get("description", _description)

    implied = priced[1] if priced else None
    if implied and currency and implied != currency:
        row.fail(
            "currency",
            f"the price is written in {implied} but the currency is {currency}; "
            "expected them to agree",
        )
    if (
        row.errors
        or stock is None
        or make is None
        or model is None
        or year is None
        or priced is None
        or body is None
        or fuel is None
        or gear is None
    ):
        return None, stock, row.errors
    vehicle = VehicleRecord(
        stock_number=stock,
        make=make,
        model=model,
        year=year,
        trim=trim,
        price=priced[0],
        currency=currency or implied or "DOP",
        body_type=body,
        mileage_km=0 if mileage is None else mileage,
        fuel=fuel,
        transmission=gear,
        drivetrain=drivetrain,
        color=color,
        seats=seats,
        status=status or VehicleStatus.AVAILABLE,
        url=url,
        image_url=image_url,
        description=description,
    )
    return vehicle, stock, []


def parse_inventory_csv(text: str, *, current_year: int) -> list[VehicleRecord]:
    """Parse a stock file; raise CsvImportError listing every problem if there is any."""
    errors: list[RowError] = []
    # Excel's "CSV UTF-8" starts with a byte-order mark, which would spoil the first column name.
    records = _records(text.removeprefix("\ufeff"), errors)
    first = next(records, None)
    if first is None:
        if errors:
            raise CsvImportError(errors)
        errors.append(
            RowError(
                1,
                None,
                "the file is empty; expected a header line "
                f"({','.join(CSV_COLUMNS)}) and then one line per vehicle",
            )
        )
        raise CsvImportError(errors)
    header_line, header_cells = first
    names, header_errors = _header(header_line, header_cells)
    if header_errors:
        # Without a sound header no cell can be read for what it is meant to be.
        raise CsvImportError(errors + header_errors)

    vehicles: list[VehicleRecord] = []
    first_seen: dict[str, int] = {}
    any_record = False
    for line, cells in records:
        any_record = True
        vehicle, stock, problems = _vehicle(line, cells, names, current_year)
        errors.extend(problems)
        if stock is not None:
            # Case is ignored: 'adp-0001' and 'ADP-0001' are one vehicle typed twice.
            key = stock.casefold()
            if key in first_seen:
                errors.append(
                    RowError(
                        line,
                        "stock_number",
                        f"stock_number: {stock!r} is used on line {first_seen[key]} and on "
                        f"line {line}; expected each vehicle to have its own stock number",
                    )
                )
            else:
                first_seen[key] = line
        if vehicle is not None:
            vehicles.append(vehicle)
    if not any_record and not errors:
        errors.append(
            RowError(
                header_line + 1,
                None,
                "the file has a header but no vehicles; expected one line per vehicle",
            )
        )
    if errors:
        errors.sort(key=lambda e: e.line)
        raise CsvImportError(errors)
    return vehicles


def write_inventory_csv(records: Iterable[VehicleRecord]) -> str:
    """Write records as CSV text with a header, in the format parse_inventory_csv reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        cells = (getattr(record, column) for column in CSV_COLUMNS)
        writer.writerow("" if value is None else str(value) for value in cells)
    return out.getvalue()

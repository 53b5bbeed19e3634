"""Parse and validate a dealer's stock CSV; report every bad row by line number."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import TypeVar

from okla.chatbot.inventory.demo import VehicleRow
from okla.chatbot.inventory.domain import BodyType, Fuel, Transmission, VehicleStatus

CSV_COLUMNS = tuple(f.name for f in fields(VehicleRow))
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

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class RowError:
    """One problem of the file."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: "
        return where + (f"{self.column}: {self.message}" if self.column else self.message)


class CsvImportError(Exception):
    """The file has problems; nothing should be loaded."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return (
        "".join(c for c in text if not unicodedata.combining(c)).replace("-", "").replace(" ", "")
    )


SYNONYMS: dict[type[StrEnum], dict[str, str]] = {
    BodyType: {
        "suv": "SUV", "yipeta": "SUV", "jeepeta": "SUV", "sedan": "Sedan",
        "hatchback": "Hatchback", "coupe": "Coupe", "convertible": "Convertible",
        "pickup": "Pickup", "camioneta": "Pickup", "minivan": "Minivan", "van": "Van",
        "guagua": "Van",
    },
    Fuel: {
        "gasoline": "Gasoline", "gasolina": "Gasoline", "diesel": "Diesel", "gasoil": "Diesel",
        "hybrid": "Hybrid", "hibrido": "Hybrid", "electric": "Electric",
        "electrico": "Electric", "lpg": "LPG", "glp": "LPG",
    },
    Transmission: {
        "automatic": "Automatic", "automatica": "Automatic", "automatico": "Automatic",
        "manual": "Manual", "mecanica": "Manual", "mecanico": "Manual", "standard": "Manual",
    },
    VehicleStatus: {
        "available": "Available", "disponible": "Available", "reserved": "Reserved",
        "reservado": "Reserved", "reservada": "Reserved", "sold": "Sold", "vendido": "Sold",
        "vendida": "Sold",
    },
}  # fmt: skip

_MONEY = re.compile(r"^(?:rd\$|us\$|\$)?\s*(\d{1,3}(?:([,.])\d{3})(?:\2\d{3})*|\d+)$")


def _enum(kind: type[E], raw: str) -> E:
    value = SYNONYMS[kind].get(_plain(raw))
    if value is None:
        valid = ", ".join(m.value for m in kind)
        raise ValueError(f"expected one of {valid} (or its Spanish name), got {raw!r}")
    return kind(value)


def _price(raw: str) -> int:
    match = _MONEY.match(raw.strip().lower())
    if not match or int(re.sub(r"\D", "", match.group(1))) <= 0:
        raise ValueError(
            f"expected a positive whole number of pesos like 2700000 or RD$2,700,000, got {raw!r}"
        )
    return int(re.sub(r"\D", "", match.group(1)))


def _whole(raw: str, low: int, high: int, what: str) -> int:
    cleaned = raw.replace(",", "").strip()
    if not cleaned.isdigit() or not low <= int(cleaned) <= high:
        raise ValueError(f"expected {what} between {low} and {high}, got {raw!r}")
    return int(cleaned)


def _url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ValueError(f"expected a URL starting with http:// or https://, got {raw!r}")
    return raw


def parse_inventory_csv(text: str, *, current_year: int) -> list[VehicleRow]:
    """Parse the file; raise CsvImportError listing every problem if any."""
    reader = csv.reader(io.StringIO(text))
    errors: list[RowError] = []
    header: list[str] | None = None
    rows: list[VehicleRow] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in record]
            unknown = [c for c in header if c not in CSV_COLUMNS]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if unknown:
                errors.append(
                    RowError(
                        line,
                        None,
                        f"unknown columns {', '.join(unknown)}; valid columns "
                        f"are {', '.join(CSV_COLUMNS)}",
                    )  # fmt: skip
                )
            if missing:
                errors.append(RowError(line, None, f"missing columns {', '.join(missing)}"))
            if errors:
                raise CsvImportError(errors)
            continue
        cells = {name: (record[i].strip() if i < len(record) else "") for i, name in
                 enumerate(header)}  # fmt: skip
        row_errors: list[RowError] = []
        take = _Taker(cells, line, row_errors)
        values = {
            "stock_number": take("stock_number", str),
            "make": take("make", str),
            "model": take("model", str),
            "year": take("year", lambda r: _whole(r, 1950, current_year + 1, "a year")),
            "trim": take("trim", str),
            "price": take("price", _price),
            "currency": take("currency", _currency, "DOP"),
            "body_type": take("body_type", lambda r: _enum(BodyType, r)),
            "mileage_km": take("mileage_km", lambda r: _whole(r, 0, 2_000_000, "kilometres"), 0),
            "fuel": take("fuel", lambda r: _enum(Fuel, r)),
            "transmission": take("transmission", lambda r: _enum(Transmission, r)),
            "color": take("color", str),
            "seats": take("seats", lambda r: _whole(r, 1, 60, "seats")),
            "status": take("status", lambda r: _enum(VehicleStatus, r), VehicleStatus.AVAILABLE),
            "url": take("url", _url),
            "image_url": take("image_url", _url),
            "description": take("description", str),
        }
        stock = values["stock_number"]
        if isinstance(stock, str):
            if stock in seen:
                row_errors.append(
                    RowError(line, "stock_number",
                             f"duplicate stock number {stock!r} (also on line {seen[stock]})")
                )  # fmt: skip
            else:
                seen[stock] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(VehicleRow(**values))  # type: ignore[arg-type]
    if header is None:
        errors.append(RowError(1, None, "the file is empty; expected a header row and vehicles"))
    elif not rows and not errors:
        errors.append(RowError(2, None, "the file has a header but no vehicles"))
    if errors:
        raise CsvImportError(errors)
    return rows


class _Taker:
    """Read and convert one row's cells, collecting what is wrong."""

    def __init__(self, cells: dict[str, str], line: int, errors: list[RowError]) -> None:
        self.cells = cells
        self.line = line
        self.errors = errors

    def __call__(
        self, column: str, convert: Callable[[str], object], default: object = None
    ) -> object:
        raw = self.cells.get(column, "")
        if raw == "":
            if column in REQUIRED_COLUMNS:
                self.errors.append(RowError(self.line, column, "required, but empty"))
            return default
        try:
            return convert(raw)
        except ValueError as exc:
            self.errors.append(RowError(self.line, column, str(exc)))
            return default


def _currency(raw: str) -> str:
    value = raw.upper()
    if value not in ("DOP", "USD"):
        raise ValueError(f"expected DOP or USD, got {raw!r}")
    return value


def write_inventory_csv(rows: Iterable[VehicleRow]) -> str:
    """Write rows as a CSV file with a header (the format parse_inventory_csv reads)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            "" if getattr(row, c) is None else str(getattr(row, c)) for c in CSV_COLUMNS
        )
    return out.getvalue()

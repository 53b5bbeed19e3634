"""Leads as spreadsheets and dealer CRMs read them: CSV safe from formulas, ADF that parses."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from okla.chatbot.leads.domain import Lead, LeadInterest, LeadStatus, LeadVehicle, LeadView
from okla.chatbot.leads.export import CSV_COLUMNS, safe_cell, to_adf, to_csv, webhook_data

AT = datetime(2026, 11, 30, 13, 24, 24, tzinfo=UTC)
RAV4 = LeadVehicle(
    id="v1",
    stock_number="ADP-0042",
    year=2022,
    make="Toyota",
    model="RAV4",
    trim="XLE",
    price=2_450_000,
    currency="DOP",
    mileage_km=28_000,
    url="https://example.com/rav4",
)


def view(
    name: str = "Juan Pérez",
    notes: str | None = None,
    vehicle: LeadVehicle | None = RAV4,
    interest: LeadInterest = LeadInterest.PRICE,
    email: str | None = "juan@gmail.com",
) -> LeadView:
    lead = Lead(
        id="lead-1",
        dealer_id="d1",
        session_id="s1",
        name=name,
        phone_e164="+18095551234",
        email=email,
        vehicle_id=None if vehicle is None else vehicle.id,
        interest=interest,
        status=LeadStatus.NEW,
        notes=notes,
        consent="Si me dejas tu nombre y tu teléfono, un asesor de ADP te contacta.",
        created_at=AT,
        updated_at=AT,
    )
    return LeadView(
        lead, "auto-dominicana-premium", "Auto Dominicana Premium", "809-555-0100", vehicle
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+18095551234", "'+18095551234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Juan Pérez", "Juan Pérez"),
        ("a=b", "a=b"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_quoted(value: str, cell: str) -> None:
    assert safe_cell(value) == cell


def test_the_csv_has_a_header_and_one_safe_row_per_lead() -> None:
    text = to_csv([view(name="=cmd|' /C calc'!A0", notes="@risky"), view(vehicle=None)])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["name"] == "'=cmd|' /C calc'!A0"
    assert first["notes"] == "'@risky"
    assert first["phone"] == "'+18095551234"
    assert first["vehicle"] == "Toyota RAV4 2022" and first["price"] == "2450000"
    second = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert second["vehicle"] == "" and second["stockNumber"] == ""
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_adf_parses_and_has_the_elements_crms_require() -> None:
    text = to_adf([view(), view(vehicle=None, interest=LeadInterest.TEST_DRIVE, email=None)])
    assert text.startswith('<?xml version="1.0"?>\n<?adf version="1.0"?>\n')
    root = ET.fromstring(text.encode())
    assert root.tag == "adf"
    prospects = root.findall("prospect")
    assert len(prospects) == 2
    for prospect in prospects:
        for path in (
            "requestdate",
            "vehicle/year",
            "vehicle/make",
            "vehicle/model",
            "customer/contact/name",
            "customer/contact/phone",
            "vendor/vendorname",
        ):
            assert prospect.find(path) is not None, path
    first, second = prospects
    assert first.findtext("requestdate") == "2026-11-30T13:24:24+00:00"
    vehicle = first.find("vehicle")
    assert vehicle is not None
    assert vehicle.attrib == {"interest": "buy", "status": "used"}
    assert (vehicle.findtext("year"), vehicle.findtext("make"), vehicle.findtext("model")) == (
        "2022",
        "Toyota",
        "RAV4",
    )
    price = vehicle.find("price")
    assert price is not None and price.text == "2450000" and price.get("currency") == "DOP"
    name = first.find("customer/contact/name")
    assert name is not None and name.text == "Juan Pérez" and name.get("part") == "full"
    assert first.findtext("customer/contact/phone") == "+18095551234"
    assert first.findtext("customer/contact/email") == "juan@gmail.com"
    assert first.findtext("vendor/vendorname") == "Auto Dominicana Premium"
    assert first.findtext("vendor/contact/phone") == "809-555-0100"
    # A lead about no vehicle in particular: the required elements, empty.
    assert second.find("vehicle") is not None
    assert second.find("vehicle").get("interest") == "test-drive"  # type: ignore[union-attr]
    assert second.findtext("vehicle/make") == ""
    assert second.find("customer/contact/email") is None


def test_adf_escapes_markup_and_drops_what_xml_cannot_hold() -> None:
    hostile = 'Ana <b>"&amp;</b> \x01\x0b</name><inject/>'
    text = to_adf([view(name=hostile, notes="]]> <!-- & -->")])
    root = ET.fromstring(text.encode())
    assert root.findtext("prospect/customer/contact/name") == 'Ana <b>"&amp;</b> </name><inject/>'
    assert root.find(".//inject") is None
    comments = root.findtext("prospect/customer/comments")
    assert comments is not None and "]]> <!-- & -->" in comments


def test_an_empty_export_is_still_a_document() -> None:
    assert ET.fromstring(to_adf([]).encode()).tag == "adf"
    assert list(csv.reader(io.StringIO(to_csv([]).removeprefix("\ufeff")))) == [list(CSV_COLUMNS)]


def test_the_webhook_data_carries_the_lead_and_its_vehicle() -> None:
    data = webhook_data(view())["lead"]
    assert data["id"] == "lead-1" and data["phone"] == "+18095551234"
    assert data["status"] == "New" and data["interest"] == "Price"
    assert data["vehicle"]["stockNumber"] == "ADP-0042"
    assert data["createdAt"] == "2026-11-30T13:24:24+00:00"
    assert webhook_data(view(vehicle=None))["lead"]["vehicle"] is None

"""Leads as other systems read them: the webhook's data, CSV for spreadsheets, ADF for CRMs."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from okla.chatbot.leads.domain import LeadInterest, LeadVehicle, LeadView

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "createdAt",
    "updatedAt",
    "dealer",
    "status",
    "interest",
    "name",
    "phone",
    "email",
    "vehicle",
    "stockNumber",
    "price",
    "currency",
    "notes",
    "sessionId",
    "consent",
)
# ADF's vehicle interest for each of ours (the customer's own car is not known to us).
_ADF_INTEREST = {LeadInterest.TEST_DRIVE: "test-drive"}
# Characters XML 1.0 can't hold, even escaped (controls other than tab and line breaks).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PROVIDER = "OKLA Chat"


def webhook_data(view: LeadView) -> dict[str, Any]:
    """Return the `data` of a lead event sent to the dealer's webhook."""
    lead = view.lead
    return {
        "lead": {
            "id": lead.id,
            "status": lead.status.value,
            "interest": lead.interest.value,
            "name": lead.name,
            "phone": lead.phone_e164,
            "email": lead.email,
            "notes": lead.notes,
            "consent": lead.consent,
            "sessionId": lead.session_id,
            "vehicle": None if view.vehicle is None else _vehicle_json(view.vehicle),
            "createdAt": lead.created_at.isoformat(),
            "updatedAt": lead.updated_at.isoformat(),
        }
    }


def _vehicle_json(vehicle: LeadVehicle) -> dict[str, Any]:
    return {
        "id": vehicle.id,
        "stockNumber": vehicle.stock_number,
        "year": vehicle.year,
        "make": vehicle.make,
        "model": vehicle.model,
        "trim": vehicle.trim,
        "price": vehicle.price,
        "currency": vehicle.currency,
        "url": vehicle.url,
    }


def vehicle_name(vehicle: LeadVehicle) -> str:
    """Name a vehicle the way a salesperson reads it: "Toyota RAV4 2022"."""
    return f"{vehicle.make} {vehicle.model} {vehicle.year}"


def to_csv(views: Iterable[LeadView]) -> str:
    """Write leads as CSV (UTF-8 with a BOM, for spreadsheets), safe from formula injection."""
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read the accents of names as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for view in views:
        writer.writerow([safe_cell(value) for value in _csv_row(view)])
    return out.getvalue()


def _csv_row(view: LeadView) -> Sequence[object]:
    lead, vehicle = view.lead, view.vehicle
    return (
        lead.id,
        lead.created_at.isoformat(),
        lead.updated_at.isoformat(),
        view.dealer_slug,
        lead.status.value,
        lead.interest.value,
        lead.name,
        lead.phone_e164,
        lead.email or "",
        "" if vehicle is None else vehicle_name(vehicle),
        "" if vehicle is None else vehicle.stock_number,
        "" if vehicle is None else vehicle.price,
        "" if vehicle is None else vehicle.currency,
        lead.notes or "",
        lead.session_id or "",
        lead.consent,
    )


def safe_cell(value: object) -> str:
    """Return a cell's text; one a spreadsheet would run as a formula gets a leading quote."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def to_adf(views: Iterable[LeadView]) -> str:
    """Write leads as ADF 1.0 (Auto-lead Data Format), the XML dealer CRMs ingest."""
    root = ET.Element("adf")
    for view in views:
        root.append(_prospect(view))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0"?>\n<?adf version="1.0"?>\n{body}\n'


def _prospect(view: LeadView) -> ET.Element:
    lead = view.lead
    prospect = ET.Element("prospect")
    _child(prospect, "id", lead.id, sequence="1", source=_PROVIDER)
    _child(prospect, "requestdate", lead.updated_at.isoformat())
    prospect.append(_vehicle(view))
    customer = ET.SubElement(prospect, "customer")
    contact = ET.SubElement(customer, "contact")
    _child(contact, "name", lead.name, part="full")
    _child(contact, "phone", lead.phone_e164, type="voice")
    if lead.email:
        _child(contact, "email", lead.email)
    _child(customer, "comments", _comments(view))
    vendor = ET.SubElement(prospect, "vendor")
    _child(vendor, "vendorname", view.dealer_name)
    vendor_contact = ET.SubElement(vendor, "contact")
    _child(vendor_contact, "name", view.dealer_name, part="full")
    if view.dealer_phone:
        _child(vendor_contact, "phone", view.dealer_phone, type="voice")
    provider = ET.SubElement(prospect, "provider")
    _child(provider, "name", _PROVIDER, part="full")
    return prospect


def _vehicle(view: LeadView) -> ET.Element:
    vehicle = view.vehicle
    interest = _ADF_INTEREST.get(view.lead.interest, "buy")
    used = vehicle is None or vehicle.mileage_km > 0
    element = ET.Element("vehicle", interest=interest, status="used" if used else "new")
    # ADF requires year, make and model; a lead about no vehicle in particular leaves them empty.
    _child(element, "year", "" if vehicle is None else str(vehicle.year))
    _child(element, "make", "" if vehicle is None else vehicle.make)
    _child(element, "model", "" if vehicle is None else vehicle.model)
    if vehicle is not None:
        if vehicle.trim:
            _child(element, "trim", vehicle.trim)
        _child(element, "stock", vehicle.stock_number)
        _child(element, "price", str(vehicle.price), type="asking", currency=vehicle.currency)
    return element


def _comments(view: LeadView) -> str:
    lead = view.lead
    parts = [f"Interest: {lead.interest.value}", f"Status: {lead.status.value}"]
    if lead.notes:
        parts.append(f"Notes: {lead.notes}")
    parts.append(f"Consent shown: {lead.consent}")
    return "\n".join(parts)


def _child(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _xml_text(v) for k, v in attributes.items()})
    element.text = _xml_text(text)
    return element


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)

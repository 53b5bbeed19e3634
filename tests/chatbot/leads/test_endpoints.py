"""The staff's lead routes over HTTP, on SQLite and PostgreSQL: scoped, filtered, exported."""

from __future__ import annotations

import asyncio
import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from okla.chatbot.auth import Role
from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.leads.domain import LeadInterest
from okla.chatbot.leads.service import LeadService
from tests.utils.chat import chat_settings, serve_chatbot
from tests.utils.desk import ADP, MDC, database_url, dealer_id
from tests.utils.staff import StaffLogins, mint

LEADS = "/api/chatbot/leads"


@dataclass(frozen=True)
class Staff:
    """A running chatbot with leads of two dealers, and its signed-in staff."""

    url: str
    adp_lead: str
    mdc_lead: str
    logins: StaffLogins

    def bearer(self, role: Role = Role.MANAGER, dealer: str | None = ADP) -> dict[str, str]:
        """Return the headers of a signed-in staff member (a manager of ADP unless told)."""
        return self.logins(role, dealer)

    def get(
        self, path: str, *, headers: dict[str, str] | None = None, **params: str
    ) -> httpx.Response:
        return httpx.get(
            f"{self.url}{path}",
            params=params,
            headers=self.bearer() if headers is None else headers,
        )

    def query(self, path: str, params: dict[str, str]) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", params=params, headers=self.bearer())

    def patch(self, lead: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        return httpx.patch(
            f"{self.url}{LEADS}/{lead}",
            json=body,
            headers=self.bearer() if headers is None else headers,
        )


async def _seed(url: str) -> tuple[str, str]:
    engine = create_engine(url)
    service = LeadService(session_factory(engine))
    try:
        sessions = service.sessions
        consent = "Si me dejas tu nombre y tu teléfono..."
        adp = await service.capture(
            await dealer_id(sessions, ADP),
            None,
            '=HYPERLINK("http://evil.example","x")',
            "8095551234",
            None,
            None,
            LeadInterest.PRICE,
            consent,
        )
        mdc = await service.capture(
            await dealer_id(sessions, MDC),
            None,
            "Carlos <Cibao> & Co",
            "8295551234",
            "carlos@example.com",
            None,
            LeadInterest.FINANCING,
            consent,
        )
        return adp.id, mdc.id
    finally:
        await engine.dispose()


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)],
)
def staff(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Staff]:
    tmp = tmp_path_factory.mktemp("staff")
    with database_url(request.param, tmp) as url:
        settings = chat_settings(Path(tmp), "http://127.0.0.1:9/v1", url, outbox_worker=False)
        with serve_chatbot(settings) as base:
            adp, mdc = asyncio.run(_seed(url))
            yield Staff(base, adp, mdc, StaffLogins(settings))


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    found: dict[str, Any] = response.json()["error"]
    return found


def test_staff_see_their_own_dealer_s_leads(staff: Staff) -> None:
    mine = staff.get(LEADS)
    assert mine.status_code == 200
    assert [lead["id"] for lead in mine.json()] == [staff.adp_lead]
    lead = mine.json()[0]
    assert lead["dealer"] == ADP and lead["phone"] == "+18095551234"
    assert lead["interest"] == "Price" and lead["status"] == "New"
    agent = staff.get(LEADS, headers=staff.bearer(Role.AGENT, MDC))
    assert [lead["id"] for lead in agent.json()] == [staff.mdc_lead]


def test_another_dealer_is_not_found_and_an_operator_sees_all(staff: Staff) -> None:
    assert error(staff.get(LEADS, dealer=MDC), 404)["code"] == "not_found"
    operator = staff.bearer(Role.ADMIN, None)
    every = {lead["id"] for lead in staff.get(LEADS, headers=operator).json()}
    assert every == {staff.adp_lead, staff.mdc_lead}
    theirs = staff.get(LEADS, headers=operator, dealer=MDC).json()
    assert [lead["id"] for lead in theirs] == [staff.mdc_lead]
    assert error(staff.get(LEADS, headers=operator, dealer="nadie"), 404)["field"] == "dealer"


def test_a_request_without_a_valid_token_is_refused(staff: Staff) -> None:
    assert staff.get(LEADS, headers={}).status_code == 401
    assert staff.get(LEADS, headers={"Authorization": "Bearer nope"}).status_code == 401
    no_login = {"Authorization": f"Bearer {mint(role='manager', dealer=ADP)}"}
    assert staff.get(LEADS, headers=no_login).status_code == 401
    customer = {"Authorization": f"Bearer {mint(role='customer', dealer=ADP)}"}
    assert staff.get(LEADS, headers=customer).status_code == 403


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"status": "Bogus"}, "status", "New"),
        ({"status": "new"}, "status", "Contacted"),
        ({"since": "yesterday"}, "since", "datetime"),
        ({"since": "2026-13-45"}, "since", "datetime"),
        ({"limit": "0"}, "limit", "greater than"),
        ({"dealer": "x" * 101}, "dealer", "100"),
    ],
)
def test_bad_filters_get_422_naming_the_field(
    staff: Staff, params: dict[str, str], field: str, says: str
) -> None:
    for path in (LEADS, f"{LEADS}.csv", f"{LEADS}.adf"):
        found = error(staff.query(path, params), 422)
        assert found["field"] == field
        assert says in found["message"]


def test_filters_by_status_and_since(staff: Staff) -> None:
    assert [lead["id"] for lead in staff.get(LEADS, status="New").json()] == [staff.adp_lead]
    assert staff.get(LEADS, status="Won").json() == []
    assert len(staff.get(LEADS, since="2000-01-01T00:00:00Z").json()) == 1
    assert staff.get(LEADS, since="2999-01-01T00:00:00-04:00").json() == []


def test_the_csv_export_is_safe_for_spreadsheets(staff: Staff) -> None:
    response = staff.get(f"{LEADS}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))
    assert [row["id"] for row in rows] == [staff.adp_lead]
    assert rows[0]["name"].startswith("'=HYPERLINK")
    assert rows[0]["phone"] == "'+18095551234"


def test_the_adf_export_parses_as_xml(staff: Staff) -> None:
    response = staff.get(f"{LEADS}.adf", headers=staff.bearer(Role.MANAGER, MDC))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    [prospect] = root.findall("prospect")
    assert prospect.findtext("customer/contact/name") == "Carlos <Cibao> & Co"
    assert prospect.findtext("customer/contact/email") == "carlos@example.com"
    assert prospect.findtext("vendor/vendorname") == "Motores del Cibao"


def test_a_lead_s_status_and_notes_are_changed(staff: Staff) -> None:
    changed = staff.patch(staff.adp_lead, {"status": "Contacted", "notes": "Llamar el lunes"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["status"], body["notes"]) == ("Contacted", "Llamar el lunes")
    notes_only = staff.patch(staff.adp_lead, {"notes": ""}).json()
    assert (notes_only["status"], notes_only["notes"]) == ("Contacted", None)
    listed = staff.get(LEADS, status="Contacted").json()
    assert [lead["id"] for lead in listed] == [staff.adp_lead]
    outbox = staff.get("/api/chatbot/outbox").json()
    assert [event["type"] for event in outbox].count("lead.updated") >= 2


def test_another_dealer_s_lead_cannot_be_changed(staff: Staff) -> None:
    assert error(staff.patch(staff.mdc_lead, {"status": "Lost"}), 404)["code"] == "not_found"
    assert error(staff.patch("no-such-lead", {"status": "Lost"}), 404)["field"] == "id"
    theirs = staff.get(LEADS, headers=staff.bearer(Role.MANAGER, MDC)).json()
    assert theirs[0]["status"] == "New"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "Sold"}, "status"),
        ({"status": None}, "status"),
        ({"stage": "Won"}, "stage"),
        ({"notes": "x" * 2001}, "notes"),
        ({}, "body"),
        ([], "body"),
    ],
)
def test_a_bad_change_gets_422_naming_the_field(staff: Staff, body: Any, field: str) -> None:
    found = error(staff.patch(staff.adp_lead, body), 422)
    assert found["field"] == field
    assert field in found["message"]

"""The booking routes in-process: 201, 409 with alternatives, 422 by field, 404 scoping."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from icalendar import Calendar
from sqlalchemy import select

from okla.chatbot.app import create_app
from okla.chatbot.auth import Role
from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.repository import apply_profile
from okla.chatbot.inventory.domain import VehicleStatus
from okla.chatbot.models import Dealer, Vehicle
from tests.utils.bookings import SANTO_DOMINGO
from tests.utils.pipeline import unit_settings
from tests.utils.staff import StaffLogins

pytestmark = pytest.mark.integration

ADP, MDC = "auto-dominicana-premium", "motores-del-cibao"
HOURS = [{"opens": "08:00", "closes": "18:00"}]
EVERY_DAY = DealerProfile.model_validate(
    {
        "address": "Av. Winston Churchill 1099",
        "city": "Santo Domingo",
        "hours": {d: HOURS for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "testDrives": {"slotMinutes": 60, "capacity": 2},
    }
)


async def _open_every_day(url: str) -> dict[str, list[tuple[str, VehicleStatus]]]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as db:
            stock: dict[str, list[tuple[str, VehicleStatus]]] = {}
            for dealer in await db.scalars(select(Dealer)):
                apply_profile(dealer, EVERY_DAY)
                vehicles = await db.scalars(
                    select(Vehicle)
                    .where(Vehicle.dealer_id == dealer.id)
                    .order_by(Vehicle.stock_number)
                )
                stock[dealer.slug] = [(v.id, v.status) for v in vehicles]
            await db.commit()
            return stock
    finally:
        await engine.dispose()


class Api:
    """The client and what the tests need to know of the demo dealers."""

    def __init__(
        self,
        client: TestClient,
        stock: dict[str, list[tuple[str, VehicleStatus]]],
        logins: StaffLogins,
    ):
        self.client = client
        self.stock = stock
        self.staff = logins
        self.day = datetime.now(SANTO_DOMINGO).date() + timedelta(days=2)

    def at(self, hour: int, day: date | None = None) -> datetime:
        return datetime.combine(day or self.day, datetime.min.time(), SANTO_DOMINGO).replace(
            hour=hour
        )

    def vehicle(self, slug: str = ADP, status: VehicleStatus = VehicleStatus.AVAILABLE) -> str:
        return next(i for i, s in self.stock[slug] if s == status)

    def start(self, dealer: str = ADP) -> str:
        response = self.client.post("/api/chat/start", json={"dealerId": dealer})
        assert response.status_code == 201
        token: str = response.json()["sessionToken"]
        return token

    def book(self, token: str, start: datetime | str, **fields: Any) -> Response:
        body = {
            "sessionToken": token,
            "start": start.isoformat() if isinstance(start, datetime) else start,
            "name": "María Pérez",
            "phone": "809-555-1234",
        } | fields
        return self.client.post("/api/chat/appointments", json=body)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('api') / 'chat.db'}"
    settings = unit_settings(database_url=url)
    with TestClient(create_app(settings, demo_data=True)) as client:
        yield Api(client, asyncio.run(_open_every_day(url)), StaffLogins(settings))


def error(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    return body


def test_a_booking_answers_its_slot_and_a_calendar_link(api: Api) -> None:
    token = api.start()
    bronco = api.vehicle()
    response = api.book(token, api.at(10), vehicleId=bronco)
    assert response.status_code == 201, response.text
    booked = response.json()
    assert datetime.fromisoformat(booked["start"]) == api.at(10)
    assert booked["start"].endswith("-04:00")
    assert datetime.fromisoformat(booked["end"]) == api.at(11)
    assert booked["startText"].endswith("10:00 a. m.")
    assert booked["status"] == "Booked"
    assert booked["dealer"]["slug"] == ADP
    assert booked["vehicle"]["id"] == bronco
    ics = api.client.get(booked["icsUrl"])
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("DTSTART") == api.at(10).astimezone(UTC)
    assert str(event["STATUS"]) == "CONFIRMED"
    appointment = booked["appointmentId"]
    for link in (
        f"/api/chat/appointments/{appointment}.ics?token=wrong",
        f"/api/chat/appointments/unknown.ics?token={booked['icsUrl'].split('=')[1]}",
    ):
        assert error(api.client.get(link), 404)["code"] == "not_found"
    assert error(api.client.get(f"/api/chat/appointments/{appointment}.ics"), 422)["field"] == (
        "token"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "no tengo"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"start": "2026-12-05T10:00:00"}, "start"),  # no offset
        ({"start": "el sábado"}, "start"),
        ({"start": None}, "start"),
        ({"vehicleId": "no-such-vehicle"}, "vehicleId"),
        ({"vehicleId": "x" * 37}, "vehicleId"),
        ({"sessionToken": ""}, "sessionToken"),
        ({"sessionId": "abc"}, "sessionId"),
    ],
)
def test_bad_fields_are_refused_by_name(api: Api, change: dict[str, Any], field: str) -> None:
    token = api.start()
    body = {"start": api.at(10).isoformat()} | change
    response = api.book(token, **body)
    assert error(response, 422)["field"] == field


def test_another_dealers_or_a_sold_vehicle_is_refused(api: Api) -> None:
    token = api.start()
    for vehicle, text in (
        (api.vehicle(MDC), "no vehicle"),
        (api.vehicle(status=VehicleStatus.SOLD), "sold"),
    ):
        found = error(api.book(token, api.at(9), vehicleId=vehicle), 422)
        assert found["field"] == "vehicleId" and text in found["message"]


def test_an_unknown_or_ended_session_books_nothing(api: Api) -> None:
    assert error(api.book("no-such-token", api.at(9)), 404)["field"] == "sessionToken"
    token = api.start()
    assert api.client.post("/api/chat/end", json={"sessionToken": token}).status_code == 200
    assert error(api.book(token, api.at(9)), 404)["code"] == "session_not_found"


def test_a_full_or_closed_slot_is_a_409_with_the_next_free_starts(api: Api) -> None:
    day = api.day + timedelta(days=1)
    for _ in range(2):
        assert api.book(api.start(), api.at(14, day)).status_code == 201
    full = error(api.book(api.start(), api.at(14, day)), 409)
    assert full["code"] == "slot_unavailable" and full["reason"] == "Full"
    assert full["field"] == "start"
    assert [datetime.fromisoformat(a) for a in full["alternatives"]] == [
        api.at(15, day), api.at(16, day), api.at(17, day),
    ]  # fmt: skip
    assert all(a.endswith("-04:00") for a in full["alternatives"])
    closed = error(api.book(api.start(), api.at(20, day)), 409)
    assert closed["reason"] == "Closed"
    assert datetime.fromisoformat(closed["alternatives"][0]) == api.at(8, day + timedelta(days=1))
    past = error(api.book(api.start(), "2020-01-06T10:00:00-04:00"), 409)
    assert past["reason"] == "Past" and len(past["alternatives"]) == 3
    odd = error(api.book(api.start(), api.at(10, day).replace(minute=30)), 409)
    assert odd["reason"] == "Misaligned"


def test_the_same_vehicle_twice_is_a_409_naming_the_vehicle(api: Api) -> None:
    day = api.day + timedelta(days=2)
    vehicle = api.stock[ADP][2][0]
    assert api.book(api.start(), api.at(9, day), vehicleId=vehicle).status_code == 201
    taken = error(api.book(api.start(), api.at(9, day), vehicleId=vehicle), 409)
    assert taken["reason"] == "VehicleTaken" and taken["field"] == "vehicleId"


def test_only_the_booking_session_cancels(api: Api) -> None:
    token = api.start()
    booked = api.book(token, api.at(12)).json()
    link = f"/api/chat/appointments/{booked['appointmentId']}/cancel"
    stranger = api.start()
    assert error(api.client.post(link, json={"sessionToken": stranger}), 404)["code"] == (
        "appointment_not_found"
    )
    assert error(api.client.post(link, json={"sessionToken": "nope"}), 404)["code"] == (
        "session_not_found"
    )
    assert error(api.client.post(link, json={}), 422)["field"] == "sessionToken"
    cancelled = api.client.post(link, json={"sessionToken": token})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "Cancelled" and cancelled.json()["icsUrl"] is None
    assert b"STATUS:CANCELLED" in api.client.get(booked["icsUrl"]).content
    unknown = "/api/chat/appointments/nope/cancel"
    assert api.client.post(unknown, json={"sessionToken": token}).status_code == 404


def test_staff_see_their_own_dealers_bookings_only(api: Api) -> None:
    day = api.day + timedelta(days=3)
    ours = api.book(api.start(ADP), api.at(11, day)).json()["appointmentId"]
    theirs = api.book(api.start(MDC), api.at(11, day)).json()["appointmentId"]
    window = {"from": api.at(0, day).isoformat(), "to": api.at(23, day).isoformat()}
    listing = "/api/chatbot/appointments"

    def ids(role: Role, dealer: str | None) -> set[str]:
        response = api.client.get(listing, params=window, headers=api.staff(role, dealer))
        assert response.status_code == 200, response.text
        return {a["appointmentId"] for a in response.json()}

    assert ids(Role.MANAGER, ADP) == {ours}
    assert ids(Role.AGENT, MDC) == {theirs}
    assert ids(Role.ADMIN, None) == {ours, theirs}
    response = api.client.get(listing, params=window, headers=api.staff(Role.ADMIN, ADP))
    [row] = response.json()
    assert row["dealer"] == ADP and row["phone"] == "+18095551234" and row["status"] == "Booked"
    other = api.client.get(
        listing, params=window | {"dealer": MDC}, headers=api.staff(Role.MANAGER, ADP)
    )
    assert error(other, 404)["code"] == "not_found"
    assert api.client.get(listing, params=window).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "mañana"}, "from"),
        ({"from": "2026-12-01T00:00:00"}, "from"),  # no offset
        ({"to": "2026-13-01T00:00:00Z"}, "to"),
        ({"from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}, "to"),
        ({"from": "2026-01-01T00:00:00Z", "to": "2028-01-01T00:00:00Z"}, "to"),
    ],
)
def test_a_bad_listing_window_is_refused_by_name(
    api: Api, params: dict[str, str], field: str
) -> None:
    response = api.client.get(
        "/api/chatbot/appointments", params=params, headers=api.staff(Role.ADMIN, None)
    )
    assert error(response, 422)["field"] == field

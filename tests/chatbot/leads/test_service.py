"""Capturing leads: one per dealer and phone, its webhook event in the same transaction."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.errors import NotFoundError, UnprocessableError
from okla.chatbot.leads.domain import Lead, LeadInterest, LeadStatus
from okla.chatbot.leads.schemas import LeadPatch
from okla.chatbot.leads.service import LeadService
from okla.chatbot.models import Lead as LeadRow
from okla.chatbot.models import OutboxEvent, Vehicle
from okla.chatbot.outbox.domain import DeliveryState, EventKind
from tests.utils.desk import ADP, MDC, dealer_id

CONSENT = "Si me dejas tu nombre y tu teléfono, un asesor te contacta."
_numbers = itertools.count(1000)


def new_phone() -> str:
    """A Dominican number no other test of the module uses."""
    return f"+1809555{next(_numbers):04d}"


async def vehicle_of(sessions: async_sessionmaker[AsyncSession], dealer: str, model: str) -> str:
    async with sessions() as db:
        found = await db.scalar(
            select(Vehicle.id).where(Vehicle.dealer_id == dealer, Vehicle.model == model)
        )
    assert found is not None
    return found


async def events_of(sessions: async_sessionmaker[AsyncSession], lead_id: str) -> list[EventKind]:
    async with sessions() as db:
        events = (await db.scalars(select(OutboxEvent).order_by(OutboxEvent.created_at))).all()
    return [e.kind for e in events if e.payload["lead"]["id"] == lead_id]


async def capture(service: LeadService, dealer: str, phone: str, **changes: object) -> Lead:
    values: dict[str, object] = {
        "session_id": None,
        "name": "Juan Pérez",
        "email": None,
        "vehicle_id": None,
        "interest": LeadInterest.CALLBACK,
        "consent": CONSENT,
    } | changes
    return await service.capture(dealer_id=dealer, phone_e164=phone, **values)  # type: ignore[arg-type]


async def test_a_new_customer_makes_a_lead_and_its_created_event(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    adp = await dealer_id(desk, ADP)
    rav4 = await vehicle_of(desk, adp, "RAV4")
    phone = new_phone()
    lead = await capture(
        service, adp, phone, vehicle_id=rav4, interest=LeadInterest.PRICE, email="Ana@Gmail.com"
    )
    assert lead.created and lead.status == LeadStatus.NEW
    assert (lead.phone_e164, lead.email, lead.vehicle_id) == (phone, "Ana@gmail.com", rav4)
    assert lead.consent == CONSENT
    assert await events_of(desk, lead.id) == [EventKind.LEAD_CREATED]
    async with desk() as db:
        event = (await db.scalars(select(OutboxEvent))).all()[-1]
    assert event.state == DeliveryState.PENDING
    data = event.payload["lead"]
    assert data["phone"] == phone and data["interest"] == "Price"
    assert data["vehicle"]["model"] == "RAV4" and data["vehicle"]["price"] == 2_450_000


async def test_a_returning_customer_updates_their_lead(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    adp = await dealer_id(desk, ADP)
    rav4 = await vehicle_of(desk, adp, "RAV4")
    phone = new_phone()
    first = await capture(service, adp, phone, email="juan@gmail.com", vehicle_id=rav4)
    await service.update(None, first.id, LeadPatch(status=LeadStatus.CONTACTED))
    # The same phone as the customer writes it, another name, no email, no vehicle this time.
    local = f"{phone[2:5]}-{phone[5:8]}-{phone[8:]}"
    again = await capture(
        service, adp, local, name="Juan Manuel Pérez", interest=LeadInterest.FINANCING
    )
    assert again.id == first.id and not again.created
    assert again.name == "Juan Manuel Pérez"
    assert again.interest == LeadInterest.FINANCING
    assert again.email == "juan@gmail.com"  # kept: not given again
    assert again.vehicle_id == rav4  # kept: no vehicle in focus this time
    assert again.status == LeadStatus.CONTACTED  # an open lead keeps its status
    assert again.updated_at > first.updated_at
    assert await events_of(desk, first.id) == [
        EventKind.LEAD_CREATED,
        EventKind.LEAD_UPDATED,  # the status change
        EventKind.LEAD_UPDATED,
    ]


@pytest.mark.parametrize("closed", [LeadStatus.WON, LeadStatus.LOST])
async def test_a_closed_lead_opens_again_when_the_customer_comes_back(
    desk: async_sessionmaker[AsyncSession], closed: LeadStatus
) -> None:
    service = LeadService(desk)
    adp = await dealer_id(desk, ADP)
    phone = new_phone()
    first = await capture(service, adp, phone)
    await service.update(None, first.id, LeadPatch(status=closed, notes="compró la Hilux"))
    again = await capture(service, adp, phone, interest=LeadInterest.TRADE_IN)
    assert again.id == first.id
    assert again.status == LeadStatus.NEW
    assert again.notes == "compró la Hilux"  # the salesperson's notes stay


async def test_each_dealer_has_its_own_lead_for_a_phone(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    phone = new_phone()
    one = await capture(service, await dealer_id(desk, ADP), phone)
    other = await capture(service, await dealer_id(desk, MDC), phone)
    assert one.id != other.id and one.created and other.created


async def test_another_dealer_s_vehicle_is_not_attached(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    mdc = await dealer_id(desk, MDC)
    async with desk() as db:
        theirs = await db.scalar(select(Vehicle.id).where(Vehicle.dealer_id == mdc).limit(1))
    lead = await capture(service, await dealer_id(desk, ADP), new_phone(), vehicle_id=theirs)
    assert lead.vehicle_id is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "809-555-12"}, "phone"),
        ({"phone": "555-1234"}, "phone"),
        ({"name": "   "}, "name"),
        ({"email": "juan@@gmail.com"}, "email"),
        ({"consent": " "}, "consent"),
    ],
)
async def test_bad_contact_details_are_refused_naming_the_field(
    desk: async_sessionmaker[AsyncSession], changes: dict[str, str], field: str
) -> None:
    changes = dict(changes)
    phone = changes.pop("phone", new_phone())
    with pytest.raises(UnprocessableError) as caught:
        await capture(LeadService(desk), await dealer_id(desk, ADP), phone, **changes)
    assert caught.value.field == field


async def test_an_unknown_dealer_is_not_found(desk: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(NotFoundError):
        await capture(LeadService(desk), "no-such-dealer", new_phone())
    with pytest.raises(NotFoundError):
        await LeadService(desk).listing("no-such-dealer")


async def test_a_capture_rolled_back_leaves_neither_lead_nor_event(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    adp = await dealer_id(desk, ADP)
    phone = new_phone()
    async with desk() as db:
        count = len((await db.scalars(select(OutboxEvent.id))).all())
        lead = await service.capture_in(
            db, adp, None, "Ana", phone, None, None, LeadInterest.CALLBACK, CONSENT
        )
        await db.rollback()  # e.g. the booking it belonged to failed
    async with desk() as db:
        assert await db.get(LeadRow, lead.id) is None
        assert len((await db.scalars(select(OutboxEvent.id))).all()) == count


async def test_customers_racing_with_one_phone_make_one_lead(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    adp = await dealer_id(desk, ADP)
    phone = new_phone()
    leads = await asyncio.gather(
        *(capture(service, adp, phone, name=f"Cliente {i}") for i in range(4))
    )
    assert len({lead.id for lead in leads}) == 1
    assert sum(lead.created for lead in leads) == 1
    async with desk() as db:
        rows = (await db.scalars(select(LeadRow).where(LeadRow.phone_e164 == phone))).all()
    assert len(rows) == 1
    kinds = await events_of(desk, rows[0].id)
    assert sorted(kinds) == sorted([EventKind.LEAD_CREATED] + [EventKind.LEAD_UPDATED] * 3)


async def test_listing_filters_by_status_and_time_newest_first(
    desk: async_sessionmaker[AsyncSession],
) -> None:
    service = LeadService(desk)
    mdc = await dealer_id(desk, MDC)
    first = await capture(service, mdc, new_phone(), name="Primera")
    second = await capture(service, mdc, new_phone(), name="Segunda")
    await service.update(MDC, first.id, LeadPatch(status=LeadStatus.LOST))
    listed = await service.listing(MDC)
    assert [v.lead.id for v in listed][:2] == [first.id, second.id]  # touched last, first
    lost = await service.listing(MDC, LeadStatus.LOST)
    assert first.id in {v.lead.id for v in lost} and second.id not in {v.lead.id for v in lost}
    later = await service.listing(MDC, since=second.updated_at)
    assert {v.lead.id for v in later} >= {first.id, second.id}
    assert all(v.lead.updated_at >= second.updated_at for v in later)
    assert all(v.dealer_slug == MDC for v in listed)

"""Booking rules, races and the outbox on real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from okla.chatbot.bookings.domain import AppointmentStatus, Booked, Refusal, Refused, Slot
from okla.chatbot.bookings.repository import minute_of
from okla.chatbot.bookings.service import BookingService, allocate
from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.errors import (
    AppointmentNotFoundError,
    ConflictError,
    NotFoundError,
    UnprocessableError,
)
from okla.chatbot.models import Appointment, AppointmentClaim, OutboxEvent
from okla.chatbot.outbox.domain import EventKind
from tests.utils.bookings import (
    SANTO_DOMINGO,
    Desk,
    booking_service,
    local,
    open_session,
    profile,
    seed_desk,
    set_profile,
)
from tests.utils.desk import ADP, dealer_id
from tests.utils.pipeline import pipeline
from tests.utils.services import fresh_postgres

pytestmark = pytest.mark.integration

PHONE = "+18095551234"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('bookings') / 'bookings.db'}"
    else:
        with fresh_postgres() as url:
            yield url


@pytest.fixture(scope="module")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
def service(sessions: async_sessionmaker[AsyncSession]) -> BookingService:
    return booking_service(sessions)


@pytest.fixture
async def desk(sessions: async_sessionmaker[AsyncSession]) -> Desk:
    return await seed_desk(sessions)


async def book(
    service: BookingService,
    desk: Desk,
    start: datetime,
    vehicle: str | None = None,
    session: str | None = None,
) -> Booked | Refused:
    return await service.book(desk.dealer_id, session, vehicle, start, "María Pérez", PHONE)


async def booked(service: BookingService, desk: Desk, start: datetime, **kw: str) -> Booked:
    outcome = await book(service, desk, start, **kw)
    assert isinstance(outcome, Booked), outcome
    return outcome


async def events(sessions: async_sessionmaker[AsyncSession], dealer_id: str) -> list[OutboxEvent]:
    async with sessions() as db:
        found = await db.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.dealer_id == dealer_id)
            .order_by(OutboxEvent.created_at)
        )
        return list(found.all())


async def busiest_minute(sessions: async_sessionmaker[AsyncSession], dealer_id: str) -> int:
    async with sessions() as db:
        counts = (
            select(func.count().label("n"))
            .where(AppointmentClaim.dealer_id == dealer_id)
            .group_by(AppointmentClaim.minute)
            .subquery()
        )
        return int(await db.scalar(select(func.coalesce(func.max(counts.c.n), 0))) or 0)


def starts(outcome: Booked | Refused) -> list[datetime]:
    assert isinstance(outcome, Refused)
    return list(outcome.alternatives)


async def test_a_booking_holds_its_slot_and_tells_the_dealer(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    session = await open_session(sessions, desk.dealer_id)
    bronco = desk.vehicles[1]
    outcome = await booked(service, desk, local(5, 10), vehicle=bronco, session=session)
    view = outcome.appointment
    assert (view.start, view.end) == (local(5, 10), local(5, 11))
    assert view.status == AppointmentStatus.BOOKED
    assert view.vehicle is not None and view.vehicle.label == "Ford Bronco Sport 2024"
    async with sessions() as db:
        stored = await db.get(Appointment, view.id)
        claims = await db.scalar(
            select(func.count()).where(AppointmentClaim.appointment_id == view.id)
        )
    assert stored is not None and stored.session_id == session
    assert stored.ics_token_hash != outcome.ics_token  # only the hash is kept
    assert claims == 60
    [event] = await events(sessions, desk.dealer_id)
    assert event.kind == EventKind.APPOINTMENT_BOOKED
    assert event.payload["appointmentId"] == view.id
    assert event.payload["start"] == "2026-12-05T10:00:00-04:00"
    assert event.payload["vehicle"]["model"] == "Bronco Sport"
    assert event.payload["phone"] == PHONE
    calendar = await service.calendar(view.id, outcome.ics_token)
    assert b"DTSTART:20261205T140000Z" in calendar
    assert await service.upcoming_of(session) == [view]


@pytest.mark.parametrize(
    ("start", "reason", "offered"),
    [
        (local(1, 19), Refusal.CLOSED, [local(2, 8), local(2, 9), local(2, 10)]),
        (local(6, 10), Refusal.CLOSED, [local(7, 8), local(7, 9), local(7, 10)]),  # Sunday
        (local(25, 10), Refusal.CLOSED, [local(26, 9), local(26, 10), local(26, 11)]),  # Navidad
        (local(1, 10, 30), Refusal.MISALIGNED, [local(1, 11), local(1, 12), local(1, 13)]),
        (
            local(30, 9, month=11),
            Refusal.PAST,
            [local(30, 16, month=11), local(30, 17, month=11), local(1, 8)],
        ),
    ],
)
async def test_the_dealers_hours_refuse_with_the_next_free_starts(
    service: BookingService,
    sessions: async_sessionmaker[AsyncSession],
    desk: Desk,
    start: datetime,
    reason: Refusal,
    offered: list[datetime],
) -> None:
    outcome = await book(service, desk, start)
    assert outcome == Refused(reason, tuple(offered))
    assert await events(sessions, desk.dealer_id) == []
    assert await busiest_minute(sessions, desk.dealer_id) == 0


async def test_a_full_slot_offers_the_next_three_free_ones(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    await booked(service, desk, local(1, 10))
    await booked(service, desk, local(1, 11))
    await booked(service, desk, local(1, 11))
    await booked(service, desk, local(1, 10))
    outcome = await book(service, desk, local(1, 10))
    assert outcome == Refused(Refusal.FULL, (local(1, 12), local(1, 13), local(1, 14)))
    assert await busiest_minute(sessions, desk.dealer_id) == 2
    assert len(await events(sessions, desk.dealer_id)) == 4


async def test_a_vehicle_is_never_in_two_test_drives_at_once(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    bronco, prado = desk.vehicles[1], desk.vehicles[0]
    await booked(service, desk, local(1, 10), vehicle=bronco)
    outcome = await book(service, desk, local(1, 10), vehicle=bronco)
    assert outcome == Refused(Refusal.VEHICLE_TAKEN, (local(1, 11), local(1, 12), local(1, 13)))
    await booked(service, desk, local(1, 10), vehicle=prado)  # another vehicle, the last seat


async def test_vehicles_the_dealer_cant_show_are_refused_by_field(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    other = await seed_desk(sessions)
    for vehicle, message in (
        (other.vehicles[0], "no vehicle"),
        ("no-such-id", "no vehicle"),
        (desk.sold, "sold"),
    ):
        with pytest.raises(UnprocessableError, match=message) as refused:
            await book(service, desk, local(1, 10), vehicle=vehicle)
        assert refused.value.field == "vehicleId"
    reserved_is_fine = await book(service, desk, local(1, 10), vehicle=desk.vehicles[0])
    assert isinstance(reserved_is_fine, Booked)


async def test_another_dealers_session_cant_book_here(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    other = await seed_desk(sessions)
    stranger = await open_session(sessions, other.dealer_id)
    with pytest.raises(NotFoundError):
        await book(service, desk, local(1, 10), session=stranger)


async def test_rescheduling_moves_the_seat_and_the_calendar_link(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    session = await open_session(sessions, desk.dealer_id)
    first = await booked(service, desk, local(1, 10), session=session)
    await booked(service, desk, local(1, 10))
    moved = await service.reschedule(first.appointment.id, session, local(2, 9))
    assert isinstance(moved, Booked)
    assert moved.appointment.id == first.appointment.id
    assert (moved.appointment.start, moved.appointment.sequence) == (local(2, 9), 1)
    # The seat it left is free again; the old calendar link is dead, the new one works.
    await booked(service, desk, local(1, 10))
    with pytest.raises(NotFoundError):
        await service.calendar(first.appointment.id, first.ics_token)
    assert b"DTSTART:20261202T130000Z" in await service.calendar(
        first.appointment.id, moved.ics_token
    )
    kinds = [e.kind for e in await events(sessions, desk.dealer_id)]
    assert kinds.count(EventKind.APPOINTMENT_RESCHEDULED) == 1
    event = (await events(sessions, desk.dealer_id))[2]
    assert event.payload["previousStart"] == "2026-12-01T10:00:00-04:00"
    assert event.payload["start"] == "2026-12-02T09:00:00-04:00"


async def test_rescheduling_into_a_full_slot_keeps_the_booking_where_it_was(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    session = await open_session(sessions, desk.dealer_id)
    mine = await booked(service, desk, local(1, 9), session=session)
    await booked(service, desk, local(1, 10))
    await booked(service, desk, local(1, 10))
    outcome = await service.reschedule(mine.appointment.id, session, local(1, 10))
    assert outcome == Refused(Refusal.FULL, (local(1, 11), local(1, 12), local(1, 13)))
    still = await service.upcoming_of(session)
    assert [a.start for a in still] == [local(1, 9)]
    assert await service.calendar(mine.appointment.id, mine.ics_token)  # the link still works
    # ...and its seat is still held: one more fits at 9:00, not two.
    await booked(service, desk, local(1, 9))
    assert isinstance(await book(service, desk, local(1, 9)), Refused)
    # Rescheduling to the same slot is allowed (its own seat doesn't count against it).
    again = await service.reschedule(mine.appointment.id, session, local(1, 9))
    assert isinstance(again, Booked)


async def test_cancelling_frees_the_seat_once(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    session = await open_session(sessions, desk.dealer_id)
    mine = await booked(service, desk, local(1, 10), session=session, vehicle=desk.vehicles[1])
    await booked(service, desk, local(1, 10))
    assert isinstance(await book(service, desk, local(1, 10)), Refused)
    with pytest.raises(AppointmentNotFoundError):
        await service.cancel(mine.appointment.id, await open_session(sessions, desk.dealer_id))
    cancelled = await service.cancel(mine.appointment.id, session)
    assert cancelled.status == AppointmentStatus.CANCELLED
    assert (await service.cancel(mine.appointment.id, session)).status == cancelled.status
    # The seat and the vehicle are free again.
    await booked(service, desk, local(1, 10), vehicle=desk.vehicles[1])
    kinds = [e.kind for e in await events(sessions, desk.dealer_id)]
    assert kinds.count(EventKind.APPOINTMENT_CANCELLED) == 1
    assert b"STATUS:CANCELLED" in await service.calendar(mine.appointment.id, mine.ics_token)
    with pytest.raises(ConflictError):
        await service.reschedule(mine.appointment.id, session, local(2, 10))
    assert await service.upcoming_of(session) == []


async def test_bookings_from_before_a_profile_change_still_count(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    await booked(service, desk, local(1, 10))
    await booked(service, desk, local(1, 10))
    await set_profile(
        sessions, desk.dealer_id, profile(testDrives={"slotMinutes": 30, "capacity": 2})
    )
    outcome = await book(service, desk, local(1, 10, 30))
    assert outcome == Refused(Refusal.FULL, (local(1, 11), local(1, 11, 30), local(1, 12)))
    await booked(service, desk, local(1, 11))
    # Capacity lowered below what is booked: no new seat until enough are given back.
    await set_profile(
        sessions, desk.dealer_id, profile(testDrives={"slotMinutes": 60, "capacity": 1})
    )
    assert isinstance(await book(service, desk, local(1, 11)), Refused)
    assert await busiest_minute(sessions, desk.dealer_id) == 2


async def test_the_free_starts_of_a_window(service: BookingService, desk: Desk) -> None:
    await booked(service, desk, local(5, 9))
    await booked(service, desk, local(5, 9))
    found = await service.free_starts(desk.dealer_id, local(5, 0), until=local(5, 12), count=5)
    assert found == (local(5, 10), local(5, 11))
    assert (await service.profile(desk.dealer_id)).test_drives.capacity == 2


async def test_a_check_tells_whether_a_start_could_be_booked_without_booking_it(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    bronco = desk.vehicles[1]
    free = await service.check(desk.dealer_id, local(2, 10), bronco)
    assert free == Slot(local(2, 10), local(2, 11))
    mine = await booked(service, desk, local(2, 10), vehicle=bronco)
    taken = await service.check(desk.dealer_id, local(2, 10), bronco)
    assert taken == Refused(Refusal.VEHICLE_TAKEN, (local(2, 11), local(2, 12), local(2, 13)))
    # Moving that booking: its own seat and vehicle don't count against it.
    assert await service.check(
        desk.dealer_id, local(2, 10), bronco, besides=mine.appointment.id
    ) == Slot(local(2, 10), local(2, 11))
    await booked(service, desk, local(2, 10))
    full = await service.check(desk.dealer_id, local(2, 10))
    assert isinstance(full, Refused) and full.reason == Refusal.FULL
    closed = await service.check(desk.dealer_id, local(6, 10))  # a Sunday
    assert isinstance(closed, Refused) and closed.reason == Refusal.CLOSED
    assert len(await events(sessions, desk.dealer_id)) == 2  # the two bookings, no more


async def test_the_free_starts_around_a_booking_being_moved(
    service: BookingService, desk: Desk
) -> None:
    mine = await booked(service, desk, local(5, 9))
    await booked(service, desk, local(5, 9))
    until = local(5, 11)
    assert await service.free_starts(desk.dealer_id, local(5, 0), until=until) == (local(5, 10),)
    moving = await service.free_starts(
        desk.dealer_id, local(5, 0), until=until, besides=mine.appointment.id
    )
    assert moving == (local(5, 9), local(5, 10))


async def test_ten_customers_racing_for_a_slot_of_two_seats(
    engine: AsyncEngine, database_url: str, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    # Two engines, as two workers of the service would have: connections of their own.
    second = create_engine(database_url)
    try:
        services = [booking_service(session_factory(e)) for e in (engine, second)]
        outcomes = await asyncio.gather(
            *(book(services[i % 2], desk, local(3, 10)) for i in range(10))
        )
    finally:
        await second.dispose()
    assert sum(isinstance(o, Booked) for o in outcomes) == 2
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert {o.reason for o in refused} == {Refusal.FULL}
    assert await busiest_minute(sessions, desk.dealer_id) == 2
    assert len(await events(sessions, desk.dealer_id)) == 2


async def test_two_sessions_racing_for_one_vehicle(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    first, second = [await open_session(sessions, desk.dealer_id) for _ in range(2)]
    bronco = desk.vehicles[1]
    outcomes = await asyncio.gather(
        *(book(service, desk, local(3, 15), vehicle=bronco, session=s) for s in (first, second))
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Booked", "Refused"]
    loser = next(o for o in outcomes if isinstance(o, Refused))
    assert loser.reason == Refusal.VEHICLE_TAKEN


async def test_the_database_itself_refuses_a_second_claim(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    mine = await booked(service, desk, local(4, 10), vehicle=desk.vehicles[1])
    minute = minute_of(local(4, 10, 30))
    async with sessions() as db:
        seat = await db.scalar(
            select(AppointmentClaim.seat).where(
                AppointmentClaim.appointment_id == mine.appointment.id,
                AppointmentClaim.minute == minute,
            )
        )
    other = await booked(service, desk, local(4, 15))
    for values in (
        {"seat": seat, "vehicle_id": None},  # the same seat of the same minute
        {"seat": 2, "vehicle_id": desk.vehicles[1]},  # the same vehicle in the same minute
    ):
        async with sessions() as db:
            with pytest.raises(IntegrityError):
                await db.execute(
                    insert(AppointmentClaim).values(
                        appointment_id=other.appointment.id,
                        minute=minute,
                        dealer_id=desk.dealer_id,
                        **values,
                    )
                )


async def test_racing_changes_of_one_booking_leave_it_consistent(
    service: BookingService, sessions: async_sessionmaker[AsyncSession], desk: Desk
) -> None:
    session = await open_session(sessions, desk.dealer_id)
    twice = await booked(service, desk, local(4, 9), session=session)
    await asyncio.gather(*(service.cancel(twice.appointment.id, session) for _ in range(3)))
    kinds = [e.kind for e in await events(sessions, desk.dealer_id)]
    assert kinds == [EventKind.APPOINTMENT_BOOKED, EventKind.APPOINTMENT_CANCELLED]
    # A move racing a cancellation: whichever wins, the booking ends cancelled, holding nothing.
    raced = await booked(service, desk, local(4, 11), session=session)
    await asyncio.gather(
        service.reschedule(raced.appointment.id, session, local(4, 14)),
        service.cancel(raced.appointment.id, session),
        return_exceptions=True,
    )
    async with sessions() as db:
        stored = await db.get(Appointment, raced.appointment.id)
        held = await db.scalar(
            select(func.count()).where(AppointmentClaim.appointment_id == raced.appointment.id)
        )
    assert stored is not None and stored.status == AppointmentStatus.CANCELLED
    assert held == 0


def test_seats_are_the_lowest_free_in_each_minute() -> None:
    minutes = range(100, 103)
    assert allocate(minutes, {}, 2) == {100: 1, 101: 1, 102: 1}
    assert allocate(minutes, {101: {1}}, 2) == {100: 1, 101: 2, 102: 1}
    assert allocate(minutes, {102: {1, 2}}, 2) is None
    assert allocate(minutes, {100: {3}}, 2) == {100: 1, 101: 1, 102: 1}  # capacity lowered
    assert allocate(minutes, {100: {2, 3}}, 2) is None


def test_minutes_are_counted_from_the_epoch_in_utc() -> None:
    assert minute_of(datetime(1970, 1, 1, 0, 1, 59, tzinfo=UTC)) == 1
    assert minute_of(local(1, 10)) == minute_of(local(1, 14).astimezone(UTC) - timedelta(hours=4))


async def test_the_app_s_clock_is_the_booking_service_s() -> None:
    # A service reading another clock than the app's would offer slots the chat calls past.
    now = datetime(2030, 6, 3, 10, 30, tzinfo=SANTO_DOMINGO)  # a Monday, ADP open 8-18
    async with pipeline(clock=lambda: now) as chat:
        adp = await dealer_id(chat.sessions, ADP)
        starts = await chat.services.bookings.free_starts(adp, datetime(2020, 1, 1, tzinfo=UTC))
    assert starts and starts[0].astimezone(SANTO_DOMINGO) == now.replace(hour=11, minute=0)

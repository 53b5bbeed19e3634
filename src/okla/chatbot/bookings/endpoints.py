"""Test-drive routes: the customer's (by session token) and the staff's listing (by JWT)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import AwareDatetime

from okla.chatbot.auth import CallerDep
from okla.chatbot.bookings.schemas import (
    AppointmentOut,
    BookingRequest,
    SessionBody,
    StaffAppointmentOut,
)
from okla.chatbot.chat.endpoints import errors
from okla.chatbot.dependencies import BookingServiceDep, ClientDep
from okla.chatbot.errors import UnprocessableError

router = APIRouter(prefix="/api/chat", tags=["chat"])
staff_router = APIRouter(prefix="/api/chatbot", tags=["admin"])

AppointmentId = Annotated[str, Path(min_length=1, max_length=36)]
MAX_LISTING_DAYS = 366


@router.post(
    "/appointments",
    status_code=201,
    response_model=AppointmentOut,
    responses=errors(404, 409, 413, 415, 422, 429, 503),
    summary="Book a test drive",
)
async def book(
    body: BookingRequest, service: BookingServiceDep, client: ClientDep
) -> AppointmentOut:
    """Book the slot that starts at `start`; 409 names the reason and the next free starts."""
    return await service.book_by_token(body, client)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response_model=AppointmentOut,
    responses=errors(404, 413, 415, 422, 503),
    summary="Cancel a test drive booked in this session",
)
async def cancel(
    appointment_id: AppointmentId,
    body: SessionBody,
    service: BookingServiceDep,
    client: ClientDep,
) -> AppointmentOut:
    """Cancel the appointment and free its seat; another session's appointment is a 404."""
    return await service.cancel_by_token(appointment_id, body.session_token, client)


@router.get(
    "/appointments/{appointment_id}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "The iCalendar file."},
        **errors(404, 422, 503),
    },
    summary="A booked test drive as a calendar file",
)
async def calendar(
    appointment_id: AppointmentId,
    token: Annotated[str, Query(min_length=1, max_length=200)],
    service: BookingServiceDep,
) -> Response:
    """Return the appointment's VEVENT; the link's token is its only key."""
    content = await service.calendar(appointment_id, token)
    return Response(
        content,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="prueba-de-manejo-{appointment_id}.ics"',
            "Cache-Control": "no-store",
        },
    )


@staff_router.get(
    "/appointments",
    responses=errors(401, 403, 404, 422, 503),
    summary="Test drives booked with a dealer",
)
async def appointments(
    caller: CallerDep,
    service: BookingServiceDep,
    dealer: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    start: Annotated[
        AwareDatetime | None,
        Query(alias="from", description="ISO 8601 with offset; default now."),
    ] = None,
    end: Annotated[
        AwareDatetime | None,
        Query(alias="to", description="ISO 8601 with offset; default 31 days after 'from'."),
    ] = None,
) -> list[StaffAppointmentOut]:
    """List the appointments starting in [from, to) of the caller's dealer (or the one asked)."""
    begin = start or service.clock()  # the app's clock: the same 'now' its slots use
    until = end or begin + timedelta(days=31)
    if until <= begin:
        raise UnprocessableError("'to' must be after 'from'.", field="to")
    if until - begin > timedelta(days=MAX_LISTING_DAYS):
        raise UnprocessableError(f"List at most {MAX_LISTING_DAYS} days at once.", field="to")
    return await service.listing(caller.scope(dealer), begin, until)

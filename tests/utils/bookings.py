"""A dealer's desk for booking tests: a profile, a dealer with stock, sessions, a fixed clock."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.bookings.service import BookingService
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.access import SessionAccess, hash_token, new_token
from okla.chatbot.chat.domain import SessionStatus, SessionType
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.repository import apply_profile
from okla.chatbot.inventory.demo import DEMO_DEALERS
from okla.chatbot.inventory.domain import DealerSeed, VehicleStatus
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.models import ChatSession, Dealer, Vehicle, utcnow
from tests.utils.pipeline import unit_settings

SANTO_DOMINGO = ZoneInfo("America/Santo_Domingo")
# A Monday afternoon.
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=SANTO_DOMINGO)

WEEKDAY_HOURS = [{"opens": "08:00", "closes": "18:00"}]
PROFILE_DATA: dict[str, Any] = {
    "address": "Av. Winston Churchill 1099",
    "city": "Santo Domingo",
    "phone": "809-555-0100",
    "timezone": "America/Santo_Domingo",
    "hours": {
        "mon": WEEKDAY_HOURS,
        "tue": WEEKDAY_HOURS,
        "wed": WEEKDAY_HOURS,
        "thu": WEEKDAY_HOURS,
        "fri": WEEKDAY_HOURS,
        "sat": [{"opens": "09:00", "closes": "13:00"}],
    },
    "closures": [
        {"date": "2026-12-25", "reason": "Navidad"},
        {"date": "2026-12-24", "reason": "Nochebuena",
         "hours": [{"opens": "08:00", "closes": "12:00"}]},
    ],
    "testDrives": {"slotMinutes": 60, "capacity": 2},
}  # fmt: skip
PROFILE = DealerProfile.model_validate(PROFILE_DATA)


def profile(**changes: Any) -> DealerProfile:
    """Return the test profile with some fields replaced (camelCase keys, as the file has)."""
    return DealerProfile.model_validate(PROFILE_DATA | changes)


def local(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """Return an instant of 2026 in Santo Domingo."""
    return datetime(2026, month, day, hour, minute, tzinfo=SANTO_DOMINGO)


def fixed_clock(at: datetime = NOW) -> Callable[[], datetime]:
    """Return a clock that always says `at`."""
    return lambda: at


def booking_service(
    sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] | None = None
) -> BookingService:
    """Return the booking service on a database, its clock fixed at NOW unless told."""
    access = SessionAccess(unit_settings(), Coordinator(None))
    return BookingService(sessions, access, clock or fixed_clock())


@dataclass(frozen=True)
class Desk:
    """A dealer with a profile and stock, in a database."""

    dealer_id: str
    slug: str
    name: str
    vehicles: tuple[str, ...]  # available, in stock-number order
    sold: str


async def seed_desk(
    sessions: async_sessionmaker[AsyncSession], desk_profile: DealerProfile = PROFILE
) -> Desk:
    """Create a dealer of its own (a random slug) with the demo stock and the profile."""
    seed, records = DEMO_DEALERS[0]
    slug = f"desk-{secrets.token_hex(4)}"
    async with sessions() as db:
        repo = InventoryRepository(db)
        dealer = await repo.upsert_dealer(
            DealerSeed(
                slug=slug,
                name="Auto Dominicana Premium",
                assistant_name=seed.assistant_name,
                city=seed.city,
                phone=seed.phone,
                website=seed.website,
            )
        )
        await repo.upsert_vehicles(dealer.id, records)
        apply_profile(dealer, desk_profile)
        await db.commit()
        stock = (
            await db.scalars(
                select(Vehicle).where(Vehicle.dealer_id == dealer.id).order_by(Vehicle.stock_number)
            )
        ).all()
    available = tuple(v.id for v in stock if v.status == VehicleStatus.AVAILABLE)
    sold = next(v.id for v in stock if v.status == VehicleStatus.SOLD)
    return Desk(dealer.id, slug, dealer.name, available, sold)


async def set_profile(
    sessions: async_sessionmaker[AsyncSession], dealer_id: str, desk_profile: DealerProfile
) -> None:
    """Replace a dealer's profile."""
    async with sessions() as db:
        dealer = await db.get(Dealer, dealer_id)
        assert dealer is not None
        apply_profile(dealer, desk_profile)
        await db.commit()


async def open_session(sessions: async_sessionmaker[AsyncSession], dealer_id: str) -> str:
    """Open a chat session with a dealer; return its id."""
    async with sessions() as db:
        chat = ChatSession(
            token_hash=hash_token(new_token()),
            dealer_id=dealer_id,
            session_type=SessionType.WEB_CHAT,
            status=SessionStatus.ACTIVE,
            meta={},
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.add(chat)
        await db.commit()
        return chat.id

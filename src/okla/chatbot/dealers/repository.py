"""Read and write dealers' profiles; the only place that maps the profile to its columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.models import Dealer


def profile_of(dealer: Dealer) -> DealerProfile:
    """Build the profile of a stored dealer."""
    return DealerProfile.model_validate(
        {
            "address": dealer.address,
            "city": dealer.city,
            "mapUrl": dealer.map_url,
            "phone": dealer.phone,
            "whatsapp": dealer.whatsapp,
            "timezone": dealer.timezone,
            "hours": dealer.hours or {},
            "closures": dealer.closures or [],
            "testDrives": {"slotMinutes": dealer.slot_minutes, "capacity": dealer.slot_capacity},
            "policies": dealer.policies or {},
        }
    )


def apply_profile(dealer: Dealer, profile: DealerProfile) -> None:
    """Write a profile onto a dealer's row (the whole profile: fields left out are cleared)."""
    data: dict[str, Any] = profile.model_dump(mode="json", by_alias=True)
    dealer.address = profile.address
    dealer.city = profile.city
    dealer.map_url = profile.map_url
    dealer.phone = profile.phone
    dealer.whatsapp = profile.whatsapp
    dealer.timezone = profile.timezone
    dealer.hours = data["hours"]
    dealer.closures = data["closures"]
    dealer.slot_minutes = profile.test_drives.slot_minutes
    dealer.slot_capacity = profile.test_drives.capacity
    dealer.policies = data["policies"]


class DealerRepository:
    """Dealers' profiles within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def profile(self, dealer_id: str) -> DealerProfile | None:
        """Return a dealer's profile, or None if there is no such dealer."""
        dealer = await self.session.get(Dealer, dealer_id)
        return None if dealer is None else profile_of(dealer)

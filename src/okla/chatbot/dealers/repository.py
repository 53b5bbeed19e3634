"""Read and write dealers' profiles; the only place that maps the profile to its columns."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select
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
            **_policies(dealer.policies or {}),
        }
    )


# The English texts ride in the policies column, under this key.
_ENGLISH = "en"
# So do the advisors' canned replies (advisors/canned.py): a short list, no table of its own.
_CANNED = "cannedReplies"


def _policies(stored: dict[str, Any]) -> dict[str, Any]:
    spanish = {key: value for key, value in stored.items() if key not in (_ENGLISH, _CANNED)}
    return {"policies": spanish, "policiesEn": stored.get(_ENGLISH) or {}}


def canned_replies(dealer: Dealer) -> list[str]:
    """Return the dealer's canned replies for its advisors."""
    stored = (dealer.policies or {}).get(_CANNED) or []
    return [text for text in stored if isinstance(text, str)]


def set_canned_replies(dealer: Dealer, replies: list[str]) -> None:
    """Replace the dealer's canned replies (the profile's policies stay as they are)."""
    dealer.policies = {**(dealer.policies or {}), _CANNED: replies}


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
    canned = (dealer.policies or {}).get(_CANNED)  # not part of the profile: kept
    dealer.policies = {**data["policies"], _ENGLISH: data["policiesEn"]}
    if canned:
        dealer.policies[_CANNED] = canned


class DealerRepository:
    """Dealers' profiles within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def profile(self, dealer_id: str) -> DealerProfile | None:
        """Return a dealer's profile, or None if there is no such dealer."""
        dealer = await self.session.get(Dealer, dealer_id)
        return None if dealer is None else profile_of(dealer)

    async def by_slug(self, slug: str) -> Dealer | None:
        """Find a dealer by its slug."""
        found: Dealer | None = await self.session.scalar(select(Dealer).where(Dealer.slug == slug))
        return found

    async def by_slugs(self, slugs: Collection[str]) -> dict[str, Dealer]:
        """Find the dealers with these slugs, by slug (those missing are left out)."""
        if not slugs:
            return {}
        rows = await self.session.scalars(select(Dealer).where(Dealer.slug.in_(sorted(slugs))))
        return {dealer.slug: dealer for dealer in rows.all()}

    def add(self, slug: str, name: str, assistant_name: str) -> Dealer:
        """Stage a new dealer (without a profile until one is applied)."""
        dealer = Dealer(slug=slug, name=name, assistant_name=assistant_name)
        self.session.add(dealer)
        return dealer


def rename(dealer: Dealer, *, name: str | None = None, assistant_name: str | None = None) -> None:
    """Change a dealer's name or its assistant's (None: as it is)."""
    if name is not None:
        dealer.name = name
    if assistant_name is not None:
        dealer.assistant_name = assistant_name


def set_webhook_url(dealer: Dealer, url: str | None) -> None:
    """Set (or, with None, clear) where a dealer's new leads and bookings are POSTed."""
    dealer.webhook_url = url


def set_webhook_secret(dealer: Dealer, secret: SecretStr | None) -> None:
    """Set (or, with None, clear) the secret a dealer's webhook calls are signed with."""
    dealer.webhook_secret = None if secret is None else secret.get_secret_value()

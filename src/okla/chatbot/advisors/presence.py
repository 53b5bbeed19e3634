"""Whether an advisor can take a chat now (one decision, to be replaced by real presence)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from okla.chatbot.dealers.domain import DealerProfile

# Given the dealer's profile (None: unknown) and an instant, tell whether an advisor can answer.
Presence = Callable[[DealerProfile | None, datetime], bool]


def advisor_available(profile: DealerProfile | None, at: datetime) -> bool:
    """Tell whether an advisor can take the chat: for now, whether the dealer is open.

    A dealer whose hours aren't known is taken as staffed: the bot hands the chat over as it
    always has, rather than claim a closed showroom it knows nothing about.
    """
    if profile is None or not profile.hours:
        return True
    return profile.is_open(at)

"""What the privacy jobs removed, as counts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Purged:
    """What one retention run removed: the transcripts of sessions over the retention period,
    the leads, appointments and webhook events left untouched as long, and past slot claims."""

    sessions: int = 0
    messages: int = 0
    leads: int = 0
    appointments: int = 0
    events: int = 0
    claims: int = 0  # the booked minutes of test drives now past (no booking can overlap them)

    def __bool__(self) -> bool:
        return any(
            (self.sessions, self.messages, self.leads, self.appointments, self.events, self.claims)
        )


@dataclass(frozen=True)
class Forgotten:
    """What was removed of one customer's data: their sessions (with every message), their
    leads and appointments, and the webhook events that carried them."""

    sessions: int = 0
    messages: int = 0
    leads: int = 0
    appointments: int = 0
    events: int = 0

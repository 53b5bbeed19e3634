"""The slot grid of a dealer's days, and which starts can still be booked (pure functions).

Slots are laid from the start of each opening, `slotMinutes` apart, and a slot must end by
the opening's close. The arithmetic is done in UTC: a slot lasts its real length across a
change of daylight-saving time, and aware datetimes of one zone compare by wall time in
Python (an ambiguous hour of the autumn change would compare equal to the other).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from okla.chatbot.bookings.domain import Busy, PartOfDay, Refusal, Slot
from okla.chatbot.dealers.domain import DealerProfile

ALTERNATIVES = 3
SEARCH_DAYS = 14


def slots_on(profile: DealerProfile, day: date) -> tuple[Slot, ...]:
    """Return the slots of a local date (its closure's hours if it has one), in order."""
    zone = profile.zone
    length = timedelta(minutes=profile.test_drives.slot_minutes)
    slots: list[Slot] = []
    for opening in profile.openings_on(day):
        start = datetime.combine(day, opening.opens, zone).astimezone(UTC)
        closes = datetime.combine(day, opening.closes, zone).astimezone(UTC)
        while start + length <= closes:
            slots.append(Slot(start, start + length))
            start += length
    return tuple(sorted(slots))


def check_start(profile: DealerProfile, start: datetime, now: datetime) -> Slot | Refusal:
    """Return the slot that begins at `start`, or why it can't be booked."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    start = start.astimezone(UTC)
    if start <= now.astimezone(UTC):
        return Refusal.PAST
    if not profile.is_open(start):
        return Refusal.CLOSED
    day = start.astimezone(profile.zone).date()
    return next((s for s in slots_on(profile, day) if s.start == start), Refusal.MISALIGNED)


def concurrent(taken: Sequence[Busy], start: datetime, end: datetime) -> int:
    """Return the most bookings under way at one instant of [start, end)."""
    overlapping = [b for b in taken if b.start < end and start < b.end]
    # The busiest instant is the window's start or the start of a booking inside it.
    instants = {start, *(b.start for b in overlapping if b.start > start)}
    return max((sum(b.start <= t < b.end for b in overlapping) for t in instants), default=0)


def is_free(
    profile: DealerProfile, slot: Slot, taken: Sequence[Busy], vehicle_id: str | None = None
) -> bool:
    """Tell whether a slot has a seat left (and its vehicle, if one is asked for, is free)."""
    if vehicle_id is not None and any(
        b.vehicle_id == vehicle_id and b.start < slot.end and slot.start < b.end for b in taken
    ):
        return False
    return concurrent(taken, slot.start, slot.end) < profile.test_drives.capacity


def upcoming(profile: DealerProfile, after: datetime, days: int = SEARCH_DAYS) -> Iterator[Slot]:
    """Yield the slots that start at or after an instant, for `days` local days."""
    first = after.astimezone(profile.zone).date()
    for offset in range(days + 1):
        for slot in slots_on(profile, first + timedelta(days=offset)):
            if slot.start >= after:
                yield slot


def free_slots(
    profile: DealerProfile,
    after: datetime,
    taken: Sequence[Busy],
    now: datetime,
    *,
    vehicle_id: str | None = None,
    until: datetime | None = None,
    count: int = ALTERNATIVES,
    days: int = SEARCH_DAYS,
) -> tuple[Slot, ...]:
    """Return the first `count` free slots starting at or after `after` (and before `until`)."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    found: list[Slot] = []
    after, now = after.astimezone(UTC), now.astimezone(UTC)
    for slot in upcoming(profile, max(after, now), days):
        if until is not None and slot.start >= until:
            break
        if slot.start > now and is_free(profile, slot, taken, vehicle_id):
            found.append(slot)
            if len(found) == count:
                break
    return tuple(found)


def part_window(profile: DealerProfile, day: date, part: PartOfDay) -> tuple[datetime, datetime]:
    """Return the instants a part of a local date spans: [from, to)."""
    begins, ends = part.hours
    zone = profile.zone
    return datetime.combine(day, begins, zone), datetime.combine(day, ends, zone)


def day_window(profile: DealerProfile, day: date) -> tuple[datetime, datetime]:
    """Return the instants a local date spans: [its midnight, the next one)."""
    zone = profile.zone
    midnight = datetime.combine(day, time(), zone)
    return midnight, datetime.combine(day + timedelta(days=1), time(), zone)

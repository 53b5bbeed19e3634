"""A dealer's profile: where it is, when it opens, how test drives are booked, its policies."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_TIMEZONE = "America/Santo_Domingo"


class Weekday(StrEnum):
    """A day of the week, as the profile file names it."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: date) -> Weekday:
        """Return the weekday of a date."""
        return list(cls)[day.weekday()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Opening(_Strict):
    """One stretch of a day when the dealer is open, e.g. 08:00–18:00."""

    opens: time
    closes: time

    @model_validator(mode="after")
    def _ordered(self) -> Opening:
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        return self


class Closure(_Strict):
    """A date the dealer is closed (a holiday) or keeps other hours."""

    day: date = Field(alias="date")
    reason: str | None = Field(default=None, max_length=200)
    # Empty: closed all day; otherwise the hours of that date only.
    hours: tuple[Opening, ...] = ()


class TestDrives(_Strict):
    """How test drives are booked: the slot length and how many bookings a slot takes."""

    slot_minutes: int = Field(default=60, ge=15, le=240, alias="slotMinutes")
    capacity: int = Field(default=2, ge=1, le=50)


class Policies(_Strict):
    """Short texts the bot quotes as they are (the dealer wrote them)."""

    trade_in: str | None = Field(default=None, max_length=1000, alias="tradeIn")
    financing: str | None = Field(default=None, max_length=1000)
    warranty: str | None = Field(default=None, max_length=1000)
    delivery: str | None = Field(default=None, max_length=1000)
    documents: str | None = Field(default=None, max_length=1000)


class DealerProfile(_Strict):
    """What the bot knows about the dealership itself."""

    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=100)
    map_url: str | None = Field(default=None, max_length=500, alias="mapUrl")
    phone: str | None = Field(default=None, max_length=50)
    whatsapp: str | None = Field(default=None, max_length=50)
    timezone: str = DEFAULT_TIMEZONE
    # Per weekday, the stretches it is open; a weekday left out is closed.
    hours: dict[Weekday, tuple[Opening, ...]] = Field(default_factory=dict)
    closures: tuple[Closure, ...] = ()
    test_drives: TestDrives = Field(default_factory=TestDrives, alias="testDrives")
    policies: Policies = Field(default_factory=Policies)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            expected = f"expected an IANA name such as {DEFAULT_TIMEZONE}"
            raise ValueError(f"unknown time zone {value!r} ({expected})") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """Return the dealer's time zone."""
        return ZoneInfo(self.timezone)

    def openings_on(self, day: date) -> tuple[Opening, ...]:
        """Return when the dealer is open on a date (its closures first, then its week)."""
        for closure in self.closures:
            if closure.day == day:
                return closure.hours
        return self.hours.get(Weekday.of(day), ())

    def closure_on(self, day: date) -> Closure | None:
        """Return the closure or special hours of a date, if any."""
        return next((c for c in self.closures if c.day == day), None)

    def is_open(self, at: datetime) -> bool:
        """Tell whether the dealer is open at an instant (read in its own time zone)."""
        local = at.astimezone(self.zone)
        now = local.time().replace(tzinfo=None)
        return any(o.opens <= now < o.closes for o in self.openings_on(local.date()))

    def next_opening(self, at: datetime, days: int = 14) -> datetime | None:
        """Return when the dealer next opens after an instant (None if closed for `days`)."""
        local = at.astimezone(self.zone)
        for offset in range(days + 1):
            day = local.date() + timedelta(days=offset)
            for opening in self.openings_on(day):
                start = datetime.combine(day, opening.opens, self.zone)
                if start > local:
                    return start
        return None

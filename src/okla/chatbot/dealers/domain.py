"""A dealer's profile: where it is, when it opens, how test drives are booked, its policies."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationInfo,
    field_serializer,
    field_validator,
)

from okla.chatbot.text.language import Lang

DEFAULT_TIMEZONE = "America/Santo_Domingo"
WEBHOOK_SECRET_MIN_CHARS = 16


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("expected an http:// or https:// URL")
    return value


def _long_secret(value: SecretStr) -> SecretStr:
    # The message never repeats the value: a secret must not reach an error or a log.
    length = len(value.get_secret_value())
    if not WEBHOOK_SECRET_MIN_CHARS <= length <= 200:
        raise ValueError(f"must be {WEBHOOK_SECRET_MIN_CHARS} to 200 characters long")
    return value


# A dealer's slug, as URLs name it: "auto-dominicana-premium".
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=100)
]
DealerName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
AssistantName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
# Where new leads and bookings are POSTed, and the secret they are signed with (write-only).
WebhookUrl = Annotated[str, StringConstraints(max_length=500), AfterValidator(_http_url)]
WebhookSecret = Annotated[SecretStr, AfterValidator(_long_secret)]


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


_HOUR_ONE_DIGIT = re.compile(r"\d:\d\d(?::\d\d)?")


class Opening(_Strict):
    """One stretch of a day when the dealer is open, e.g. 08:00–18:00."""

    opens: time
    closes: time

    @field_validator("opens", "closes", mode="before")
    @classmethod
    def _padded(cls, value: object) -> object:
        # "8:00" is how people write it; the ISO reader wants "08:00".
        if isinstance(value, str) and _HOUR_ONE_DIGIT.fullmatch(value.strip()):
            return f"0{value.strip()}"
        return value

    @field_serializer("opens", "closes", when_used="json")
    def _hours_minutes(self, moment: time) -> str:
        return moment.isoformat(timespec="minutes" if not moment.second else "seconds")

    @field_validator("closes")
    @classmethod
    def _after_opens(cls, closes: time, info: ValidationInfo) -> time:
        opens = info.data.get("opens")
        if isinstance(opens, time) and closes <= opens:
            raise ValueError(
                f"closes ({closes:%H:%M}) must be after opens ({opens:%H:%M}) on the same day"
            )
        return closes


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


class PolicyTopic(StrEnum):
    """What a policy text is about."""

    TRADE_IN = "trade_in"
    FINANCING = "financing"
    WARRANTY = "warranty"
    DELIVERY = "delivery"
    DOCUMENTS = "documents"


class Policies(_Strict):
    """Short texts the bot quotes as they are (the dealer wrote them)."""

    trade_in: str | None = Field(default=None, max_length=1000, alias="tradeIn")
    financing: str | None = Field(default=None, max_length=1000)
    warranty: str | None = Field(default=None, max_length=1000)
    delivery: str | None = Field(default=None, max_length=1000)
    documents: str | None = Field(default=None, max_length=1000)

    def about(self, topic: PolicyTopic) -> str | None:
        """Return the text on a topic (None: the dealer wrote none)."""
        texts = {
            PolicyTopic.TRADE_IN: self.trade_in,
            PolicyTopic.FINANCING: self.financing,
            PolicyTopic.WARRANTY: self.warranty,
            PolicyTopic.DELIVERY: self.delivery,
            PolicyTopic.DOCUMENTS: self.documents,
        }
        return texts[topic]


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
    # The same texts in English, for customers who write English (empty: the Spanish one).
    policies_en: Policies = Field(default_factory=Policies, alias="policiesEn")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            expected = f"expected an IANA name such as {DEFAULT_TIMEZONE}"
            raise ValueError(f"unknown time zone {value!r} ({expected})") from exc
        return value

    @field_validator("hours")
    @classmethod
    def _apart(
        cls, hours: dict[Weekday, tuple[Opening, ...]]
    ) -> dict[Weekday, tuple[Opening, ...]]:
        for day, openings in hours.items():
            for before, after in zip(openings, openings[1:], strict=False):
                if after.opens < before.closes:
                    raise ValueError(
                        f"{day.value}: the openings must be in order and not overlap "
                        f"({before.opens:%H:%M}-{before.closes:%H:%M}, "
                        f"{after.opens:%H:%M}-{after.closes:%H:%M})"
                    )
        return hours

    @field_validator("closures")
    @classmethod
    def _one_per_date(cls, closures: tuple[Closure, ...]) -> tuple[Closure, ...]:
        seen: set[date] = set()
        for closure in closures:
            if closure.day in seen:
                raise ValueError(f"{closure.day.isoformat()} is listed twice")
            seen.add(closure.day)
        return closures

    def policy(self, topic: PolicyTopic, lang: Lang = "es") -> str | None:
        """Return the dealer's text on a topic in a language, else in Spanish (None: none)."""
        english = self.policies_en.about(topic) if lang == "en" else None
        return english or self.policies.about(topic)

    def policy_texts(self) -> tuple[str, ...]:
        """Return every policy text the dealer wrote, in either language."""
        return tuple(
            text
            for policies in (self.policies, self.policies_en)
            for topic in PolicyTopic
            if (text := policies.about(topic))
        )

    @property
    def has_hours(self) -> bool:
        """Tell whether the dealer gave its opening hours."""
        return any(self.hours.values())

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

    def opening_at(self, at: datetime) -> Opening | None:
        """Return the opening the dealer is in at an instant (read in its time zone), if any."""
        local = at.astimezone(self.zone)
        now = local.time().replace(tzinfo=None)
        return next((o for o in self.openings_on(local.date()) if o.opens <= now < o.closes), None)

    def is_open(self, at: datetime) -> bool:
        """Tell whether the dealer is open at an instant (read in its own time zone)."""
        return self.opening_at(at) is not None

    def local_date(self, at: datetime) -> date:
        """Return the dealer's date at an instant ("today" where the dealer is)."""
        return at.astimezone(self.zone).date()

    def closures_between(self, first: date, last: date) -> tuple[Closure, ...]:
        """Return the closures and special days from `first` to `last`, in date order."""
        return tuple(sorted((c for c in self.closures if first <= c.day <= last), key=_day))

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


def _day(closure: Closure) -> date:
    return closure.day

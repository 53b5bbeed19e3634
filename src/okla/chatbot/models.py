"""Database tables of the chatbot service (SQLAlchemy 2 ORM)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from okla.chatbot.auth import Role
from okla.chatbot.bookings.domain import AppointmentStatus
from okla.chatbot.chat.domain import (
    Handoff,
    IdempotencyState,
    MessageRole,
    MessageSource,
    SessionStatus,
    SessionType,
)
from okla.chatbot.inventory.domain import BodyType, Drivetrain, Fuel, Transmission, VehicleStatus
from okla.chatbot.leads.domain import LeadInterest, LeadStatus
from okla.chatbot.outbox.domain import DeliveryState, EventKind

E = TypeVar("E", bound=StrEnum)


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """Return a new random UUID as text."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite keeps the wall time and drops the offset: only UTC compares and sorts right.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(kind: type[E], length: int) -> Enum:
    """Store a StrEnum as its value in a plain VARCHAR of `length` (no database enum type)."""
    return Enum(
        kind,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING)


class Dealer(Base):
    """A dealer on the marketplace, with its assistant's persona."""

    __tablename__ = "dealers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    assistant_name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(300))
    # The profile (dealers/domain.py DealerProfile): the desk's answers and the booking rules.
    address: Mapped[str | None] = mapped_column(String(300))
    map_url: Mapped[str | None] = mapped_column(String(500))
    whatsapp: Mapped[str | None] = mapped_column(String(50))
    timezone: Mapped[str] = mapped_column(String(64), default="America/Santo_Domingo")
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    closures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=60)
    slot_capacity: Mapped[int] = mapped_column(Integer, default=2)
    policies: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where new leads and bookings are POSTed, signed with the secret (outbox/).
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Vehicle(Base):
    """One vehicle of a dealer's stock; prices are whole units of `currency`."""

    __tablename__ = "vehicles"
    __table_args__ = (
        UniqueConstraint("dealer_id", "stock_number", name="uq_vehicles_dealer_stock"),
        Index("ix_vehicles_dealer_status", "dealer_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"))
    stock_number: Mapped[str] = mapped_column(String(50))
    make: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    trim: Mapped[str | None] = mapped_column(String(80))
    price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="DOP")
    body_type: Mapped[BodyType] = mapped_column(enum_column(BodyType, 20))
    mileage_km: Mapped[int] = mapped_column(Integer, default=0)
    fuel: Mapped[Fuel] = mapped_column(enum_column(Fuel, 20))
    transmission: Mapped[Transmission] = mapped_column(enum_column(Transmission, 20))
    color: Mapped[str | None] = mapped_column(String(40))
    drivetrain: Mapped[Drivetrain | None] = mapped_column(enum_column(Drivetrain, 10))
    seats: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[VehicleStatus] = mapped_column(
        enum_column(VehicleStatus, 20), default=VehicleStatus.AVAILABLE
    )
    url: Mapped[str | None] = mapped_column(String(500))
    image_url: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ChatSession(Base):
    """A customer's conversation with a dealer's assistant."""

    __tablename__ = "chat_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # Only a hash of the token is stored: a leaked database does not leak live sessions.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"))
    session_type: Mapped[SessionType] = mapped_column(enum_column(SessionType, 20))
    # Active or Ended; who answers is `handoff` (chat/domain.py).
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, 20), default=SessionStatus.ACTIVE
    )
    handoff: Mapped[Handoff] = mapped_column(enum_column(Handoff, 20), default=Handoff.BOT)
    # The advisor answering while WithAgent (set and cleared by conditional updates only).
    claimed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # When the handoff entered its state: how long a waiting customer has waited.
    handoff_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    # The conversation's state (the active search, the cards shown, the vehicle in focus).
    dialogue: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ChatMessage(Base):
    """One message of a session: the customer's, the assistant's or an advisor's."""

    __tablename__ = "chat_messages"
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_chat_messages_session_seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[MessageRole] = mapped_column(enum_column(MessageRole, 20))
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[MessageSource | None] = mapped_column(enum_column(MessageSource, 20))
    vehicles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The card of the test drive this reply booked, moved or cancelled (as the customer saw it).
    appointment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    # The advisor who wrote it (role agent); their name is read from the account.
    author_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Transfer(Base):
    """A customer's request for a person (the session's `handoff` says where it stands)."""

    __tablename__ = "transfers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdempotencyRecord(Base):
    """The first result of a message sent with an Idempotency-Key, for its replays."""

    __tablename__ = "idempotency_records"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[IdempotencyState] = mapped_column(
        enum_column(IdempotencyState, 10), default=IdempotencyState.PENDING
    )
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Lead(Base):
    """A customer who left a name and phone for a salesperson: one per dealer and phone."""

    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("dealer_id", "phone_e164", name="uq_leads_dealer_phone"),
        Index("ix_leads_dealer_status", "dealer_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"))
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(120))
    phone_e164: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    vehicle_id: Mapped[str | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    interest: Mapped[LeadInterest] = mapped_column(enum_column(LeadInterest, 20))
    status: Mapped[LeadStatus] = mapped_column(enum_column(LeadStatus, 20), default=LeadStatus.NEW)
    notes: Mapped[str | None] = mapped_column(Text)
    # The consent sentence exactly as the customer was shown it.
    consent: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Appointment(Base):
    """A test drive booked for one slot; its claims hold the minutes it occupies."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_dealer_start", "dealer_id", "start"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"))
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="SET NULL")
    )
    lead_id: Mapped[str | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"))
    vehicle_id: Mapped[str | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[AppointmentStatus] = mapped_column(
        enum_column(AppointmentStatus, 20), default=AppointmentStatus.BOOKED
    )
    name: Mapped[str] = mapped_column(String(120))
    phone_e164: Mapped[str] = mapped_column(String(20))
    # Only a hash of the calendar link's token is stored, as for session tokens.
    ics_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The calendar file's SEQUENCE: raised by each reschedule and the cancellation. It is also
    # the row's version: an update made from a stale read (a booking cancelled meanwhile)
    # matches no row and fails, instead of moving a cancelled booking back onto the grid.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": sequence, "version_id_generator": False}


class AppointmentClaim(Base):
    """One minute of a booked test drive, on one of its slot's seats (and of its vehicle).

    The database itself refuses a second claim of a seat, or of a vehicle, in the same minute:
    two customers racing for the last seat can't both win, and bookings made under different
    slot lengths or opening hours (the profile changed in between) still can't overlap beyond
    the capacity, since they are compared minute by minute, not by their start. A booking's
    claims exist while it is booked: cancelling deletes them.
    """

    __tablename__ = "appointment_claims"
    __table_args__ = (
        UniqueConstraint("dealer_id", "minute", "seat", name="uq_appointment_claims_seat"),
        Index(
            "uq_appointment_claims_vehicle",
            "vehicle_id",
            "minute",
            unique=True,
            sqlite_where=text("vehicle_id IS NOT NULL"),
            postgresql_where=text("vehicle_id IS NOT NULL"),
        ),
    )

    appointment_id: Mapped[str] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    # Minutes since 1970-01-01 00:00 UTC.
    minute: Mapped[int] = mapped_column(Integer, primary_key=True)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"))
    seat: Mapped[int] = mapped_column(Integer)
    vehicle_id: Mapped[str | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))


class OutboxEvent(Base):
    """An event for the dealer's webhook, written in the same transaction as what it reports."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_state_due", "state", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("dealers.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState, 20), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class User(Base):
    """A dealer's advisor or manager, or an operator (admin, the only role without a dealer)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("dealer_id IS NOT NULL OR role = 'admin'", name="dealer_unless_admin"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dealer_id: Mapped[str | None] = mapped_column(
        ForeignKey("dealers.id", ondelete="CASCADE"), index=True
    )
    # Stored lower-cased: the unique index makes addresses unique whatever their case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, 20))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, with its parameters
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RefreshToken(Base):
    """One refresh token of a login; each use replaces it with the next of its family.

    A family is one login: its access tokens carry the family's id (`sid`), so revoking the
    family (logout, a replayed token, the user disabled) ends them too.
    """

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    # Only a hash is stored, as for session tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_by: Mapped[str | None] = mapped_column(String(36))

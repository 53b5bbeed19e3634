"""Every query on leads: the upsert by dealer and phone, the scoped reads, the listings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.leads.domain import Lead, LeadFilter, LeadVehicle, LeadView
from okla.chatbot.models import Dealer, Vehicle
from okla.chatbot.models import Lead as LeadRow


class LeadRepository:
    """Read and write leads within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def dealer(self, dealer_id: str) -> Dealer | None:
        """Return a dealer by id."""
        return await self.session.get(Dealer, dealer_id)

    async def dealer_by_slug(self, slug: str) -> Dealer | None:
        """Return a dealer by slug."""
        return await self.session.scalar(select(Dealer).where(Dealer.slug == slug))

    async def vehicle(self, dealer_id: str, vehicle_id: str) -> Vehicle | None:
        """Return one of this dealer's vehicles (None if it is another dealer's, or gone)."""
        return await self.session.scalar(
            select(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.dealer_id == dealer_id)
        )

    async def by_phone(self, dealer_id: str, phone_e164: str) -> LeadRow | None:
        """Return the dealer's lead for a phone number, locked for the caller's update."""
        return await self.session.scalar(
            select(LeadRow)
            .where(LeadRow.dealer_id == dealer_id, LeadRow.phone_e164 == phone_e164)
            .with_for_update()
        )

    async def get(self, lead_id: str, dealer_id: str | None) -> LeadRow | None:
        """Return a lead by id, only if it is of `dealer_id` (any dealer's when None)."""
        query = select(LeadRow).where(LeadRow.id == lead_id)
        if dealer_id is not None:
            query = query.where(LeadRow.dealer_id == dealer_id)
        return await self.session.scalar(query.with_for_update())

    def add(self, row: LeadRow) -> None:
        """Stage a new lead."""
        self.session.add(row)

    async def view(self, row: LeadRow) -> LeadView:
        """Return a lead with its dealer and vehicle."""
        dealer = await self.session.get(Dealer, row.dealer_id)
        assert dealer is not None  # the foreign key guarantees it
        vehicle = None
        if row.vehicle_id is not None:
            vehicle = await self.session.get(Vehicle, row.vehicle_id)
        return _view(row, dealer, vehicle)

    async def listing(self, where: LeadFilter) -> list[LeadView]:
        """Return the leads a filter selects, most recently created or updated first."""
        query = (
            select(LeadRow, Dealer, Vehicle)
            .join(Dealer, Dealer.id == LeadRow.dealer_id)
            .outerjoin(Vehicle, Vehicle.id == LeadRow.vehicle_id)
        )
        if where.dealer_id is not None:
            query = query.where(LeadRow.dealer_id == where.dealer_id)
        if where.status is not None:
            query = query.where(LeadRow.status == where.status)
        if where.since is not None:
            query = query.where(LeadRow.updated_at >= where.since)
        query = query.order_by(LeadRow.updated_at.desc(), LeadRow.id.desc()).limit(where.limit)
        rows = (await self.session.execute(query)).all()
        return [_view(lead, dealer, vehicle) for lead, dealer, vehicle in rows]


def lead_of(row: LeadRow, *, created: bool = False) -> Lead:
    """Return the domain record of a stored lead."""
    return Lead(
        id=row.id,
        dealer_id=row.dealer_id,
        session_id=row.session_id,
        name=row.name,
        phone_e164=row.phone_e164,
        email=row.email,
        vehicle_id=row.vehicle_id,
        interest=row.interest,
        status=row.status,
        notes=row.notes,
        consent=row.consent,
        created_at=row.created_at,
        updated_at=row.updated_at,
        created=created,
    )


def vehicle_of(row: Vehicle) -> LeadVehicle:
    """Return what a lead shows of a stored vehicle."""
    return LeadVehicle(
        id=row.id,
        stock_number=row.stock_number,
        year=row.year,
        make=row.make,
        model=row.model,
        trim=row.trim,
        price=row.price,
        currency=row.currency,
        mileage_km=row.mileage_km,
        url=row.url,
    )


def _view(row: LeadRow, dealer: Dealer, vehicle: Vehicle | None) -> LeadView:
    return LeadView(
        lead=lead_of(row),
        dealer_slug=dealer.slug,
        dealer_name=dealer.name,
        dealer_phone=dealer.phone,
        vehicle=None if vehicle is None else vehicle_of(vehicle),
    )

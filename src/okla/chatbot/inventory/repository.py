"""Queries on dealers and their stock."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.inventory.demo import DealerSeed, VehicleRow
from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.inventory.query import Catalog
from okla.chatbot.models import Dealer, Vehicle


def to_card(vehicle: Vehicle) -> VehicleCard:
    """Build the customer-facing card of a stored vehicle."""
    return VehicleCard(
        id=vehicle.id,
        make=vehicle.make,
        model=vehicle.model,
        year=vehicle.year,
        trim=vehicle.trim,
        price=vehicle.price,
        currency=vehicle.currency,
        body_type=BodyType(vehicle.body_type),
        mileage_km=vehicle.mileage_km,
        fuel=Fuel(vehicle.fuel),
        transmission=Transmission(vehicle.transmission),
        url=vehicle.url,
        image_url=vehicle.image_url,
        status=VehicleStatus(vehicle.status),
    )


class InventoryRepository:
    """Read and write dealers and vehicles within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def dealer(self, id_or_slug: str) -> Dealer | None:
        """Find a dealer by id or slug."""
        found = await self.session.scalar(select(Dealer).where(Dealer.slug == id_or_slug))
        if found is None:
            found = await self.session.get(Dealer, id_or_slug)
        return found

    async def dealers(self) -> Sequence[Dealer]:
        """List every dealer."""
        return (await self.session.scalars(select(Dealer).order_by(Dealer.name))).all()

    async def catalog(self, dealer_id: str) -> Catalog:
        """Return the makes and models of the dealer's whole stock, sold ones included."""
        rows = (
            await self.session.execute(
                select(Vehicle.make, Vehicle.model).where(Vehicle.dealer_id == dealer_id).distinct()
            )
        ).all()
        return Catalog(
            makes=frozenset(make for make, _ in rows),
            models={model: make for make, model in rows},
        )

    async def all_models(self) -> frozenset[str]:
        """Return the models of every dealer's stock."""
        return frozenset((await self.session.scalars(select(Vehicle.model).distinct())).all())

    def _matching(self, dealer_id: str, query: VehicleQuery) -> Select[Vehicle]:
        stmt = select(Vehicle).where(Vehicle.dealer_id == dealer_id)
        if query.makes:
            stmt = stmt.where(Vehicle.make.in_(sorted(query.makes)))
        if query.models:
            stmt = stmt.where(Vehicle.model.in_(sorted(query.models)))
        if query.year_min is not None:
            stmt = stmt.where(Vehicle.year >= query.year_min)
        if query.year_max is not None:
            stmt = stmt.where(Vehicle.year <= query.year_max)
        if query.price_min is not None:
            stmt = stmt.where(Vehicle.price >= query.price_min)
        if query.price_max is not None:
            stmt = stmt.where(Vehicle.price <= query.price_max)
        if query.body_types:
            stmt = stmt.where(Vehicle.body_type.in_(sorted(b.value for b in query.body_types)))
        if query.fuels:
            stmt = stmt.where(Vehicle.fuel.in_(sorted(f.value for f in query.fuels)))
        if query.transmissions:
            stmt = stmt.where(
                Vehicle.transmission.in_(sorted(t.value for t in query.transmissions))
            )
        if query.seats_min is not None:
            stmt = stmt.where(Vehicle.seats >= query.seats_min)
        return stmt

    async def search(self, dealer_id: str, query: VehicleQuery, limit: int) -> list[VehicleCard]:
        """Return the dealer's available vehicles that match, best first."""
        stmt = self._matching(dealer_id, query).where(
            Vehicle.status == VehicleStatus.AVAILABLE.value
        )
        order = {
            "price_asc": (Vehicle.price.asc(), Vehicle.year.desc()),
            "price_desc": (Vehicle.price.desc(), Vehicle.year.desc()),
            "newest": (Vehicle.year.desc(), Vehicle.price.asc()),
            "relevance": (Vehicle.year.desc(), Vehicle.price.asc()),
        }[query.sort]
        vehicles = (await self.session.scalars(stmt.order_by(*order, Vehicle.id))).all()
        cards = [to_card(v) for v in vehicles]
        if query.is_empty():
            return _diverse(cards, limit)
        return cards[:limit]

    async def unavailable(self, dealer_id: str, query: VehicleQuery) -> list[VehicleCard]:
        """Return sold or reserved vehicles of the make/model the customer named."""
        if not (query.makes or query.models):
            return []
        stmt = self._matching(dealer_id, VehicleQuery(makes=query.makes, models=query.models))
        stmt = stmt.where(Vehicle.status != VehicleStatus.AVAILABLE.value)
        vehicles = (await self.session.scalars(stmt.order_by(Vehicle.year.desc()))).all()
        return [to_card(v) for v in vehicles]

    async def alternatives(
        self, dealer_id: str, query: VehicleQuery, limit: int
    ) -> list[VehicleCard]:
        """Return the available vehicles closest to what was asked, when nothing matches."""
        stmt = select(Vehicle).where(
            Vehicle.dealer_id == dealer_id, Vehicle.status == VehicleStatus.AVAILABLE.value
        )
        cards = [to_card(v) for v in (await self.session.scalars(stmt)).all()]
        cards.sort(key=lambda card: (_distance(card, query), card.price, card.id))
        return cards[:limit]

    async def upsert_dealer(self, seed: DealerSeed) -> Dealer:
        """Create or update a dealer from its seed."""
        dealer = await self.session.scalar(select(Dealer).where(Dealer.slug == seed.slug))
        if dealer is None:
            dealer = Dealer(slug=seed.slug)
            self.session.add(dealer)
        dealer.name = seed.name
        dealer.assistant_name = seed.assistant_name
        dealer.city = seed.city
        dealer.phone = seed.phone
        dealer.website = seed.website
        await self.session.flush()
        return dealer

    async def upsert_vehicles(self, dealer_id: str, rows: Sequence[VehicleRow]) -> tuple[int, int]:
        """Insert or update vehicles by stock number; return (created, updated)."""
        existing = {
            v.stock_number: v
            for v in (
                await self.session.scalars(select(Vehicle).where(Vehicle.dealer_id == dealer_id))
            ).all()
        }
        created = updated = 0
        for row in rows:
            vehicle = existing.get(row.stock_number)
            if vehicle is None:
                vehicle = Vehicle(dealer_id=dealer_id, stock_number=row.stock_number)
                self.session.add(vehicle)
                created += 1
            else:
                updated += 1
            vehicle.make = row.make
            vehicle.model = row.model
            vehicle.year = row.year
            vehicle.trim = row.trim
            vehicle.price = row.price
            vehicle.currency = row.currency
            vehicle.body_type = row.body_type.value
            vehicle.mileage_km = row.mileage_km
            vehicle.fuel = row.fuel.value
            vehicle.transmission = row.transmission.value
            vehicle.color = row.color
            vehicle.seats = row.seats
            vehicle.status = row.status.value
            vehicle.url = row.url
            vehicle.image_url = row.image_url
            vehicle.description = row.description
        await self.session.flush()
        return created, updated


def _diverse(cards: list[VehicleCard], limit: int) -> list[VehicleCard]:
    """Pick across body types, so 'what do you have?' shows the range of the stock."""
    by_body: dict[BodyType, list[VehicleCard]] = {}
    for card in cards:
        by_body.setdefault(card.body_type, []).append(card)
    picked: list[VehicleCard] = []
    while len(picked) < limit and any(by_body.values()):
        for body in sorted(by_body, key=lambda b: -len(by_body[b])):
            if by_body[body] and len(picked) < limit:
                picked.append(by_body[body].pop(0))
    return picked


def _distance(card: VehicleCard, query: VehicleQuery) -> float:
    """Score how far a vehicle is from the query (0 = matches)."""
    score = 0.0
    if query.models and card.model not in query.models:
        score += 2
    if query.makes and card.make not in query.makes:
        score += 3
    if query.body_types and card.body_type not in query.body_types:
        score += 4
    if query.fuels and card.fuel not in query.fuels:
        score += 1
    if query.transmissions and card.transmission not in query.transmissions:
        score += 1
    if query.price_max is not None and card.price > query.price_max:
        score += 5 * (card.price - query.price_max) / query.price_max
    if query.price_min is not None and card.price < query.price_min:
        score += 5 * (query.price_min - card.price) / query.price_min
    if query.year_min is not None and card.year < query.year_min:
        score += (query.year_min - card.year) / 2
    if query.year_max is not None and card.year > query.year_max:
        score += (card.year - query.year_max) / 2
    return score

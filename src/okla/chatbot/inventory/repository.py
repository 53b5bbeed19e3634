"""Queries on dealers and their stock.

A search filters in SQL on every field of `VehicleQuery` but colour: a colour family is read
from the dealer's own words ("Blanco perla", "Negro zafiro") by `vocabulary.color_of`, which
folds accents and takes the first colour word, and SQL can't do that the same way on SQLite
and PostgreSQL. Colours are therefore filtered in Python, on the rows the SQL query returns
(a dealer's stock is small, and every matching row is read anyway to rank or diversify it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from okla.chatbot.inventory.domain import (
    BodyType,
    Catalog,
    Currency,
    DealerSeed,
    VehicleCard,
    VehicleQuery,
    VehicleRecord,
    VehicleStatus,
)
from okla.chatbot.models import Dealer, Vehicle
from okla.chatbot.text.vocabulary import color_of

# The domain's field names are the table's column names.
_CARD_FIELDS = tuple(f.name for f in fields(VehicleCard))
_RECORD_FIELDS = tuple(f.name for f in fields(VehicleRecord))
_SEED_FIELDS = tuple(f.name for f in fields(DealerSeed))


def to_card(vehicle: Vehicle) -> VehicleCard:
    """Build the customer-facing card of a stored vehicle."""
    return VehicleCard(**{name: getattr(vehicle, name) for name in _CARD_FIELDS})


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

    def _matching(
        self,
        dealer_id: str,
        query: VehicleQuery,
        *,
        exclude_ids: frozenset[str] = frozenset(),
        usd_to_dop: float | None = None,
    ) -> Select[Vehicle]:
        """Select the dealer's vehicles that meet every constraint of the query but colour."""
        if query.price_currency is not Currency.DOP:
            if usd_to_dop is None:
                raise ValueError("a budget in dollars needs usd_to_dop (or search.find)")
            query = query.in_pesos(usd_to_dop)
        stmt = select(Vehicle).where(Vehicle.dealer_id == dealer_id)
        one_of: list[tuple[InstrumentedAttribute[Any], frozenset[Any]]] = [
            (Vehicle.make, query.makes),
            (Vehicle.model, query.models),
            (Vehicle.body_type, query.body_types),
            (Vehicle.fuel, query.fuels),
            (Vehicle.transmission, query.transmissions),
            # A vehicle whose drivetrain nobody gave (NULL) is not one the customer asked for.
            (Vehicle.drivetrain, query.drivetrains),
        ]
        for column, wanted in one_of:
            if wanted:
                stmt = stmt.where(column.in_(sorted(wanted)))
        # An exclusion may name a make as the market spells it: compared without case.
        none_of = [(Vehicle.make, query.exclude_makes), (Vehicle.model, query.exclude_models)]
        for column, unwanted in none_of:
            if unwanted:
                stmt = stmt.where(func.lower(column).not_in(sorted(u.lower() for u in unwanted)))
        if query.year_min is not None:
            stmt = stmt.where(Vehicle.year >= query.year_min)
        if query.year_max is not None:
            stmt = stmt.where(Vehicle.year <= query.year_max)
        price = _pesos(usd_to_dop)
        if query.price_min is not None:
            stmt = stmt.where(price >= query.price_min)
        if query.price_max is not None:
            stmt = stmt.where(price <= query.price_max)
        if query.seats_min is not None:
            stmt = stmt.where(Vehicle.seats >= query.seats_min)
        if query.mileage_max is not None:
            stmt = stmt.where(Vehicle.mileage_km <= query.mileage_max)
        if exclude_ids:
            stmt = stmt.where(Vehicle.id.not_in(sorted(exclude_ids)))
        return stmt

    async def matching(
        self,
        dealer_id: str,
        query: VehicleQuery,
        *,
        exclude_ids: frozenset[str] = frozenset(),
        usd_to_dop: float | None = None,
    ) -> list[VehicleCard]:
        """Return every available vehicle of the dealer that matches, in the query's order.

        `exclude_ids` are vehicles not to return (those already shown). `usd_to_dop` converts
        a budget in dollars, and compares vehicles priced in dollars in pesos; without it a
        price is compared as it is stored, whatever its currency.
        """
        stmt = self._matching(dealer_id, query, exclude_ids=exclude_ids, usd_to_dop=usd_to_dop)
        stmt = stmt.where(Vehicle.status == VehicleStatus.AVAILABLE)
        price = _pesos(usd_to_dop)
        order = {
            "price_asc": (price.asc(), Vehicle.year.desc()),
            "price_desc": (price.desc(), Vehicle.year.desc()),
            "newest": (Vehicle.year.desc(), price.asc()),
            "mileage_asc": (Vehicle.mileage_km.asc(), price.asc()),
            "relevance": (Vehicle.year.desc(), price.asc()),
        }[query.sort]
        vehicles = (await self.session.scalars(stmt.order_by(*order, Vehicle.id))).all()
        cards = [to_card(v) for v in vehicles]
        if query.colors:
            cards = [card for card in cards if color_of(card.color) in query.colors]
        return cards

    async def search(
        self,
        dealer_id: str,
        query: VehicleQuery,
        limit: int,
        *,
        exclude_ids: frozenset[str] = frozenset(),
        usd_to_dop: float | None = None,
    ) -> list[VehicleCard]:
        """Return the dealer's available vehicles that match, best first (see `matching`)."""
        cards = await self.matching(
            dealer_id, query, exclude_ids=exclude_ids, usd_to_dop=usd_to_dop
        )
        if query.is_empty() and query.sort == "relevance":
            return _diverse(cards, limit)  # "¿qué tienes?": the range of the stock
        return cards[:limit]

    async def unavailable(self, dealer_id: str, query: VehicleQuery) -> list[VehicleCard]:
        """Return sold or reserved vehicles of the make/model the customer named."""
        if not (query.makes or query.models):
            return []
        stmt = self._matching(dealer_id, VehicleQuery(makes=query.makes, models=query.models))
        stmt = stmt.where(Vehicle.status != VehicleStatus.AVAILABLE)
        vehicles = (await self.session.scalars(stmt.order_by(Vehicle.year.desc()))).all()
        return [to_card(v) for v in vehicles]

    async def cards(self, dealer_id: str, ids: Sequence[str]) -> list[VehicleCard]:
        """Return the dealer's vehicles with these ids, in the order given (missing: left out)."""
        if not ids:
            return []
        stmt = select(Vehicle).where(Vehicle.dealer_id == dealer_id, Vehicle.id.in_(list(ids)))
        found = {v.id: to_card(v) for v in (await self.session.scalars(stmt)).all()}
        return [found[i] for i in ids if i in found]

    async def upsert_dealer(self, seed: DealerSeed) -> Dealer:
        """Create or update a dealer from its seed."""
        dealer = await self.session.scalar(select(Dealer).where(Dealer.slug == seed.slug))
        if dealer is None:
            dealer = Dealer(slug=seed.slug)
            self.session.add(dealer)
        for name in _SEED_FIELDS:
            setattr(dealer, name, getattr(seed, name))
        await self.session.flush()
        return dealer

    async def upsert_vehicles(
        self, dealer_id: str, records: Sequence[VehicleRecord]
    ) -> tuple[int, int]:
        """Insert or update vehicles by stock number; return (created, updated)."""
        existing = {
            v.stock_number: v
            for v in (
                await self.session.scalars(select(Vehicle).where(Vehicle.dealer_id == dealer_id))
            ).all()
        }
        created = updated = 0
        for record in records:
            vehicle = existing.get(record.stock_number)
            if vehicle is None:
                vehicle = Vehicle(dealer_id=dealer_id)
                self.session.add(vehicle)
                created += 1
            else:
                updated += 1
            for name in _RECORD_FIELDS:
                setattr(vehicle, name, getattr(record, name))
        await self.session.flush()
        return created, updated


def _pesos(usd_to_dop: float | None) -> ColumnElement[int] | ColumnElement[float]:
    """Return a vehicle's price in pesos (as stored, without a rate to convert dollars)."""
    if usd_to_dop is None:
        return Vehicle.price.expression
    return case((Vehicle.currency == "USD", Vehicle.price * usd_to_dop), else_=Vehicle.price)


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

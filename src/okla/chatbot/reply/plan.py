"""Step 3 of a turn: decide how to answer, and fetch from the stock what the answer needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.bookings.schemas import AppointmentOut
from okla.chatbot.chat.gate import Assistant, Turn
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    Currency,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.search import Constraint, constraints_of, find
from okla.chatbot.inventory.service import CatalogCache
from okla.chatbot.llm.client import LlmMessage
from okla.chatbot.reply import focus, prompt, templates
from okla.chatbot.reply.desk import desk_reply, financing_policy
from okla.chatbot.reply.draft import join
from okla.chatbot.reply.guard import GuardContext
from okla.chatbot.reply.pointing import answer_pointing, sorted_by
from okla.chatbot.reply.trace import Trace
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.text.language import Lang
from okla.chatbot.text.vocabulary import MARKET_MAKES
from okla.chatbot.understanding.context import TurnContext
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.intents import Intent
from okla.chatbot.understanding.references import Cheaper, Others
from okla.chatbot.understanding.understand import Understanding


@dataclass(frozen=True)
class TemplateReply:
    """An answer written from templates and the database alone."""

    text: str
    cards: tuple[VehicleCard, ...]
    trace: Trace
    appointment: AppointmentOut | None = None  # the test drive it booked, moved or cancelled


@dataclass(frozen=True)
class ModelReply:
    """An answer the model may word, shown only as far as it passes the guard."""

    messages: tuple[LlmMessage, ...]
    guard: GuardContext
    template: str  # the stock's answer, if the model's can't be shown
    suffix: str  # added to whichever answer is shown (e.g. a financing note)
    cards: tuple[VehicleCard, ...]
    language: Lang
    trace: Trace


Plan = TemplateReply | ModelReply


@dataclass(frozen=True)
class Planner:
    """Turn an understood message into a plan, reading the dealer's stock."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    catalogs: CatalogCache = field(default_factory=CatalogCache)
    clock: Clock = system_clock  # the desk reads opening hours at this moment

    async def plan(
        self,
        turn: Turn,
        context: TurnContext,
        understood: Understanding,
        *,
        callback_follows: bool = False,
    ) -> Plan:
        """Return the template or model reply for this message.

        `callback_follows`: the contact form offers an advisor's call right after this answer,
        so the answer doesn't ask "shall I put you through to an advisor?" as well.
        """
        language = understood.language
        ask = not callback_follows
        if Intent.HUMAN in understood.intents:
            return TemplateReply(templates.human_handoff(language), (), Trace(handoff=True))
        said = understood.said
        if understood.desk:
            # Where the dealer is, its hours, a trade-in: never a stock search, though a
            # question about a vehicle in the same message is answered too.
            return await self._desk(turn, context, understood, ask=ask)
        if Intent.FINANCING in understood.intents and understood.asks_terms and not said.models:
            # "¿Cuánto es lo mínimo de inicial pa una yipeta?": the dealer's terms, if it gave
            # them, and an advisor for the details.
            terms = financing_policy(turn.assistant.profile, language)
            text = templates.financing_reply(language, terms, ask=ask)
            return TemplateReply(text, (), Trace(intents=understood.intents))
        if understood.foreign_makes and not (said.makes or said.models):
            # "¿Tienen algún Ferrari?": a make this dealer doesn't carry is no search for others.
            text = templates.foreign_make_reply(
                understood.foreign_makes, context.catalog.makes, language
            )
            return TemplateReply(text, (), Trace(intents=understood.intents))
        if understood.foreign_models and not said.models:
            # "¿Tienen Accent?", "honda fit hay?": say so, and offer that make's vehicles.
            return await self._foreign_models(turn, understood)
        aside = _aside(understood, turn.assistant, ask=ask)
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            pointed = await self._pointed(inventory, turn, context, understood, aside)
            if pointed is not None:
                return pointed
            if understood.searching or isinstance(understood.reference, Others | Cheaper):
                return await self._search(inventory, turn, context, understood, aside=aside)
        # Not a search: the search the customer was looking at stays as it was.
        trace = Trace(intents=understood.intents)
        text = aside or _small_talk(understood, turn.assistant)
        return TemplateReply(text, (), trace)

    async def _pointed(
        self,
        inventory: InventoryRepository,
        turn: Turn,
        context: TurnContext,
        understood: Understanding,
        aside: str,
    ) -> Plan | None:
        """Answer about the vehicles the message points at ("esa", "la RAV4"), if any."""
        pointed = await answer_pointing(inventory, turn, understood, self.settings.max_cards)
        if pointed is None:
            return None
        return await self._worded(
            inventory,
            turn,
            context,
            understood,
            pointed.cards,
            pointed.text,
            pointed.trace,
            aside=aside,
        )

    async def _foreign_models(self, turn: Turn, understood: Understanding) -> Plan:
        """Say the models named aren't in stock, and show what there is of their makes."""
        makes = frozenset(make for make, _ in understood.foreign_models)
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            same = await inventory.search(
                turn.assistant.dealer_id, VehicleQuery(makes=makes), self.settings.max_cards
            )
        names = sorted(f"{make} {model}" for make, model in understood.foreign_models)
        text = templates.foreign_model_reply(names, same, understood.language)
        trace = (
            _searched(understood, VehicleQuery(makes=makes), same)
            if same
            else Trace(intents=understood.intents)
        )
        return TemplateReply(text, tuple(same), trace)

    async def _desk(
        self, turn: Turn, context: TurnContext, understood: Understanding, *, ask: bool
    ) -> Plan:
        """Answer a question about the dealership, and one about a vehicle if it comes with it."""
        language = understood.language
        text = desk_reply(
            understood.intents,
            turn.assistant,
            language,
            now=self.clock(),
            when=understood.when,
            offer=ask,
        )
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            if understood.facts:
                # "¿Cuánto cuesta la RAV4 y a qué hora abren?"
                pointed = await self._pointed(inventory, turn, context, understood, text)
                if pointed is not None:
                    return pointed
            if _searches_too(understood):
                # "Una yipeta del 2020, que el seguro sube": the search, with the desk's word.
                return await self._search(inventory, turn, context, understood, aside=text)
            # "¿Puedo apartar la CR-V?": say so if the vehicle named can't be had.
            named = VehicleQuery(makes=understood.said.makes, models=understood.said.models)
            gone: list[VehicleCard] = []
            available: list[VehicleCard] = []
            if named.models:
                gone = await inventory.unavailable(turn.assistant.dealer_id, named)
                available = await inventory.search(turn.assistant.dealer_id, named, 1)
        if gone and not available:
            text = join(" ".join(templates.gone_lines(gone, language)), text)
        if available and understood.intents & _ABOUT_ONE_VEHICLE:
            # "¿La Tahoe trae cámara?", "mándame un video de la Carnival": that vehicle, shown.
            card = available[0]
            text = join(templates.vehicle_line(card, language), text)
            return TemplateReply(text, (card,), Trace(intents=understood.intents))
        return TemplateReply(text, (), Trace(intents=understood.intents))

    async def _search(
        self,
        inventory: InventoryRepository,
        turn: Turn,
        context: TurnContext,
        understood: Understanding,
        *,
        aside: str | None = None,
    ) -> Plan:
        """Search the stock; let the model word the answer when there is something to show."""
        language = understood.language
        aside = _aside(understood, turn.assistant) if aside is None else aside
        query = understood.query
        others = isinstance(understood.reference, Others)
        if others and turn.dialogue.search is not None and query.is_empty():
            query = turn.dialogue.search  # "¿tienes otras?": the same search, further on
        if isinstance(understood.reference, Cheaper) and not understood.said.names_a_vehicle():
            query = await _cheaper(inventory, turn, query)
        result = await find(
            inventory,
            turn.assistant.dealer_id,
            query,
            limit=self.settings.max_cards,
            usd_to_dop=self.settings.usd_to_dop,
            exclude_ids=frozenset(turn.dialogue.shown) if others else frozenset(),
            keep=_earlier(turn.dialogue.search, understood),
        )
        trace = _searched(understood, query, result.cards)
        if understood.sort_only and (result.unmet or result.gone) and turn.dialogue.shown:
            # "¿Cuál es la más nueva?" after "no tengo…; las más cercanas son": of those shown.
            ranked = await self._ranked_shown(inventory, turn, understood, query)
            if ranked is not None:
                return await self._worded(
                    inventory, turn, context, understood, *ranked, aside=aside
                )
        if not result.cards or result.unmet or result.gone:
            # Nothing, or nothing quite as asked: the stock's words say what is missing.
            text = templates.search_reply(result, turn.assistant.dealer_name, language)
            return TemplateReply(join(text, aside), result.cards, trace)
        assistant = turn.assistant
        if understood.which and query.sort != "relevance":
            # "¿Cuál es la yipeta de menos millaje?": one vehicle, the first in that order.
            first = result.cards[0]
            # The list stays on the table, in that order, for "y la segunda?".
            trace = _searched(understood, query, result.cards)
            if trace.dialogue is not None:
                trace = replace(trace, dialogue=replace(trace.dialogue, focus=first.id))
            template = focus.best(first, query, understood.facts, language)
            return await self._worded(
                inventory, turn, context, understood, (first,), template, trace, aside=aside
            )
        if understood.sort_only:
            # "Las más baratas": the active search, re-sorted.
            template = focus.ranked(result.cards, query, language, among_shown=False)
        else:
            template = templates.list_reply(
                result.cards,
                result.query,
                assistant.name,
                assistant.dealer_name,
                language,
                others=result.others,
            )
        # The model may not state the converted budget; the note says it on either path.
        note = templates.conversion_note(result, language)
        return await self._worded(
            inventory, turn, context, understood, result.cards, template, trace, note, aside=aside
        )

    async def _ranked_shown(
        self,
        inventory: InventoryRepository,
        turn: Turn,
        understood: Understanding,
        query: VehicleQuery,
    ) -> tuple[tuple[VehicleCard, ...], str, Trace] | None:
        """Order the cards shown as asked: the one first ("¿cuál…?"), or all of them."""
        shown = await inventory.cards(turn.assistant.dealer_id, turn.dialogue.shown)
        ordered = sorted_by([c for c in shown if c.status == VehicleStatus.AVAILABLE], query)
        if not ordered:
            return None
        ids = tuple(card.id for card in ordered)
        state = replace(turn.dialogue, search=query, shown=ids, focus=ids[0])
        trace = Trace(intents=understood.intents, query=query, dialogue=state)
        language = understood.language
        if understood.which or len(ordered) == 1:
            first = ordered[0]
            return (first,), focus.best(first, query, understood.facts, language), trace
        return tuple(ordered), focus.ranked(ordered, query, language), trace

    async def _worded(
        self,
        inventory: InventoryRepository,
        turn: Turn,
        context: TurnContext,
        understood: Understanding,
        cards: Sequence[VehicleCard],
        template: str,
        trace: Trace,
        note: str = "",
        *,
        aside: str | None = None,
    ) -> ModelReply:
        """Let the model word an answer about these cards; the template stands in for it."""
        language = understood.language
        # A model named by another dealer's stock is still not one of ours to offer.
        known_models = frozenset(context.catalog.models) | await self.catalogs.all_models(inventory)
        assistant = turn.assistant
        system = prompt.persona(assistant.name, assistant.dealer_name, assistant.city, language)
        guard = GuardContext(
            cards=cards,
            known_makes=MARKET_MAKES | context.catalog.makes,
            known_models=known_models,
            question=turn.text,
            language=language,
            system_prompt=system,
            profile=assistant.profile,
        )
        messages = prompt.build_messages(
            system, context.history, turn.text, cards, self.settings.history_token_budget
        )
        suffix = join(note, _aside(understood, assistant) if aside is None else aside)
        return ModelReply(tuple(messages), guard, template, suffix, tuple(cards), language, trace)


async def _cheaper(inventory: InventoryRepository, turn: Turn, query: VehicleQuery) -> VehicleQuery:
    """Turn "¿y más baratas?" into the active search below the cheapest vehicle shown."""
    shown = await inventory.cards(turn.assistant.dealer_id, turn.dialogue.shown)
    base = turn.dialogue.search or query
    if not shown:
        return replace(base, sort="price_asc")
    below = min(card.price for card in shown) - 1
    return replace(
        base, price_min=None, price_max=below, price_currency=Currency.DOP, sort="relevance"
    )


def _earlier(previous: VehicleQuery | None, understood: Understanding) -> frozenset[Constraint]:
    """Return what a follow-up keeps of the search it narrows: the constraints said before.

    "¿y automática?" after "pickup 4x4 diésel" that the stock can't meet is the automatic one
    missing, not the 4x4 dropped for it.
    """
    said = understood.said
    if previous is None or said.is_empty() or understood.query == said:
        return frozenset()  # a new search, or a sort or "¿tienes otras?" of the same one
    return constraints_of(previous) - constraints_of(said)


def _searched(
    understood: Understanding, query: VehicleQuery, shown: Sequence[VehicleCard]
) -> Trace:
    """Trace a search, and make it the conversation's active one."""
    ids = tuple(card.id for card in shown)
    dialogue = DialogueState(search=query, shown=ids, focus=ids[0] if len(ids) == 1 else None)
    return Trace(intents=understood.intents, query=query, dialogue=dialogue)


# Desk questions about one vehicle's equipment, pictures or history: the vehicle is shown with
# the answer.
_ABOUT_ONE_VEHICLE = frozenset({Intent.FEATURES, Intent.PHOTOS, Intent.HISTORY})
# Desk questions that never come with a search: the customer's own car, motorcycles.
_NO_SEARCH = frozenset({Intent.TRADE_IN, Intent.MOTORCYCLE, Intent.BOT})


def _searches_too(understood: Understanding) -> bool:
    """Tell whether a desk question also asks for vehicles of a kind ("yipeta del 2020")."""
    said = understood.said
    if said.models or understood.intents & _NO_SEARCH:
        return False
    # "el carro" of "¿se puede probar el carro?" is any vehicle: no kind.
    kind = bool(said.body_types) and said.body_types != CAR_BODIES
    limits = any(
        value is not None
        for value in (said.price_max, said.price_min, said.year_min, said.year_max)
    )
    return (kind or limits) and (Intent.SEARCH in understood.intents or (kind and limits))


def _aside(understood: Understanding, assistant: Assistant, *, ask: bool = True) -> str:
    """Answer what comes with a search but isn't one: financing, a lower price."""
    if Intent.FINANCING in understood.intents:
        terms = financing_policy(assistant.profile, understood.language)
        return templates.financing_reply(understood.language, terms, ask=ask)
    if Intent.DISCOUNT in understood.intents:
        return templates.discount_reply(understood.language)
    return ""


def _small_talk(understood: Understanding, assistant: Assistant) -> str:
    language = understood.language
    if Intent.GREETING in understood.intents:
        return templates.greeting(assistant.name, assistant.dealer_name, language)
    if Intent.THANKS in understood.intents:
        return templates.thanks_reply(language)
    if Intent.GOODBYE in understood.intents:
        return templates.goodbye_reply(language)
    return templates.other_reply(language)

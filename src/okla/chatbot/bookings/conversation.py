"""Test drives booked in the chat: a step of the turn, before the contact form and the planner.

"Quiero agendar una prueba de manejo el sábado", "¿puedo ir a ver la Bronco mañana a las 10?",
then "la primera" or "a las 10"; later "mejor a las 11" or "cancela la cita". The wanted time is
read in the dealer's time zone at the turn's clock (`when.py`). A day, or a part of one, without
an hour gets that window's free starts to pick from; a time that can't be booked gets the reason
and the next free starts. The vehicle is the one named, else the one in focus, else none (the
customer picks it at the dealer's). The name and phone are asked for with the contact form's
consent sentence and read by the contact form (`ContactForm.collect`); once they are complete
the slot is booked and a TestDrive lead stored for the salesperson. A date alone ("el sábado")
is a booking's answer only while the bot waits for one (`AwaitingTime` in the dialogue).

    read(turn, understood) -> BookingAnswer   this step answers the message (with the
                                              appointment's card when it booked, moved or
                                              cancelled one)
                            | NoBooking       no booking matter: the contact form and the
                                              planner answer it
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.bookings import phrases, slots
from okla.chatbot.bookings.domain import (
    AppointmentView,
    AwaitingTime,
    Booked,
    PartOfDay,
    Refused,
)
from okla.chatbot.bookings.schemas import AppointmentOut
from okla.chatbot.bookings.service import BookingService
from okla.chatbot.bookings.when import (
    DayOnly,
    DayPart,
    Exact,
    PartOnly,
    TimeOnly,
    When,
    read_when,
)
from okla.chatbot.chat.gate import Turn
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.inventory.domain import VehicleCard, VehicleQuery, VehicleStatus
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.leads import phrases as lead_phrases
from okla.chatbot.leads.conversation import (
    ContactForm,
    ContactGiven,
    Declined,
    FormAnswer,
    already_given,
    says_no,
    says_nothing_else,
    says_yes,
)
from okla.chatbot.leads.domain import AwaitingContact, Contact, LeadInterest
from okla.chatbot.reply import templates
from okla.chatbot.reply.desk import desk_reply
from okla.chatbot.reply.draft import join
from okla.chatbot.reply.plan import TemplateReply
from okla.chatbot.reply.trace import Trace
from okla.chatbot.text.fold import fold, spell_out
from okla.chatbot.text.language import Lang
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.intents import DESK_INTENTS, Intent
from okla.chatbot.understanding.references import Ordinal
from okla.chatbot.understanding.understand import Understanding


@dataclass(frozen=True)
class BookingAnswer:
    """This step answers the message itself."""

    plan: TemplateReply


@dataclass(frozen=True)
class NoBooking:
    """No booking matter: the contact form and the planner answer the message."""


BookingStep = BookingAnswer | NoBooking


@dataclass(frozen=True)
class _Message:
    """One message as the booking step reads it."""

    turn: Turn
    understood: Understanding
    now: datetime
    when: When | None  # the time it names, read in the dealer's zone
    current: AppointmentView | None  # the session's booking, if it still stands

    @property
    def profile(self) -> DealerProfile:
        return self.turn.assistant.profile

    @property
    def lang(self) -> Lang:
        return self.understood.language

    @property
    def today(self) -> date:
        return self.profile.local_date(self.now)

    @property
    def state(self) -> DialogueState:
        return self.turn.dialogue

    def besides(self, moving: bool) -> str | None:
        """Return the booking to leave out of the seats taken: the one being moved."""
        return self.current.id if moving and self.current is not None else None


@dataclass(frozen=True)
class BookingForm:
    """Book, move and cancel the session's test drive from what the customer writes."""

    sessions: async_sessionmaker[AsyncSession]
    bookings: BookingService
    contact_form: ContactForm
    clock: Clock = system_clock

    async def read(self, turn: Turn, understood: Understanding) -> BookingStep:
        """Decide whether this step answers the message, and answer it."""
        if not turn.assistant.profile.has_hours:
            return NoBooking()  # no hours to book against: the desk says an advisor confirms
        state = turn.dialogue
        intents = understood.intents
        awaiting = state.awaiting
        waits_time = awaiting if isinstance(awaiting, AwaitingTime) else None
        waits_contact = (
            awaiting
            if isinstance(awaiting, AwaitingContact) and awaiting.start is not None
            else None
        )
        asks = intents & {Intent.VISIT, Intent.CANCEL}
        # With a booking in place, only words of a change ("mejor a las 11") can move it.
        may_move = state.appointment is not None and _MOVE.search(_plain(turn.text)) is not None
        if not (asks or waits_time or waits_contact or may_move):
            return NoBooking()  # most messages: nothing to read from the database
        message = await self._message(turn, understood)
        if Intent.CANCEL in intents:
            return await self._cancel(message)
        if waits_contact is not None:
            answered = await self._contact(message, waits_contact)
            if answered is not None:
                return answered
            if message.when is not None:
                # "mejor el lunes" while the name is awaited: that time instead.
                vehicle = waits_contact.vehicle_id
                return await self._wanted(message, message.when, vehicle, None, moving=False)
        if waits_time is not None:
            answered = await self._offered(message, waits_time)
            if answered is not None:
                return answered
        if Intent.VISIT in intents and not _asks_first(message):
            return await self._visit(message)
        if message.current is not None and message.when is not None and _moves(message):
            # "mejor a las 11": the booking, at another time of its day.
            vehicle = _vehicle_id(message.current)
            day = message.current.start.astimezone(message.profile.zone).date()
            return await self._wanted(message, message.when, vehicle, day, moving=True)
        return NoBooking()

    # -- what the message asks ---------------------------------------------------------------

    async def _message(self, turn: Turn, understood: Understanding) -> _Message:
        now = self.clock()
        when = read_when(turn.text, now, turn.assistant.profile.zone)
        current = None
        if turn.dialogue.appointment is not None:
            upcoming = await self.bookings.upcoming_of(turn.session_id)
            current = next((a for a in upcoming if a.id == turn.dialogue.appointment), None)
        return _Message(turn, understood, now, when, current)

    async def _visit(self, message: _Message) -> BookingAnswer:
        """A visit or a test drive asked for: of the vehicle named, or in focus."""
        if message.current is not None:
            # Asked again with a booking in place: the booking moves.
            vehicle = _vehicle_id(message.current)
            day = message.current.start.astimezone(message.profile.zone).date()
            return await self._wanted(message, message.when, vehicle, day, moving=True)
        card, gone = await self._chosen(message)
        intro = " ".join(templates.gone_lines(gone, message.lang)) if gone and card is None else ""
        vehicle = None if card is None else card.id
        answer = await self._wanted(message, message.when, vehicle, None, moving=False)
        if not intro:
            return answer
        plan = answer.plan
        return BookingAnswer(replace(plan, text=join(intro, plan.text)))

    async def _chosen(self, message: _Message) -> tuple[VehicleCard | None, list[VehicleCard]]:
        """Return the vehicle to test-drive, and those named that can't be (sold, reserved)."""
        understood, state = message.understood, message.state
        dealer = message.turn.assistant.dealer_id
        said = understood.said
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            if said.models:
                named = VehicleQuery(makes=said.makes, models=said.models)
                shown = [
                    c
                    for c in await inventory.cards(dealer, state.shown)
                    if c.model in said.models and c.status == VehicleStatus.AVAILABLE
                ]
                found = shown or await inventory.search(dealer, named, 1)
                if found:
                    return found[0], []
                return None, await inventory.unavailable(dealer, named)
            reference = understood.reference
            chosen: VehicleCard | None = None
            if isinstance(reference, Ordinal) and state.shown:
                cards = await inventory.cards(dealer, state.shown)
                if -len(cards) <= reference.position < len(cards):
                    chosen = cards[reference.position]
            elif state.focus is not None:
                cards = await inventory.cards(dealer, [state.focus])
                chosen = cards[0] if cards else None
        if chosen is not None and chosen.status != VehicleStatus.AVAILABLE:
            return None, [chosen]  # sold or reserved since it was shown
        return chosen, []

    # -- the answers -------------------------------------------------------------------------

    async def _wanted(
        self,
        message: _Message,
        when: When | None,
        vehicle: str | None,
        day: date | None,
        *,
        moving: bool,
    ) -> BookingAnswer:
        """Answer a wanted time: book it, or offer what is free then, or ask when."""
        profile = message.profile
        match when:
            case Exact(start=start):
                return await self._at(message, start, vehicle, moving=moving)
            case DayPart(day=on, part=part):
                return await self._window(message, on, part, vehicle, moving=moving)
            case DayOnly(day=on):
                return await self._window(message, on, None, vehicle, moving=moving)
            case TimeOnly(at=at):
                if day is not None:
                    start = at_on(day, at, profile)
                else:
                    start = next_at(profile, at, message.now)
                return await self._at(message, start, vehicle, moving=moving)
            case PartOnly(part=part):
                return await self._window(
                    message, day or message.today, part, vehicle, moving=moving
                )
        starts = await self.bookings.free_starts(
            message.turn.assistant.dealer_id,
            message.now,
            vehicle_id=vehicle,
            besides=message.besides(moving),
        )
        if moving and message.current is not None:
            text = phrases.ask_new_time(message.current.start, starts, profile, message.lang)
        else:
            card = await self._card(message, vehicle)
            drive = _DRIVE.search(_plain(message.turn.text)) is not None
            text = phrases.ask_when(card, starts, profile, message.lang, drive=drive)
        waiting = AwaitingTime(vehicle, starts, None, moving, message.lang)
        return self._say(message, text, replace(message.state, awaiting=waiting))

    async def _window(
        self,
        message: _Message,
        day: date,
        part: PartOfDay | None,
        vehicle: str | None,
        *,
        moving: bool,
    ) -> BookingAnswer:
        """Offer the free starts of a day or a part of it, or say why there are none."""
        profile, lang = message.profile, message.lang
        begin, end = (
            slots.part_window(profile, day, part) if part else slots.day_window(profile, day)
        )
        dealer = message.turn.assistant.dealer_id
        besides = message.besides(moving)
        free = await self.bookings.free_starts(
            dealer, begin, until=end, vehicle_id=vehicle, besides=besides
        )
        if free:
            card = await self._card(message, vehicle)
            text = phrases.window_offer(day, part, free, profile, card, lang)
            waiting = AwaitingTime(vehicle, free, day, moving, lang)
            return self._say(message, text, replace(message.state, awaiting=waiting))
        within = [s for s in slots.slots_on(profile, day) if begin <= s.start < end]
        why = phrases.window_refused(
            day,
            part,
            profile,
            message.today,
            open_then=bool(within),
            past=bool(within) and all(s.start <= message.now for s in within),
            lang=lang,
        )
        others = await self.bookings.free_starts(dealer, begin, vehicle_id=vehicle, besides=besides)
        text = join(why, phrases.alternatives(others, profile, lang))
        waiting = AwaitingTime(vehicle, others, None, moving, lang)
        return self._say(message, text, replace(message.state, awaiting=waiting))

    async def _at(
        self, message: _Message, start: datetime, vehicle: str | None, *, moving: bool
    ) -> BookingAnswer:
        """Book (or move to) one start, asking for the contact first if it is missing."""
        turn = message.turn
        checked = await self.bookings.check(
            turn.assistant.dealer_id, start, vehicle, besides=message.besides(moving)
        )
        if isinstance(checked, Refused):
            return await self._refused(message, checked, start, vehicle, moving=moving)
        if moving and message.current is not None:
            outcome = await self.bookings.reschedule(message.current.id, turn.session_id, start)
            if isinstance(outcome, Refused):
                return await self._refused(message, outcome, start, vehicle, moving=moving)
            return await self._moved(message, outcome)
        contact = self.contact_form.known_contact(turn)
        if contact is not None and contact.complete:
            return await self._book(message, checked.start, vehicle, contact, None)
        lang = message.lang
        shown = lead_phrases.consent(turn.assistant.dealer_name, lang)
        card = await self._card(message, vehicle)
        free = phrases.free_then_contact(checked.start, message.profile, card, lang)
        text = join(f"{free} {shown}", already_given(contact, lang))
        waiting = AwaitingContact(
            LeadInterest.TEST_DRIVE, vehicle, shown, lang, start=checked.start
        )
        return self._say(message, text, replace(message.state, awaiting=waiting, contact=contact))

    async def _book(
        self,
        message: _Message,
        start: datetime,
        vehicle: str | None,
        contact: Contact,
        consent: str | None,
    ) -> BookingAnswer:
        """Book for a known contact, store its lead, and confirm with the card."""
        turn = message.turn
        assert contact.name is not None and contact.phone_e164 is not None
        outcome = await self.bookings.book(
            turn.assistant.dealer_id,
            turn.session_id,
            vehicle,
            start,
            contact.name,
            contact.phone_e164,
        )
        if isinstance(outcome, Refused):
            # Taken since it was found free: the next ones, with the contact kept.
            holding = replace(turn, dialogue=replace(turn.dialogue, contact=contact))
            return await self._refused(
                replace(message, turn=holding), outcome, start, vehicle, moving=False
            )
        card = await self._card(message, vehicle)
        text = phrases.confirmed(
            contact.name, start, message.profile, card, turn.assistant.dealer_name, message.lang
        )
        kept = await self.contact_form.keep_lead(
            turn, contact, LeadInterest.TEST_DRIVE, vehicle, consent, text
        )
        state = replace(
            message.state,
            awaiting=None,
            contact=kept,
            appointment=outcome.appointment.id,
            focus=vehicle or message.state.focus,
        )
        return self._say(message, text, state, await self._shown(outcome))

    async def _moved(self, message: _Message, outcome: Booked) -> BookingAnswer:
        """Confirm a booking moved to another start, with its new card."""
        view = outcome.appointment
        card = await self._card(message, _vehicle_id(view))
        text = phrases.moved(
            view.name,
            view.start,
            message.profile,
            card,
            message.turn.assistant.dealer_name,
            message.lang,
        )
        state = replace(message.state, awaiting=None, appointment=view.id)
        return self._say(message, text, state, await self._shown(outcome))

    async def _refused(
        self,
        message: _Message,
        refused: Refused,
        start: datetime,
        vehicle: str | None,
        *,
        moving: bool,
    ) -> BookingAnswer:
        """Say why a start can't be had, and offer the free ones nearest to it."""
        profile, lang = message.profile, message.lang
        card = await self._card(message, vehicle)
        why = phrases.refused(refused.reason, start, profile, message.today, card, lang)
        day = start.astimezone(profile.zone).date()
        begin, end = slots.day_window(profile, day)
        # "el sábado a las 4" (closed by then): the sábado's free hours first, if it has any.
        same_day = await self.bookings.free_starts(
            message.turn.assistant.dealer_id,
            begin,
            until=end,
            vehicle_id=vehicle,
            besides=message.besides(moving),
            count=len(slots.slots_on(profile, day)),
        )
        nearest = sorted(same_day, key=lambda s: abs(s - start))[: slots.ALTERNATIVES]
        offered = tuple(sorted(nearest)) or refused.alternatives
        text = join(why, phrases.alternatives(offered, profile, lang))
        waiting = AwaitingTime(vehicle, offered, day, moving, lang)
        return self._say(message, text, replace(message.state, awaiting=waiting))

    async def _cancel(self, message: _Message) -> BookingAnswer:
        """Cancel the session's booking, or drop one under way, or say there is none."""
        state, lang = message.state, message.lang
        if message.current is not None:
            view = await self.bookings.cancel(message.current.id, message.turn.session_id)
            vehicle = await self._card(message, _vehicle_id(view))
            text = phrases.cancelled(view, message.profile, vehicle, lang)
            card = await self.bookings.card(view, None)
            return self._say(message, text, replace(state, awaiting=None, appointment=None), card)
        if _books(state):
            return self._say(message, phrases.dropped(lang), replace(state, awaiting=None))
        return self._say(message, phrases.nothing_to_cancel(lang), replace(state, awaiting=None))

    async def _contact(self, message: _Message, waiting: AwaitingContact) -> BookingStep | None:
        """Read the name and phone a booking waits for; book once they are complete."""
        assert waiting.start is not None
        collected = await self.contact_form.collect(message.turn, message.understood, waiting)
        if collected is None:
            return None
        if isinstance(collected, FormAnswer):
            return BookingAnswer(collected.plan)  # what is still missing, or a bad number
        if isinstance(collected, Declined):
            state = replace(message.state, awaiting=None, contact=collected.kept)
            return self._say(message, phrases.dropped(waiting.language), state)
        assert isinstance(collected, ContactGiven)
        # The language of the question: "Ana 809…" shows none.
        asked = replace(message.understood, language=waiting.language)
        message = replace(message, understood=asked)
        return await self._book(
            message, waiting.start, waiting.vehicle_id, collected.contact, waiting.consent
        )

    async def _offered(self, message: _Message, waiting: AwaitingTime) -> BookingStep | None:
        """Read the answer to the starts offered: one of them, another time, or a no."""
        lang = message.lang
        profile = message.profile
        # "la de las 2" names an hour among those offered.
        when = message.when or read_when(
            _THE_ONE_AT.sub("a ", _plain(message.turn.text)), message.now, profile.zone
        )
        picked = _pick(message.turn.text, when, waiting.offered, profile)
        if isinstance(picked, datetime):
            return await self._at(message, picked, waiting.vehicle_id, moving=waiting.moving)
        if isinstance(picked, _Which):
            text = phrases.which_one(waiting.offered, message.profile, lang)
            return self._say(message, text, message.state)
        only = says_nothing_else(message.understood)
        if when is None and only and says_no(message.turn.text):
            return self._say(message, phrases.dropped(lang), replace(message.state, awaiting=None))
        if when is None and _NONE_SUITS.search(_plain(message.turn.text)):
            waiting = replace(waiting, offered=())
            text = phrases.other_day(lang)
            return self._say(message, text, replace(message.state, awaiting=waiting))
        if when is not None:
            return await self._wanted(
                message, when, waiting.vehicle_id, waiting.day, moving=waiting.moving
            )
        return None

    # -- helpers -----------------------------------------------------------------------------

    async def _card(self, message: _Message, vehicle: str | None) -> VehicleCard | None:
        if vehicle is None:
            return None
        async with self.sessions() as db:
            cards = await InventoryRepository(db).cards(message.turn.assistant.dealer_id, [vehicle])
        return cards[0] if cards else None

    async def _shown(self, outcome: Booked) -> AppointmentOut:
        return await self.bookings.card(outcome.appointment, outcome.ics_token)

    def _say(
        self,
        message: _Message,
        text: str,
        state: DialogueState,
        card: AppointmentOut | None = None,
    ) -> BookingAnswer:
        """Answer with a text (after the desk's answers to what else was asked)."""
        understood = message.understood
        others = understood.intents & DESK_INTENTS - {Intent.VISIT, Intent.CANCEL}
        desk = ""
        if others:
            # "¿Dónde están? Quiero ir mañana a las 10": the address, then the booking.
            desk = desk_reply(
                others,
                message.turn.assistant,
                message.lang,
                now=message.now,
                when=understood.when,
                offer=False,
            )
        trace = Trace(intents=understood.intents, dialogue=state)
        return BookingAnswer(TemplateReply(join(desk, text), (), trace, card))


def at_on(day: date, at: time, profile: DealerProfile) -> datetime:
    """Return the instant of an hour on a local date of the dealer."""
    return datetime.combine(day, at, profile.zone)


def next_at(
    profile: DealerProfile, at: time, now: datetime, days: int = slots.SEARCH_DAYS
) -> datetime:
    """Return the next instant at this hour when the dealer is open (else today's or tomorrow's).

    "a las 10" without a day: today if it is still ahead and open, else the next open day.
    """
    today = profile.local_date(now)
    for offset in range(days + 1):
        start = at_on(today + timedelta(days=offset), at, profile)
        if start > now and profile.is_open(start):
            return start
    # Never open then: the first such instant ahead, for the refusal to say why.
    start = at_on(today, at, profile)
    return start if start > now else at_on(today + timedelta(days=1), at, profile)


@dataclass(frozen=True)
class _Which:
    """One of the starts offered is meant, but which can't be told ("sí" to three)."""


Picked = datetime | _Which | None

_ORDINALS = {
    "primera": 0, "primero": 0, "1ra": 0, "1ro": 0, "first": 0, "segunda": 1, "segundo": 1,
    "2da": 1, "2do": 1, "second": 1, "tercera": 2, "tercero": 2, "3ra": 2, "3ro": 2,
    "third": 2, "cuarta": 3, "cuarto": 3, "4ta": 3, "fourth": 3, "quinta": 4, "quinto": 4,
    "fifth": 4, "ultima": -1, "ultimo": -1, "last": -1,
}  # fmt: skip
_ORDINAL = re.compile(
    r"^\W*(?:(?:la|el|the|esa|ese|that)\s+)?(?:opcion\s+|option\s+)?(?P<word>"
    + "|".join(_ORDINALS)
    + r")(?:\s+(?:opcion|option|one|hora|horario))?\b"
)
_NUMBER = re.compile(r"^\W*(?:(?:la|el|opcion|option|numero|number|#)\s*)?(?P<n>[1-9])\W*$")
# "la de las 2" is "a las 2" among the starts offered.
_THE_ONE_AT = re.compile(r"\b(?:la|el|the one)\s+(?:de|at)\s+(?=(?:las?\s+)?\d)")
# None of the starts offered suits the customer.
_NONE_SUITS = re.compile(
    r"\b(?:ningun[oa]?|otro dia|otra hora|otro horario|otra fecha|none of (?:those|them|these)|"
    r"another (?:day|time)|other (?:day|time)|neither)\b"
)
# Words that move a booking: "mejor a las 11", "¿y si la pasamos al lunes?".
_MOVE = re.compile(
    r"\b(?:mejor|cambi\w*|mueve\w*|mover\w*|muev\w*|pas(?:a|ar|arla|arlo|amos|emos|ala|alo)|"
    r"corre\w*|reprogram\w*|en vez|en lugar|y si|instead|move|change|reschedule|rather|better|"
    r"how about|what about)\b"
)
# A test drive, rather than a visit: "prueba de manejo", "probarla", "test drive".
_DRIVE = re.compile(r"\b(?:prueba|probar\w*|pruebo|manejar\w*|maneje|test ?drive|drive)\b")
# An inspection by the customer's mechanic, which the dealer's policy allows or not.
_INSPECTION = re.compile(r"\b(?:mecanic\w*|inspecc\w*|inspeccion\w*|mechanic|inspect\w*)\b")
# What a message may also be when it only moves a booking: "gracias, mejor a las 11".
_SMALL_TALK = frozenset({Intent.OTHER, Intent.GREETING, Intent.THANKS})


def _plain(text: str) -> str:
    return spell_out(fold(text))


def _pick(
    text: str, when: When | None, offered: tuple[datetime, ...], profile: DealerProfile
) -> Picked:
    """Return the start offered that a message picks (None: it picks none of them)."""
    if not offered:
        return None
    plain = _plain(text)
    ordinal = _ORDINAL.search(plain)
    number = _NUMBER.search(plain)
    position = None
    if ordinal is not None:
        position = _ORDINALS[ordinal.group("word")]
    elif number is not None and int(number.group("n")) <= len(offered):
        position = int(number.group("n")) - 1
    if position is not None:
        return offered[position] if -len(offered) <= position < len(offered) else _Which()
    if isinstance(when, TimeOnly):
        same = [s for s in offered if s.astimezone(profile.zone).time() == when.at]
        return same[0] if same else None
    if isinstance(when, Exact):
        return next((s for s in offered if s == when.start), None)
    if when is None and says_yes(text):
        return offered[0] if len(offered) == 1 else _Which()
    return None


def _moves(message: _Message) -> bool:
    """Tell whether a message without a visit's words moves the booking ("mejor a las 11")."""
    understood = message.understood
    return (
        understood.intents <= _SMALL_TALK
        and understood.said.is_empty()
        and _MOVE.search(_plain(message.turn.text)) is not None
    )


def _asks_first(message: _Message) -> bool:
    """Tell whether a visit without a time waits on an answer first: what there is ("quiero
    ir a ver una yipeta, pero antes qué tienen"), or whether a mechanic may inspect it (the
    dealer's policy: the desk has an advisor confirm it)."""
    if message.when is not None:
        return False
    asks_stock = Intent.SEARCH in message.understood.intents
    return asks_stock or _INSPECTION.search(_plain(message.turn.text)) is not None


def _books(state: DialogueState) -> bool:
    """Tell whether a booking is under way (a time or a contact awaited for one)."""
    awaiting = state.awaiting
    return isinstance(awaiting, AwaitingTime) or (
        isinstance(awaiting, AwaitingContact) and awaiting.start is not None
    )


def _vehicle_id(view: AppointmentView) -> str | None:
    return None if view.vehicle is None else view.vehicle.id

"""The contact form inside the chat: a step of the turn between understanding and the reply.

When the customer wants a call back, talks price, financing or a trade-in, or asks for an
advisor while none can take the chat, the bot offers an advisor's call and shows the consent
sentence. The next messages give a name and a phone (an email too, if they like), and the lead
is stored. A customer who says no, or asks something else, gets that answered and the offer is
dropped: nobody is kept in the form. A contact given once is never asked for again in the
session.

    read(turn, understood) -> FormAnswer   the form answers this message on its own
                            | FormFollow   the planner answers it; then `follow` adds the offer
                                           (or, the contact known, the confirmation) and keeps
                                           the form's state in the dialogue

A test drive asks for the contact too (`bookings/conversation.py`, the step before this one):
it reads the answers with `collect` and stores the lead with `keep_lead`, so contacts are read
and consents kept in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.presence import Presence, advisor_available
from okla.chatbot.chat.gate import Turn
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.leads import phrases
from okla.chatbot.leads.domain import AwaitingContact, Contact, LeadInterest
from okla.chatbot.leads.service import LeadService
from okla.chatbot.reply.draft import join
from okla.chatbot.reply.plan import ModelReply, Plan, TemplateReply
from okla.chatbot.reply.trace import Trace
from okla.chatbot.text.contact import ContactInText, display_phone, read_contact
from okla.chatbot.text.fold import fold, spell_out
from okla.chatbot.text.language import Lang
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.intents import Intent
from okla.chatbot.understanding.understand import Understanding


@dataclass(frozen=True)
class FormAnswer:
    """The form answers this message itself: the offer, a question for what is missing, the
    confirmation, or an acknowledged no."""

    plan: TemplateReply


@dataclass(frozen=True)
class FormFollow:
    """The planner answers this message; `offer` (if any) follows its answer."""

    offer: LeadInterest | None  # offer an advisor's call about this (None: no offer)
    contact: Contact | None  # the customer's contact as it stands after this message
    language: Lang


FormStep = FormAnswer | FormFollow


@dataclass(frozen=True)
class ContactGiven:
    """The customer's name and a valid phone are in: the lead (or the booking) can be made."""

    contact: Contact


@dataclass(frozen=True)
class Declined:
    """The customer said no; `kept` is what of their contact the session keeps."""

    kept: Contact | None


# What a message that follows a request for the contact gives: the whole contact, a no, or an
# answer of the form's own (a question for what is missing, a re-ask of a bad number).
Collected = ContactGiven | Declined | FormAnswer


@dataclass(frozen=True)
class ContactForm:
    """Offer an advisor's call, take the customer's contact from their messages, store the lead."""

    sessions: async_sessionmaker[AsyncSession]
    leads: LeadService
    presence: Presence = advisor_available
    clock: Clock = system_clock  # the app's: whether an advisor can take the chat now

    async def read(self, turn: Turn, understood: Understanding) -> FormStep:
        """Decide the form's part in answering this message."""
        state = turn.dialogue
        written = read_contact(turn.text)
        awaiting = state.awaiting
        if awaiting is not None:
            # A contact for a test drive is read by the booking step, which came first.
            if isinstance(awaiting, AwaitingContact) and awaiting.start is None:
                answered = await self._answer_offer(turn, understood, awaiting)
                if answered is not None:
                    return answered
            if _DECLINE.search(_plain(turn.text)):
                # "No gracias, ¿y tienen yipetas?": the question is answered, nothing offered.
                return FormFollow(None, state.contact, understood.language)
        return await self._offer(turn, understood, written)

    async def collect(
        self, turn: Turn, understood: Understanding, awaiting: AwaitingContact
    ) -> Collected | None:
        """Read a message that follows a request for the contact; None when it is about
        something else.

        The contact complete, it is handed on (the caller stores the lead, or books); a no is
        handed on too; anything short of that is answered here (what is missing, a bad number),
        the wait kept as it is.
        """
        lang = awaiting.language
        written = read_contact(turn.text)
        plain = _plain(turn.text)
        only_contact = says_nothing_else(understood)
        phone = written.phone
        gives = (
            (phone is not None and (phone.e164 is not None or only_contact))
            or written.sure_name
            or (only_contact and not written.empty)
            or (only_contact and _NO_EMAIL.search(plain) is not None)
        )
        if not gives:
            if only_contact and _DECLINE.search(plain):
                # Said no: what they began to give is forgotten (a whole contact stays, since
                # its lead is stored already).
                known = turn.dialogue.contact
                return Declined(known if known is not None and known.complete else None)
            if _ACCEPT.fullmatch(plain):
                text = _missing(turn.dialogue.contact, lang) or phrases.ask_both(lang)
                return self._reply(turn, understood, text, awaiting, turn.dialogue.contact)
            return None
        # A bare "Ana" is a name only in a message that says nothing else, not even thanks.
        bare = only_contact and understood.intents <= _NAME_ONLY
        name = written.name if written.sure_name or bare else None
        email = written.email
        contact = (turn.dialogue.contact or Contact()).merged(
            name, phone.e164 if phone else None, email.normalized if email else None
        )
        if phone is not None and phone.e164 is None:
            text = phrases.bad_phone(phone.written, lang)
        elif email is not None and email.normalized is None:
            text = join(phrases.bad_email(email.written, lang), _missing(contact, lang))
        elif contact.complete:
            return ContactGiven(contact)
        else:
            text = _missing(contact, lang) or phrases.ask_both(lang)
        return self._reply(turn, understood, text, awaiting, contact)

    def known_contact(self, turn: Turn) -> Contact | None:
        """Return the session's contact with what this message surely gives ("soy Ana, 829…")."""
        return _sure_contact(turn.dialogue.contact, read_contact(turn.text))

    async def keep_lead(
        self,
        turn: Turn,
        contact: Contact,
        interest: LeadInterest,
        vehicle_id: str | None,
        consent: str | None,
        shown: str,
    ) -> Contact:
        """Store the lead; return the contact with the consent the session keeps for it.

        `consent` is the sentence shown when the contact was asked for; a contact given
        unasked agreed to `shown`, what the confirmation tells them.
        """
        assert contact.name is not None and contact.phone_e164 is not None
        agreed = consent or contact.consent or shown
        await self.leads.capture(
            turn.assistant.dealer_id,
            turn.session_id,
            contact.name,
            contact.phone_e164,
            contact.email,
            vehicle_id,
            interest,
            agreed,
        )
        return replace(contact, consent=agreed)

    async def follow(self, turn: Turn, step: FormFollow, plan: Plan) -> Plan:
        """Add the offer (or the confirmation) to the planner's answer; keep the form's state."""
        before = turn.dialogue
        after = plan.trace.dialogue or before
        contact, awaiting, addition = step.contact, None, ""
        if step.offer is not None:
            vehicle_id = after.focus  # the vehicle this answer is about, or was before
            if contact is not None and contact.complete:
                addition, contact = await self._capture(
                    turn, contact, step.offer, vehicle_id, None, step.language
                )
            else:
                shown = phrases.consent(turn.assistant.dealer_name, step.language)
                addition = join(shown, already_given(contact, step.language))
                awaiting = AwaitingContact(step.offer, vehicle_id, shown, step.language)
        state = replace(after, awaiting=awaiting, contact=contact)
        if not addition and state == before and plan.trace.dialogue is None:
            return plan
        trace = replace(plan.trace, dialogue=state)
        if isinstance(plan, ModelReply):
            return replace(plan, suffix=join(plan.suffix, addition), trace=trace)
        return replace(plan, text=join(plan.text, addition), trace=trace)

    async def _answer_offer(
        self, turn: Turn, understood: Understanding, awaiting: AwaitingContact
    ) -> FormAnswer | None:
        """Read the message that follows the offer; None when it is about something else."""
        lang = awaiting.language
        collected = await self.collect(turn, understood, awaiting)
        if collected is None or isinstance(collected, FormAnswer):
            return collected
        if isinstance(collected, Declined):
            return self._reply(turn, understood, phrases.declined(lang), None, collected.kept)
        text, contact = await self._capture(
            turn,
            collected.contact,
            awaiting.interest,
            awaiting.vehicle_id,
            awaiting.consent,
            lang,
        )
        return self._reply(turn, understood, text, None, contact)

    async def _offer(
        self, turn: Turn, understood: Understanding, written: ContactInText
    ) -> FormStep:
        """Offer an advisor's call when the message calls for one."""
        lang = understood.language
        intents = understood.intents
        # What the customer tells of themselves unasked is kept too ("soy Ana, 829...").
        contact = _sure_contact(turn.dialogue.contact, written)
        topic = next((interest for intent, interest in _TOPICS if intent in intents), None)
        if Intent.CALLBACK in intents:
            intro = phrases.callback_intro(lang)
        elif Intent.HUMAN in intents:
            now = self.clock()
            # The gate read the dealer's row for this turn: its profile is on the assistant.
            profile = turn.assistant.profile
            if self.presence(profile, now):
                return FormFollow(None, contact, lang)  # the planner hands the chat over
            opens = profile.next_opening(now)
            intro = phrases.nobody_available(opens, now, lang)
        else:
            return FormFollow(topic, contact, lang)
        interest = topic or LeadInterest.CALLBACK
        vehicle_id = turn.dialogue.focus
        if contact is not None and contact.complete:
            text, contact = await self._capture(turn, contact, interest, vehicle_id, None, lang)
            return self._reply(turn, understood, join(intro, text), None, contact)
        shown = phrases.consent(turn.assistant.dealer_name, lang)
        text = join(f"{intro} {shown}", already_given(contact, lang))
        awaiting = AwaitingContact(interest, vehicle_id, shown, lang)
        return self._reply(turn, understood, text, awaiting, contact)

    async def _capture(
        self,
        turn: Turn,
        contact: Contact,
        interest: LeadInterest,
        vehicle_id: str | None,
        consent: str | None,
        lang: Lang,
    ) -> tuple[str, Contact]:
        """Store the lead; return the confirmation and the contact as the session keeps it."""
        assert contact.name is not None and contact.phone_e164 is not None
        vehicle = await self._vehicle(turn.assistant.dealer_id, vehicle_id)
        confirmation = phrases.confirmed(
            contact.name,
            display_phone(contact.phone_e164),
            turn.assistant.dealer_name,
            interest,
            vehicle,
            lang,
        )
        vehicle_id = None if vehicle is None else vehicle.id
        kept = await self.keep_lead(turn, contact, interest, vehicle_id, consent, confirmation)
        return confirmation, kept

    async def _vehicle(self, dealer_id: str, vehicle_id: str | None) -> VehicleCard | None:
        if vehicle_id is None:
            return None
        async with self.sessions() as db:
            cards = await InventoryRepository(db).cards(dealer_id, [vehicle_id])
        return cards[0] if cards else None

    @staticmethod
    def _reply(
        turn: Turn,
        understood: Understanding,
        text: str,
        awaiting: AwaitingContact | None,
        contact: Contact | None,
    ) -> FormAnswer:
        state: DialogueState = replace(turn.dialogue, awaiting=awaiting, contact=contact)
        trace = Trace(intents=understood.intents, dialogue=state)
        return FormAnswer(TemplateReply(text, (), trace))


# What a message is about, for the lead, in this order: "¿financian? ¿cuánto es lo menos?"
# is about financing.
_TOPICS = (
    (Intent.FINANCING, LeadInterest.FINANCING),
    (Intent.TRADE_IN, LeadInterest.TRADE_IN),
    (Intent.DISCOUNT, LeadInterest.PRICE),
)
# Intents of a message that may be a name, a phone or a plain yes or no, and nothing more.
_CONTACT_ONLY = frozenset(
    {Intent.OTHER, Intent.GREETING, Intent.THANKS, Intent.CONTACT, Intent.CALLBACK}
)
_NAME_ONLY = frozenset({Intent.OTHER, Intent.CONTACT, Intent.CALLBACK})
_DECLINE = re.compile(
    r"^\W*(?:no+|nah|nop|nope|ahora no|mejor no|despues|luego|mas tarde|en otro momento|"
    r"otro dia|todavia no|aun no|por ahora no|de momento no|not now|maybe later|later|"
    r"no thanks?|no thank you|no need|dejalo|olvidalo|never ?mind)\b"
)
_NO_EMAIL = re.compile(
    r"\b(?:sin (?:correo|email|e-?mail|mail)|no (?:tengo|uso|quiero dar|doy|hace falta(?: el)?) "
    r"(?:correo|email|e-?mail|mail)|no (?:e-?mail|correo)|without (?:an? )?e-?mail|"
    r"skip (?:the )?e-?mail)\b"
)
_ACCEPT = re.compile(
    r"\W*(?:(?:si|ok|okay|oki|dale|claro|perfecto|de acuerdo|va|bueno|esta bien|por favor|"
    r"porfa|yes|yeah|yep|sure|please|listo|como no|seguro|ok dale|claro que si|of course)"
    r"\W*)+"
)


def _plain(text: str) -> str:
    return spell_out(fold(text))


def says_no(text: str) -> bool:
    """Tell whether a message begins with a no ("no gracias", "ahora no", "mejor no")."""
    return _DECLINE.search(_plain(text)) is not None


def says_yes(text: str) -> bool:
    """Tell whether a message is a plain yes and nothing more ("sí", "dale", "ok perfecto")."""
    return _ACCEPT.fullmatch(_plain(text)) is not None


def says_nothing_else(understood: Understanding) -> bool:
    """Tell whether a message asks for nothing the planner would answer (a name, a yes)."""
    return (
        understood.intents <= _CONTACT_ONLY
        and understood.said.is_empty()
        and understood.reference is None
        and not understood.foreign_makes
        and not understood.foreign_models
        and "?" not in understood.text
    )


def _sure_contact(known: Contact | None, written: ContactInText) -> Contact | None:
    """Add what a message surely gives (a valid phone, an introduced name) to the contact."""
    phone = written.phone.e164 if written.phone else None
    name = written.name if written.sure_name else None
    email = written.email.normalized if written.email else None
    if phone is None and name is None and email is None:
        return known
    return (known or Contact()).merged(name, phone, email)


def already_given(contact: Contact | None, lang: Lang) -> str:
    """Say what of the contact the customer gave already ("" when nothing or all of it)."""
    if contact is None:
        return ""
    phone = None if contact.phone_e164 is None else display_phone(contact.phone_e164)
    return phrases.known_part(contact.name, phone, lang)


def _missing(contact: Contact | None, lang: Lang) -> str:
    """Ask for what is still missing of a name and a phone ("" when nothing is)."""
    if contact is None or (contact.name is None and contact.phone_e164 is None):
        return ""
    if contact.name is None:
        return phrases.ask_name(lang)
    if contact.phone_e164 is None:
        return phrases.ask_phone(contact.name, lang)
    return ""

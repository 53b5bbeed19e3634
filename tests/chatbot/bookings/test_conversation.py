"""The booking step on its own: which messages it answers, and the state it leaves.

Each test builds a turn in a given dialogue state and calls `BookingForm.read` directly,
on the demo dealers in memory, at a fixed moment (Monday 30 November 2026, 10:00).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, time

import pytest
from sqlalchemy import update

from okla.chatbot.bookings.conversation import BookingAnswer, BookingForm, NoBooking, next_at
from okla.chatbot.bookings.domain import AppointmentView, AwaitingTime, Booked
from okla.chatbot.bookings.service import BookingService
from okla.chatbot.chat.gate import Turn
from okla.chatbot.inventory.service import CatalogCache
from okla.chatbot.leads.domain import AwaitingContact, Contact
from okla.chatbot.models import ChatSession
from okla.chatbot.understanding.context import load_context
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.understand import Understanding, understand
from tests.utils.bookings import PROFILE, local
from tests.utils.pipeline import Pipeline, pipeline

NOW = local(30, 10, month=11)
SATURDAY = (local(5, 9), local(5, 10), local(5, 11))
ANA = Contact("Ana Gómez", "+18095552222")
EMPTY = DialogueState()


@dataclass(frozen=True)
class CountingBookings(BookingService):
    """The real booking service, counting the reads of a session's bookings."""

    reads: list[str] = field(default_factory=list)

    async def upcoming_of(self, session_id: str) -> list[AppointmentView]:
        self.reads.append(session_id)
        return await super().upcoming_of(session_id)


@dataclass
class Step:
    chat: Pipeline
    form: BookingForm
    bookings: CountingBookings

    async def turn(self, text: str, state: DialogueState = EMPTY) -> Turn:
        """Admit a message in a new session whose dialogue stood at `state`."""
        token = await self.chat.start()
        await self.set_state(token, state)
        return await self.turn_in(token, text)

    async def set_state(self, token: str, state: DialogueState) -> None:
        session_id = (await self.chat.services.session.transcript(token, "t")).session_id
        async with self.chat.sessions() as db:
            await db.execute(
                update(ChatSession)
                .where(ChatSession.id == session_id)
                .values(dialogue=state.to_json())
            )
            await db.commit()

    async def turn_in(self, token: str, text: str) -> Turn:
        admitted = await self.chat.gate.admit(self.chat.request(token, text), None, "t", None)
        assert isinstance(admitted, Turn)
        await self.chat.gate.release(admitted)
        return admitted

    async def read(
        self, text: str, state: DialogueState = EMPTY
    ) -> tuple[NoBooking | BookingAnswer, Turn]:
        turn = await self.turn(text, state)
        return await self.form.read(turn, await self.understood(turn)), turn

    async def understood(self, turn: Turn) -> Understanding:
        context = await load_context(self.chat.sessions, turn, CatalogCache())
        return understand(
            turn.text,
            catalog=context.catalog,
            previous_query=turn.dialogue.search,
            earlier_messages=context.customer_messages,
            today_year=NOW.year,
        )


@pytest.fixture
async def step() -> AsyncIterator[Step]:
    async with pipeline(clock=lambda: NOW, answer_mode="template") as chat:
        real = chat.services.bookings
        bookings = CountingBookings(real.sessions, real.access, real.clock)
        form = BookingForm(chat.sessions, bookings, chat.services.chat.contact_form, lambda: NOW)
        yield Step(chat, form, bookings)


def after(answer: NoBooking | BookingAnswer) -> DialogueState:
    assert isinstance(answer, BookingAnswer)
    state = answer.plan.trace.dialogue
    assert state is not None
    return state


@pytest.mark.parametrize(
    "text",
    ["¿qué yipetas tienen?", "el sábado", "a las 10", "tienen la bronco del 2024?", "hola"],
)
async def test_messages_of_no_booking_pass_without_a_look_at_the_bookings(
    step: Step, text: str
) -> None:
    answer, _ = await step.read(text)
    assert isinstance(answer, NoBooking)
    assert step.bookings.reads == []


@pytest.mark.parametrize(
    "text",
    [
        "puedo llevar mi mecánico pa que la revise?",  # the dealer's policy: the desk's
        "quiero ir a ver una yipeta pero antes quiero saber qué tienen",  # the stock first
    ],
)
async def test_a_visit_that_waits_on_an_answer_first_is_left_to_the_planner(
    step: Step, text: str
) -> None:
    answer, _ = await step.read(text)
    assert isinstance(answer, NoBooking)


async def test_a_visit_with_a_mechanic_at_a_named_time_is_booked(step: Step) -> None:
    answer, _ = await step.read("puedo ir con mi mecánico el sábado a las 10?")
    state = after(answer)
    assert isinstance(state.awaiting, AwaitingContact) and state.awaiting.start == SATURDAY[1]


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        ("quiero hacer una prueba de manejo", "¡Claro! Te agendo una prueba de manejo."),
        ("puedo pasar por ahí?", "¡Claro! ¿Qué día y a qué hora te queda bien para venir?"),
        ("can I book a test drive?", "Sure! Let's book a test drive."),
    ],
)
async def test_a_visit_without_a_time_asks_when_with_the_next_free_starts(
    step: Step, text: str, opening: str
) -> None:
    answer, _ = await step.read(text)
    assert isinstance(answer, BookingAnswer)
    assert answer.plan.text.startswith(opening)
    state = after(answer)
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == (
        local(30, 11, month=11),
        local(30, 12, month=11),
        local(30, 13, month=11),
    )


async def test_a_date_alone_answers_the_question_for_a_time(step: Step) -> None:
    waiting = AwaitingTime(vehicle_id=None, offered=(local(30, 11, month=11),))
    answer, _ = await step.read("el sábado", DialogueState(awaiting=waiting))
    state = after(answer)
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == SATURDAY
    assert state.awaiting.day == local(5, 9).date()


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("la primera", SATURDAY[0]),
        ("la segunda", SATURDAY[1]),
        ("la de las 11", SATURDAY[2]),
        ("a las 10", SATURDAY[1]),
        ("2", SATURDAY[1]),
        ("the first one", SATURDAY[0]),
        ("mejor a las 12", local(5, 12)),  # not offered, but that day and free
    ],
)
async def test_a_pick_among_the_starts_offered_asks_for_the_contact_of_that_start(
    step: Step, text: str, start: datetime
) -> None:
    waiting = AwaitingTime(None, SATURDAY, local(5, 9).date())
    answer, _ = await step.read(text, DialogueState(awaiting=waiting))
    state = after(answer)
    assert isinstance(state.awaiting, AwaitingContact)
    assert state.awaiting.start == start


async def test_none_of_the_starts_asks_for_another_day_and_keeps_waiting(step: Step) -> None:
    waiting = AwaitingTime("v1", SATURDAY, local(5, 9).date())
    answer, _ = await step.read("ninguna de esas", DialogueState(awaiting=waiting))
    state = after(answer)
    assert state.awaiting == AwaitingTime("v1", (), local(5, 9).date())


async def test_a_question_while_a_time_is_awaited_goes_to_the_planner(step: Step) -> None:
    waiting = AwaitingTime(None, SATURDAY, local(5, 9).date())
    answer, _ = await step.read("¿qué yipetas tienen?", DialogueState(awaiting=waiting))
    assert isinstance(answer, NoBooking)


async def test_a_known_contact_books_and_the_state_keeps_the_appointment(step: Step) -> None:
    waiting = AwaitingTime(None, SATURDAY, local(5, 9).date())
    answer, turn = await step.read("la primera", DialogueState(awaiting=waiting, contact=ANA))
    state = after(answer)
    assert isinstance(answer, BookingAnswer) and answer.plan.appointment is not None
    assert state.appointment == answer.plan.appointment.appointment_id
    assert state.awaiting is None and state.contact is not None
    assert state.contact.consent == answer.plan.text  # given unasked: the confirmation shown
    [booked] = await step.chat.services.bookings.upcoming_of(turn.session_id)
    assert booked.start == SATURDAY[0]


async def test_a_move_without_a_booking_in_place_is_no_booking(step: Step) -> None:
    answer, _ = await step.read("mejor a las 11", DialogueState(appointment="gone"))
    assert isinstance(answer, NoBooking)
    assert len(step.bookings.reads) == 1  # the state's appointment was looked for, not found


async def test_a_move_of_the_sessions_booking_keeps_its_day(step: Step) -> None:
    token = await step.chat.start()
    first = await step.turn_in(token, "hola")
    booked = await step.chat.services.bookings.book(
        first.assistant.dealer_id, first.session_id, None, SATURDAY[0], "Ana", "+18095552222"
    )
    assert isinstance(booked, Booked)
    await step.set_state(token, DialogueState(appointment=booked.appointment.id, contact=ANA))
    turn = await step.turn_in(token, "mejor a las 11")
    answer = await step.form.read(turn, await step.understood(turn))
    assert isinstance(answer, BookingAnswer) and answer.plan.appointment is not None
    assert answer.plan.appointment.start == SATURDAY[2]
    assert answer.plan.appointment.appointment_id == booked.appointment.id
    assert after(answer).appointment == booked.appointment.id


@pytest.mark.parametrize(
    ("now", "at", "expected"),
    [
        (NOW, time(11), local(30, 11, month=11)),  # later today
        (NOW, time(9), local(1, 9)),  # passed today: tomorrow
        (local(5, 12), time(15), local(7, 15)),  # Saturday closes at 1, Sunday closed
        (NOW, time(20), local(30, 20, month=11)),  # never open then: today's, to say why
        (local(30, 21, month=11), time(20), local(1, 20)),
    ],
)
def test_an_hour_without_a_day_is_the_next_open_one(
    now: datetime, at: time, expected: datetime
) -> None:
    assert next_at(PROFILE, at, now) == expected

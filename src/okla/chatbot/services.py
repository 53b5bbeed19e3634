"""The service objects of one app, wired once from its resources (the app's lifespan does it)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.service import AdvisorService
from okla.chatbot.advisors.waiting import Waiting
from okla.chatbot.bookings.conversation import BookingForm
from okla.chatbot.bookings.service import BookingService
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.access import SessionAccess
from okla.chatbot.chat.gate import TurnGate
from okla.chatbot.chat.service import ChatService
from okla.chatbot.chat.sessions import SessionService
from okla.chatbot.chat.store import ReplyStore
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.dealers.service import DealerService
from okla.chatbot.inventory.service import CatalogCache
from okla.chatbot.leads.conversation import ContactForm
from okla.chatbot.leads.service import LeadService
from okla.chatbot.live.broker import Broker, MemoryBroker
from okla.chatbot.live.feeds import LiveFeeds
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.llm.breaker import Breaker
from okla.chatbot.llm.client import ChatModel
from okla.chatbot.llm.slots import LlmSlots
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.ops.service import HealthService
from okla.chatbot.outbox.service import OutboxService
from okla.chatbot.privacy.service import PrivacyService
from okla.chatbot.qualification.domain import Standing
from okla.chatbot.qualification.service import Qualifier
from okla.chatbot.reply.model import ModelReplier
from okla.chatbot.reply.plan import Planner
from okla.chatbot.settings import AnswerMode, ChatbotSettings
from okla.chatbot.staff.passwords import Passwords
from okla.chatbot.staff.service import StaffService
from okla.common.redis_link import RedisState

BREAKER_STATES = {"closed": 0.0, "half_open": 1.0, "open": 2.0}


@dataclass(frozen=True)
class Services:
    """What the routes call; each built from the same resources."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    metrics: ChatMetrics
    chat: ChatService
    session: SessionService
    advisors: AdvisorService
    dealers: DealerService
    staff: StaffService
    health: HealthService
    qualifier: Qualifier
    bookings: BookingService
    leads: LeadService
    outbox: OutboxService
    privacy: PrivacyService
    live: LiveEvents
    feeds: LiveFeeds


def build_services(
    settings: ChatbotSettings,
    sessions: async_sessionmaker[AsyncSession],
    coordinator: Coordinator,
    llm: ChatModel,
    breaker: Breaker,
    clock: Clock = system_clock,
    broker: Broker | None = None,
) -> Services:
    """Wire the services of one app around its database, cache, LLM, breaker, clock and live
    events' broker (in memory when none is given)."""
    metrics = ChatMetrics()
    metrics.bind(
        breaker_state=lambda: BREAKER_STATES[breaker.state],
        breaker_opened=lambda: float(breaker.times_opened),
        cache_degraded=lambda: 1.0 if coordinator.state == RedisState.DEGRADED else 0.0,
    )
    access = SessionAccess(settings, coordinator)
    standing = Standing(settings.answer_mode)
    # LLM_CONCURRENCY is each replica's N_PARALLEL: the router spreads the calls over them.
    slots = LlmSlots(settings.llm_concurrency * len(settings.llm_base_urls))
    catalogs = CatalogCache()
    planner = Planner(settings, sessions, catalogs, clock)
    model = ModelReplier(settings, llm, breaker, metrics, slots, standing)
    live = LiveEvents(broker or MemoryBroker())
    waiting = Waiting(sessions, settings.handoff_wait_seconds, live, clock)
    leads = LeadService(sessions, live)
    bookings = BookingService(sessions, access, clock, live)
    contact_form = ContactForm(sessions, leads, clock=clock)
    chat = ChatService(
        sessions,
        gate=TurnGate(settings, sessions, coordinator, access, waiting, live),
        planner=planner,
        model=model,
        store=ReplyStore(settings, sessions, live, clock),
        metrics=metrics,
        contact_form=contact_form,
        booking_form=BookingForm(sessions, bookings, contact_form, clock),
        catalogs=catalogs,
        clock=clock,
    )
    qualifier = Qualifier(settings, sessions, planner, model, llm, standing, metrics)
    metrics.bind_answer_mode(
        pass_rate=lambda: _pass_rate(standing),
        finished_at=lambda: standing.last.finished_at.timestamp() if standing.last else 0.0,
        model_enabled=lambda: 1.0 if standing.in_effect() == AnswerMode.MODEL else 0.0,
        slots_in_use=lambda: float(slots.in_use),
    )
    staff = StaffService(settings, sessions, coordinator, Passwords())
    return Services(
        settings=settings,
        sessions=sessions,
        metrics=metrics,
        chat=chat,
        session=SessionService(
            settings, sessions, coordinator, access, metrics, waiting, live, clock
        ),
        advisors=AdvisorService(sessions, live),
        dealers=DealerService(sessions),
        staff=staff,
        health=HealthService(settings, sessions, coordinator, llm, breaker, qualifier),
        qualifier=qualifier,
        bookings=bookings,
        leads=leads,
        outbox=OutboxService(sessions),
        privacy=PrivacyService(settings, sessions),
        live=live,
        feeds=LiveFeeds(sessions, live, access, staff, waiting, settings.live_heartbeat_seconds),
    )


def _pass_rate(standing: Standing) -> float:
    rate = standing.last.pass_rate if standing.last else None
    return math.nan if rate is None else rate

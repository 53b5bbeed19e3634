"""Small dependencies that reach the resources created in the app's lifespan.

They are `async def` though they never wait: FastAPI runs a plain `def` dependency in its
thread pool, a thread hop per dependency per request (3 to 4 ms of a templated turn's p50).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.service import AdvisorService
from okla.chatbot.bookings.service import BookingService
from okla.chatbot.chat.service import ChatService
from okla.chatbot.chat.sessions import SessionService
from okla.chatbot.dealers.service import DealerService
from okla.chatbot.leads.service import LeadService
from okla.chatbot.live.feeds import LiveFeeds
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.middleware import CLIENT_ADDRESS_STATE
from okla.chatbot.ops.service import HealthService
from okla.chatbot.outbox.service import OutboxService
from okla.chatbot.qualification.service import Qualifier
from okla.chatbot.services import Services
from okla.chatbot.staff.service import StaffService


async def get_services(request: Request) -> Services:
    """Return the app's services, built in its lifespan."""
    services: Services = request.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_chat_service(services: ServicesDep) -> ChatService:
    """Return the service that answers messages."""
    return services.chat


async def get_session_service(services: ServicesDep) -> SessionService:
    """Return the service that opens, reads and ends sessions."""
    return services.session


async def get_advisor_service(services: ServicesDep) -> AdvisorService:
    """Return the advisors' service."""
    return services.advisors


async def get_booking_service(services: ServicesDep) -> BookingService:
    """Return the test-drive bookings."""
    return services.bookings


async def get_dealer_service(services: ServicesDep) -> DealerService:
    """Return the dealers' profiles service."""
    return services.dealers


async def get_staff_service(services: ServicesDep) -> StaffService:
    """Return the staff accounts and logins."""
    return services.staff


async def get_health_service(services: ServicesDep) -> HealthService:
    """Return the health checks."""
    return services.health


async def get_qualifier(services: ServicesDep) -> Qualifier:
    """Return the model's examiner."""
    return services.qualifier


async def get_lead_service(services: ServicesDep) -> LeadService:
    """Return the leads' service."""
    return services.leads


async def get_outbox_service(services: ServicesDep) -> OutboxService:
    """Return the outbox's staff service."""
    return services.outbox


async def get_live_feeds(services: ServicesDep) -> LiveFeeds:
    """Return the live event streams."""
    return services.feeds


async def get_sessions(services: ServicesDep) -> async_sessionmaker[AsyncSession]:
    """Return the database session factory."""
    return services.sessions


async def get_metrics(services: ServicesDep) -> ChatMetrics:
    """Return the app's metrics."""
    return services.metrics


async def get_client(request: Request) -> str:
    """Return the customer's address, as the client-address middleware found it."""
    address: str = getattr(request.state, CLIENT_ADDRESS_STATE, "unknown")
    return address


ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]
SessionServiceDep = Annotated[SessionService, Depends(get_session_service)]
AdvisorServiceDep = Annotated[AdvisorService, Depends(get_advisor_service)]
BookingServiceDep = Annotated[BookingService, Depends(get_booking_service)]
DealerServiceDep = Annotated[DealerService, Depends(get_dealer_service)]
StaffServiceDep = Annotated[StaffService, Depends(get_staff_service)]
HealthServiceDep = Annotated[HealthService, Depends(get_health_service)]
QualifierDep = Annotated[Qualifier, Depends(get_qualifier)]
LeadServiceDep = Annotated[LeadService, Depends(get_lead_service)]
OutboxServiceDep = Annotated[OutboxService, Depends(get_outbox_service)]
LiveFeedsDep = Annotated[LiveFeeds, Depends(get_live_feeds)]
SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessions)]
MetricsDep = Annotated[ChatMetrics, Depends(get_metrics)]
ClientDep = Annotated[str, Depends(get_client)]

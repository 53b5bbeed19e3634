"""Small dependencies that reach the resources created in the app's lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.service import AdvisorService
from okla.chatbot.chat.service import ChatService
from okla.chatbot.chat.sessions import SessionService
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.middleware import CLIENT_ADDRESS_STATE
from okla.chatbot.ops.service import HealthService


def get_chat_service(request: Request) -> ChatService:
    """Return the service that answers messages."""
    service: ChatService = request.state.chat
    return service


def get_session_service(request: Request) -> SessionService:
    """Return the service that opens, reads and ends sessions."""
    service: SessionService = request.state.session_service
    return service


def get_advisor_service(request: Request) -> AdvisorService:
    """Return the advisors' service."""
    service: AdvisorService = request.state.advisors
    return service


def get_health_service(request: Request) -> HealthService:
    """Return the health checks."""
    service: HealthService = request.state.health
    return service


def get_sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    """Return the database session factory."""
    sessions: async_sessionmaker[AsyncSession] = request.state.sessions
    return sessions


def get_metrics(request: Request) -> ChatMetrics:
    """Return the app's metrics."""
    metrics: ChatMetrics = request.state.metrics
    return metrics


def get_client(request: Request) -> str:
    """Return the customer's address, as the client-address middleware found it."""
    address: str = getattr(request.state, CLIENT_ADDRESS_STATE, "unknown")
    return address


ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]
SessionServiceDep = Annotated[SessionService, Depends(get_session_service)]
AdvisorServiceDep = Annotated[AdvisorService, Depends(get_advisor_service)]
HealthServiceDep = Annotated[HealthService, Depends(get_health_service)]
SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessions)]
MetricsDep = Annotated[ChatMetrics, Depends(get_metrics)]
ClientDep = Annotated[str, Depends(get_client)]

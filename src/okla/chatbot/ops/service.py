"""Checking the service's dependencies for the health route."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.llm.breaker import Breaker
from okla.chatbot.llm.client import ChatModel
from okla.chatbot.ops.schemas import (
    BreakerHealth,
    CacheHealth,
    DatabaseHealth,
    HealthReport,
    LlmHealth,
    ReplicaHealth,
)
from okla.chatbot.qualification.service import Qualifier
from okla.chatbot.settings import ChatbotSettings
from okla.common.health import Health


@dataclass(frozen=True)
class HealthService:
    """Ask each dependency how it is."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    llm: ChatModel
    breaker: Breaker
    qualifier: Qualifier

    async def report(self) -> HealthReport:
        """Check the database, the cache and the LLM, and describe the breaker."""
        database = await self._database()
        cache_up = await self.coordinator.ping()
        probe = await self.llm.probe()
        llm = LlmHealth(
            status=Health.UP if probe.up else Health.DOWN,
            models=list(probe.models) if probe.up else None,
            error=probe.error,
            base_url=self.settings.llm_base_url,
            model=self.settings.llm_model,
            replicas=[
                ReplicaHealth(
                    url=r.url,
                    status=Health.UP if r.up else Health.DOWN,
                    error=r.error,
                    breaker=r.breaker,
                    in_flight=r.in_flight,
                )
                for r in probe.replicas
            ]
            or None,
        )
        if database.status != Health.UP:
            status = Health.DOWN
        elif cache_up and probe.up:
            status = Health.OK
        else:
            status = Health.DEGRADED
        return HealthReport(
            status=status,
            database=database,
            cache=CacheHealth(
                status=Health.UP if cache_up else Health.DOWN, backend=self.coordinator.state
            ),
            llm=llm,
            circuit_breaker=BreakerHealth(
                state=self.breaker.state,
                consecutive_failures=self.breaker.failures,
                times_opened=self.breaker.times_opened,
                seconds_until_probe=round(self.breaker.seconds_until_probe(), 1),
            ),
            answer_mode=self.qualifier.summary(),
        )

    async def _database(self) -> DatabaseHealth:
        backend = self.settings.database_url.split(":", 1)[0]
        try:
            async with self.sessions() as db:
                await ChatRepository(db).ping()
        except Exception as exc:  # any failure means "down" here, and must not become a 500
            return DatabaseHealth(backend=backend, status=Health.DOWN, error=type(exc).__name__)
        return DatabaseHealth(backend=backend, status=Health.UP)

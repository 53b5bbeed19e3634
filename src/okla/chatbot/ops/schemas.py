"""The health report of the chatbot service."""

from __future__ import annotations

from pydantic import Field

from okla.chatbot.llm.breaker import BreakerState
from okla.chatbot.qualification.schemas import AnswerModeOut
from okla.chatbot.schemas import CamelModel
from okla.common.health import Health


class DatabaseHealth(CamelModel):
    """The database: answering or not."""

    backend: str
    status: Health
    error: str | None = Field(default=None, description="The failure's type, when down.")


class CacheHealth(CamelModel):
    """Redis (or the in-process fallback)."""

    status: Health
    backend: str


class ReplicaHealth(CamelModel):
    """One LLM replica of LLM_BASE_URL's list."""

    url: str = Field(description="Its base URL, without credentials.")
    status: Health
    error: str | None = None
    breaker: BreakerState
    in_flight: int = Field(description="Model calls in flight to it from this process.")


class LlmHealth(CamelModel):
    """The LLM server or external API: up while one of its replicas is."""

    status: Health
    models: list[str] | None = None
    error: str | None = None
    base_url: str
    model: str
    replicas: list[ReplicaHealth] | None = None


class BreakerHealth(CamelModel):
    """The LLM circuit breaker."""

    state: BreakerState
    consecutive_failures: int
    times_opened: int
    seconds_until_probe: float


class HealthReport(CamelModel):
    """Each dependency's state; `status` is down without a database, degraded without others."""

    status: Health
    database: DatabaseHealth
    cache: CacheHealth
    llm: LlmHealth
    circuit_breaker: BreakerHealth
    answer_mode: AnswerModeOut


class HealthSummary(CamelModel):
    """What anyone may know of the service's health: up or down."""

    status: Health = Field(description="up, or down when the database is.")

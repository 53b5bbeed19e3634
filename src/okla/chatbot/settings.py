"""Configuration of the chatbot service, read from the environment."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from okla.common.forwarded import parse_networks
from okla.common.urls import parse_replica_urls
from okla.process import default_run_dir


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{default_run_dir() / 'okla-chat.db'}"


def normalize_database_url(url: str) -> str:
    """Pick the async driver for plain postgresql:// and sqlite:// URLs."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


class AnswerMode(StrEnum):
    """Whose words answer a search: the model's (checked by the guard) or the templates'."""

    AUTO = "auto"  # the model's, once it has passed its qualification exam; templates until then
    MODEL = "model"  # always try the model first (the guard and the fallback still apply)
    TEMPLATE = "template"  # never call the model: the templates answer at once


class ChatbotSettings(BaseSettings):
    """Settings of `okla chat serve`; CLI flags override the environment."""

    # An empty variable means "not set" (compose files and Kubernetes Secrets write them so).
    model_config = SettingsConfigDict(
        env_prefix="",
        case_sensitive=False,
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,
    )

    # HOST and PORT belong to the LLM server, so this service has names of its own.
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("CHATBOT_HOST", "host"))
    port: int = Field(
        default=5060, ge=1, le=65535, validation_alias=AliasChoices("CHATBOT_PORT", "port")
    )
    # Whose X-Forwarded-For is believed: the gateway's. By default this machine's loopback,
    # where `okla up` runs it; GATEWAY_KEY (which `okla up` sets on both) tells the gateway
    # from any other local process.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        validation_alias=AliasChoices("TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS", "trusted_proxies"),
    )
    gateway_key: SecretStr | None = None
    max_streams_per_client: int = Field(
        default=8, ge=1, description="Event streams (SSE replies) one client may keep open."
    )
    handoff_wait_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a customer waits for an advisor before the bot says nobody came "
        "and offers a call.",
    )
    live_heartbeat_seconds: float = Field(
        default=15.0,
        gt=0,
        le=60,
        description="Seconds of quiet after which a live event stream sends a comment.",
    )
    retention_days: int = Field(
        default=180,
        ge=1,
        description="Transcripts of sessions ended or expired longer ago than this are deleted.",
    )
    retention_interval_seconds: float = Field(
        default=3600.0, gt=0, description="How often the retention job runs."
    )
    database_url: str = Field(default_factory=_default_database_url)
    redis_url: str | None = None
    # The LLM client also answers to the original system's names (LlmService__*), so its
    # compose files and Kubernetes ConfigMaps work unchanged; OKLA's own name wins if both are set.
    llm_base_url: str = Field(
        default="http://127.0.0.1:8000/v1",
        validation_alias=AliasChoices("LLM_BASE_URL", "LlmService__ServerUrl", "llm_base_url"),
        description="The LLM's OpenAI-compatible base URL, or a comma-separated list of "
        "replicas: each conversation sticks to one of them (see llm/router.py).",
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("LLM_API_KEY", "LlmService__ApiKey", "llm_api_key"),
    )
    llm_model: str = Field(
        default="okla",
        validation_alias=AliasChoices("LLM_MODEL", "LlmService__ModelId", "llm_model"),
    )
    llm_timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        validation_alias=AliasChoices(
            "LLM_TIMEOUT_SECONDS", "LlmService__TimeoutSeconds", "llm_timeout_seconds"
        ),
    )
    llm_first_token_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Give up on the model (and answer from the stock) if its first token takes "
        "longer than this, e.g. while a busy LLM server queues the request.",
    )
    reply_margin_seconds: float = Field(
        default=3.0,
        ge=0,
        description="Time kept before the caller's deadline (the gateway's X-Request-Timeout) "
        "to answer from the stock and store the reply when the model is too slow.",
    )
    llm_max_tokens: int = Field(
        default=200,
        ge=16,
        validation_alias=AliasChoices("LLM_MAX_TOKENS", "LlmService__MaxTokens", "llm_max_tokens"),
    )
    llm_temperature: float = Field(default=0.3, ge=0.0, le=2.0)
    usd_to_dop: float = Field(
        default=59.0,
        gt=0,
        description="Pesos per US dollar, to read budgets given in dollars against the stock's "
        "prices (the reply shows the rate).",
    )
    answer_mode: AnswerMode = Field(
        default=AnswerMode.AUTO,
        description="auto: use the model's prose only after it passed the qualification exam "
        "(templates until then); model: always call the model; template: never call it.",
    )
    qualify_threshold: float = Field(
        default=0.8,
        ge=0.0,
        le=1.0,
        description="Share of the exam's turns the model's text must pass for ANSWER_MODE=auto "
        "to use it.",
    )
    qualify_turns: int = Field(
        default=20, ge=1, le=100, description="Turns in the qualification exam."
    )
    qualify_timeout_seconds: float = Field(
        default=180.0,
        gt=0,
        description="Bound on one qualification exam, waiting for the LLM included; turns not "
        "answered by then count as failed.",
    )
    llm_concurrency: int = Field(
        default=4,
        ge=1,
        description="Model calls at once from this process to each LLM replica (the LLM "
        "server's N_PARALLEL); a turn that finds them all taken is answered from the templates "
        "at once.",
    )
    llm_load_factor: float = Field(
        default=1.25,
        ge=1.0,
        description="With several LLM replicas, one takes at most this times the average "
        "number of model calls in flight before a conversation spills to the next replica.",
    )
    # The staff routes (/api/chatbot/*) verify the caller's JWT here too, not only at the
    # gateway, and scope every query to its dealer (chatbot/auth.py). Same names as the gateway's.
    jwt_secret: SecretStr | None = None
    jwt_algorithm: str = "HS256"
    # Staff logins (staff/): short access tokens, a refresh token that rotates on each use.
    access_token_minutes: int = Field(
        default=15,
        ge=1,
        le=15,
        description="Lifetime of a staff access token (JWT); 15 minutes at most.",
    )
    refresh_token_hours: int = Field(
        default=12,
        ge=1,
        le=24 * 30,
        description="How long a staff login lasts without a new sign-in (its refresh token).",
    )
    rate_limit_logins: str = "10/minute"  # sign-in attempts per email and client address
    default_dealer: str = "auto-dominicana-premium"
    session_ttl_minutes: int = Field(default=24 * 60, ge=1)
    breaker_failure_threshold: int = Field(default=3, ge=1)
    breaker_cooldown_seconds: float = Field(default=30.0, gt=0)
    history_token_budget: int = Field(default=700, ge=0)
    max_cards: int = Field(default=5, ge=1, le=20)
    rate_limit_messages: str = "20/minute"
    rate_limit_sessions: str = "30/minute"
    rate_limit_token_misses: str = "30/minute"
    auto_migrate: bool = True
    # The webhook outbox (outbox/worker.py): new leads and bookings POSTed to each dealer.
    outbox_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Tries of one event before it is marked Dead."
    )
    outbox_backoff_seconds: float = Field(
        default=2.0,
        gt=0,
        description="Wait before the second try; it doubles after each failure, up to "
        "OUTBOX_BACKOFF_MAX_SECONDS.",
    )
    outbox_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, description="Longest wait between two tries of an event."
    )
    outbox_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often the worker looks for events that are due."
    )
    outbox_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Bound on one POST to a dealer's webhook."
    )
    outbox_worker: bool = Field(
        default=True,
        description="Run the delivery worker in this process (several processes may: each "
        "event is claimed by one).",
    )

    @property
    def llm_base_urls(self) -> tuple[str, ...]:
        """Return the LLM replicas' base URLs (one, unless LLM_BASE_URL lists several)."""
        return tuple(self.llm_base_url.split(","))

    @property
    def lock_ttl_seconds(self) -> float:
        """Return how long a session's lock outlives a stuck reply at most."""
        return self.llm_timeout_seconds + 30

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("llm_base_url")
    @classmethod
    def _replica_urls(cls, value: str) -> str:
        return ",".join(parse_replica_urls(value))

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        parse_networks(value)  # a typo must stop the start, not trust nobody silently
        return value

    @field_validator("redis_url", "gateway_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

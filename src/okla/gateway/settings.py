"""Configuration of the gateway, read from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from okla.common.forwarded import parse_networks
from okla.common.urls import parse_replica_urls

DEFAULT_ROUTES = Path(__file__).resolve().parent / "routes.json"


class GatewaySettings(BaseSettings):
    """Settings of `okla gateway serve`; CLI flags override the environment."""

    # An empty variable means "not set": an empty JWT_SECRET must not become a signing key.
    model_config = SettingsConfigDict(
        env_prefix="",
        case_sensitive=False,
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,
    )

    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("GATEWAY_HOST", "host"))
    port: int = Field(
        default=18443, ge=1, le=65535, validation_alias=AliasChoices("GATEWAY_PORT", "port")
    )
    routes_file: Path = DEFAULT_ROUTES
    chatbot_url: str | None = Field(
        default=None,
        description="The chatbot service's URL, or its replicas' URLs comma-separated; "
        "overrides the route file's. The gateway balances requests across them.",
    )
    upstream_down_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a replica that failed (no connection, 502/503/504) is skipped, "
        "unless its health probe finds it well sooner.",
    )
    upstream_probe_seconds: float = Field(
        default=5.0, gt=0, description="How often the gateway asks each replica's health."
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) allowed to embed the widget and post to "
        "the chat API, besides the gateway's own; comma-separated.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias=AliasChoices("TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS", "trusted_proxies"),
        description="Addresses or networks of the proxies in front of the gateway (a TLS "
        "terminator) whose X-Forwarded-For / Forwarded name the client; comma-separated. "
        "None by default: the gateway is the edge.",
    )
    gateway_key: SecretStr | None = Field(
        default=None,
        description="Shared with the chatbot service (its GATEWAY_KEY): proves to it that the "
        "client address the gateway forwards is the gateway's word.",
    )
    gateway_docs: bool = Field(
        default=False, description="Serve /docs and /openapi.json (off unless GATEWAY_DOCS=1)."
    )
    gateway_test_pages: bool = Field(
        default=False,
        description="Serve /chat-test.html, the developers' test page (on in `okla up`).",
    )
    metrics_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks (a Prometheus) that may read /metrics besides "
        "callers on this machine and admins; comma-separated. None by default.",
    )
    max_streams_per_client: int = Field(
        default=8, ge=1, description="Event streams one client may keep open at once."
    )
    jwt_secret: SecretStr | None = None
    jwt_algorithm: str = "HS256"
    redis_url: str | None = None
    csrf_exempt_paths: Annotated[list[str], NoDecode] = Field(default_factory=list)
    web_root: Path = Path(__file__).resolve().parent.parent / "web"

    @field_validator(
        "allowed_origins", "csrf_exempt_paths", "trusted_proxies", "metrics_networks", mode="before"
    )
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip().rstrip("/") for v in value.split(",") if v.strip()]
        return value

    @field_validator("chatbot_url")
    @classmethod
    def _urls(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return ",".join(parse_replica_urls(value))

    @property
    def chatbot_replicas(self) -> list[str]:
        """Return the chatbot replicas' URLs (none: the route file's)."""
        return self.chatbot_url.split(",") if self.chatbot_url else []

    @field_validator("trusted_proxies", "metrics_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        parse_networks(value)  # a typo must stop the start, not trust nobody silently
        return value

    @field_validator("redis_url", "gateway_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

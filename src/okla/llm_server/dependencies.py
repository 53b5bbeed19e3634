"""Small dependencies that reach the resources created in the app's lifespan."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from okla.common.forwarded import is_loopback
from okla.llm_server.engine import LlamaEngine
from okla.llm_server.errors import AuthenticationError
from okla.llm_server.metrics import LlmMetrics
from okla.llm_server.serving import OpenAIServingChat
from okla.llm_server.settings import LlmServerSettings


def get_engine(request: Request) -> LlamaEngine:
    """Return the app's engine."""
    engine: LlamaEngine = request.state.engine
    return engine


def get_metrics(request: Request) -> LlmMetrics:
    """Return the app's metrics."""
    metrics: LlmMetrics = request.state.metrics
    return metrics


def get_serving(request: Request) -> OpenAIServingChat:
    """Return the app's chat-completions serving class."""
    serving: OpenAIServingChat = request.state.serving
    return serving


def get_settings(request: Request) -> LlmServerSettings:
    """Return the app's settings."""
    settings: LlmServerSettings = request.state.settings
    return settings


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def has_api_key(request: Request) -> bool:
    """Tell whether the request carries the right API key (any request, if none is set)."""
    expected = get_settings(request).api_key
    if expected is None:
        return True
    token = _bearer(request)
    return token is not None and secrets.compare_digest(
        token.encode(), expected.get_secret_value().encode()
    )


def is_insider(request: Request) -> bool:
    """Tell whether the caller may see the server's details: a local peer, or the key's holder."""
    peer = request.client.host if request.client else ""
    return is_loopback(peer) or (get_settings(request).api_key is not None and has_api_key(request))


def require_api_key(request: Request) -> None:
    """Check the Bearer token when API_KEY is set."""
    expected = get_settings(request).api_key
    if expected is None:
        return
    token = _bearer(request)
    if token is None:
        get_metrics(request).requests.labels(outcome="unauthorized").inc()
        raise AuthenticationError(
            "Missing API key: send 'Authorization: Bearer <API_KEY>'.", param="authorization"
        )
    if not has_api_key(request):
        get_metrics(request).requests.labels(outcome="unauthorized").inc()
        raise AuthenticationError("Incorrect API key.", param="authorization")


EngineDep = Annotated[LlamaEngine, Depends(get_engine)]
MetricsDep = Annotated[LlmMetrics, Depends(get_metrics)]
ServingDep = Annotated[OpenAIServingChat, Depends(get_serving)]
SettingsDep = Annotated[LlmServerSettings, Depends(get_settings)]
InsiderDep = Annotated[bool, Depends(is_insider)]

"""Small dependencies that reach the resources created in the app's lifespan."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

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


def require_api_key(request: Request) -> None:
    """Check the Bearer token when API_KEY is set."""
    expected = get_settings(request).api_key
    if expected is None:
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        get_metrics(request).requests.labels(outcome="unauthorized").inc()
        raise AuthenticationError(
            "Missing API key: send 'Authorization: Bearer <API_KEY>'.", param="authorization"
        )
    if not secrets.compare_digest(token.strip().encode(), expected.get_secret_value().encode()):
        get_metrics(request).requests.labels(outcome="unauthorized").inc()
        raise AuthenticationError("Incorrect API key.", param="authorization")


EngineDep = Annotated[LlamaEngine, Depends(get_engine)]
MetricsDep = Annotated[LlmMetrics, Depends(get_metrics)]
ServingDep = Annotated[OpenAIServingChat, Depends(get_serving)]
SettingsDep = Annotated[LlmServerSettings, Depends(get_settings)]

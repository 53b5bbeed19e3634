"""Small dependencies that reach the resources created in the app's lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from okla.chatbot.chat.service import ChatService
from okla.chatbot.metrics import ChatMetrics


def get_service(request: Request) -> ChatService:
    """Return the app's chat service."""
    service: ChatService = request.state.service
    return service


def get_metrics(request: Request) -> ChatMetrics:
    """Return the app's metrics."""
    metrics: ChatMetrics = request.state.metrics
    return metrics


ServiceDep = Annotated[ChatService, Depends(get_service)]
MetricsDep = Annotated[ChatMetrics, Depends(get_metrics)]

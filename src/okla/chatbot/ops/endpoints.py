"""Routes for the people who run the service: health and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from okla.chatbot.dependencies import HealthServiceDep, MetricsDep
from okla.chatbot.ops.schemas import HealthReport
from okla.common.health import Health

router = APIRouter(tags=["operations"])


@router.get(
    "/api/chat/health",
    response_model=HealthReport,
    summary="Database, cache, LLM and circuit-breaker state",
)
async def health(service: HealthServiceDep) -> JSONResponse:
    """Report each dependency; 503 when the database (without which nothing works) is down."""
    report = await service.report()
    body = report.model_dump(mode="json", by_alias=True, exclude_none=True)
    return JSONResponse(body, status_code=503 if report.status == Health.DOWN else 200)


@router.get("/metrics", response_class=Response, summary="Prometheus metrics")
async def metrics(registry: MetricsDep) -> Response:
    """Expose the service's metrics in Prometheus text format."""
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)

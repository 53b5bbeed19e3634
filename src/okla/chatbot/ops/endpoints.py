"""Routes for the people who run the service: health and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from okla.chatbot.auth import Role, verify
from okla.chatbot.dependencies import ClientDep, HealthServiceDep, MetricsDep, ServicesDep
from okla.chatbot.ops.schemas import HealthReport, HealthSummary
from okla.chatbot.services import Services
from okla.common.errors import ApiError
from okla.common.forwarded import is_loopback
from okla.common.health import Health

router = APIRouter(tags=["operations"])


@router.get(
    "/api/chat/health",
    response_model=HealthReport | HealthSummary,
    summary="Up or down; to an admin or a local caller, each dependency's state",
)
async def health(
    request: Request, service: HealthServiceDep, services: ServicesDep, client: ClientDep
) -> JSONResponse:
    """Say up or down (503 when the database, without which nothing works, is down).

    The state of the database, cache, LLM and breaker, with the LLM's address and model, is
    for an admin's token or a caller on this machine (the gateway, `okla status`).
    """
    report = await service.report()
    status = 503 if report.status == Health.DOWN else 200
    if not _insider(request, services, client):
        summary = HealthSummary(status=Health.DOWN if status == 503 else Health.UP)
        return JSONResponse(summary.model_dump(mode="json"), status_code=status)
    body = report.model_dump(mode="json", by_alias=True, exclude_none=True)
    return JSONResponse(body, status_code=status)


def _insider(request: Request, services: Services, client: str) -> bool:
    if is_loopback(client):
        return True
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    secret = services.settings.jwt_secret
    try:
        caller = verify(
            token, secret.get_secret_value() if secret else None, services.settings.jwt_algorithm
        )
    except ApiError:
        return False
    return caller.role == Role.ADMIN


@router.get("/metrics", response_class=Response, summary="Prometheus metrics")
async def metrics(registry: MetricsDep) -> Response:
    """Expose the service's metrics in Prometheus text format."""
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)

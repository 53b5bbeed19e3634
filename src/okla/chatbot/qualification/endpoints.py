"""Operator routes (/api/chatbot/llm/*, the admin role only): examine the model."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from okla.chatbot.auth import CallerDep, Role
from okla.chatbot.dependencies import QualifierDep
from okla.chatbot.qualification.schemas import QualificationReport
from okla.common.deadline import parse_timeout

router = APIRouter(prefix="/api/chatbot/llm", tags=["admin"])

_REPORT = "/api/chatbot/llm/qualification"
# Answer this long before the caller's deadline, so the answer isn't cut by it.
_MARGIN_SECONDS = 1.0


@router.post(
    "/qualify",
    response_model=QualificationReport,
    responses={
        202: {
            "model": QualificationReport,
            "description": "The exam is still running (`qualification.running`); its result "
            f"will be at GET {_REPORT}.",
        }
    },
    summary="Examine the configured model again (ANSWER_MODE=auto follows the result)",
)
async def qualify(
    caller: CallerDep,
    service: QualifierDep,
    request_timeout: Annotated[
        str | None,
        Header(
            alias="X-Request-Timeout",
            description="Seconds the caller waits (the gateway sends its route's timeout); "
            "without it the exam's own bound (QUALIFY_TIMEOUT_SECONDS) applies.",
        ),
    ] = None,
) -> JSONResponse:
    """Start an exam, or join the one running; answer with its result if it ends in time.

    A second call while an exam runs starts no other: it waits for the same one. An exam
    that outlasts the caller's deadline goes on; the answer is then 202 with the running
    state, and GET /api/chatbot/llm/qualification has the result once it is done.
    """
    caller.require(Role.ADMIN)
    exam = service.start()
    timeout = parse_timeout(request_timeout)
    wait = None if timeout is None else max(0.0, timeout - _MARGIN_SECONDS)
    # asyncio.wait never cancels the exam, even if this request is cancelled.
    done, _ = await asyncio.wait({exam}, timeout=wait)
    body = service.report().model_dump(mode="json", by_alias=True)
    if done:
        return JSONResponse(body)
    return JSONResponse(body, status_code=202, headers={"Location": _REPORT})


@router.get(_REPORT.removeprefix(router.prefix), summary="The model's last exam, in detail")
async def qualification(caller: CallerDep, service: QualifierDep) -> QualificationReport:
    """Return the answer mode and the last exam, question by question."""
    caller.require(Role.ADMIN)
    return service.report()

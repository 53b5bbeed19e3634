"""The staff's lead routes (/api/chatbot/leads*): each caller sees their own dealer's leads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from okla.chatbot.auth import CallerDep
from okla.chatbot.dependencies import LeadServiceDep
from okla.chatbot.leads.domain import LeadStatus, LeadView
from okla.chatbot.leads.export import to_adf, to_csv
from okla.chatbot.leads.schemas import LeadOut, LeadPatch

router = APIRouter(prefix="/api/chatbot", tags=["leads"])

LeadId = Annotated[str, Path(max_length=36)]


async def _selected(
    caller: CallerDep,
    service: LeadServiceDep,
    dealer: Annotated[
        str | None,
        Query(max_length=100, description="A dealer's slug (staff of one dealer: their own)."),
    ] = None,
    status: Annotated[LeadStatus | None, Query(description="Only leads in this status.")] = None,
    since: Annotated[
        datetime | None,
        Query(description="Only leads created or updated at or after this ISO 8601 instant."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[LeadView]:
    """Return the leads the query selects, within the caller's dealer."""
    return await service.listing(caller.scope(dealer), status, since, limit)


Selected = Annotated[list[LeadView], Depends(_selected)]


@router.get("/leads", summary="Leads, most recently created or updated first")
async def leads(selected: Selected) -> list[LeadOut]:
    """List the leads of the caller's dealer (an operator: every dealer's, or `dealer`'s)."""
    return [LeadOut.of(view) for view in selected]


@router.get(
    "/leads.csv",
    summary="Leads as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def leads_csv(selected: Selected) -> Response:
    """The same leads as a CSV file; cells a spreadsheet would run as formulas are quoted."""
    return Response(
        to_csv(selected),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"'},
    )


@router.get(
    "/leads.adf",
    summary="Leads as ADF 1.0 XML, for dealer CRMs",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
async def leads_adf(selected: Selected) -> Response:
    """The same leads in the Auto-lead Data Format (one prospect each)."""
    return Response(to_adf(selected), media_type="application/xml")


@router.patch("/leads/{lead_id}", summary="Change a lead's status or notes")
async def update_lead(
    lead_id: LeadId, body: LeadPatch, caller: CallerDep, service: LeadServiceDep
) -> LeadOut:
    """Record where a salesperson is with a lead; the dealer's webhook is told."""
    return LeadOut.of(await service.update(caller.scope(None), lead_id, body))

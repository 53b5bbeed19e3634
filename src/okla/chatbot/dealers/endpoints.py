"""Staff routes of a dealer's profile (/api/chatbot/dealers/{slug}), scoped to the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from okla.chatbot.auth import CallerDep
from okla.chatbot.dealers.schemas import DealerProfileIn, DealerProfileOut
from okla.chatbot.dependencies import DealerServiceDep

router = APIRouter(prefix="/api/chatbot/dealers", tags=["admin"])

SlugPath = Annotated[str, Path(max_length=100)]


@router.get("/{slug}", summary="A dealer's profile")
async def get_profile(
    slug: SlugPath, caller: CallerDep, service: DealerServiceDep
) -> DealerProfileOut:
    """Return the dealer's profile (the webhook secret is never returned)."""
    return await service.profile(caller, slug)


@router.put("/{slug}", summary="Replace a dealer's profile")
async def put_profile(
    slug: SlugPath, body: DealerProfileIn, caller: CallerDep, service: DealerServiceDep
) -> DealerProfileOut:
    """Replace the profile (admin or manager of that dealer); the bot answers from it at once."""
    return await service.update(caller, slug, body)

"""API models of a dealer's profile: what PUT takes and what GET returns (camelCase).

The profile's own fields are `DealerProfile`'s; the webhook secret is write-only: it is taken,
never returned (`webhookSecretSet` says whether one is stored).
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, field_validator

from okla.chatbot.dealers.domain import (
    AssistantName,
    DealerName,
    DealerProfile,
    WebhookSecret,
    WebhookUrl,
)
from okla.chatbot.models import Dealer


def profile_part(model: DealerProfile) -> DealerProfile:
    """Return only the profile of a model that extends it."""
    fields = set(DealerProfile.model_fields)
    return DealerProfile.model_validate(model.model_dump(include=fields))


class DealerProfileIn(DealerProfile):
    """The body of PUT /api/chatbot/dealers/{slug}: the whole profile, and optionally the rest.

    The profile is replaced as given (a field left out is cleared to its default). `name` and
    `assistantName` left out stay as they are; so do `webhookUrl` and `webhookSecret`, which
    null clears.
    """

    name: DealerName | None = None
    assistant_name: AssistantName | None = Field(default=None, alias="assistantName")
    webhook_url: WebhookUrl | None = Field(default=None, alias="webhookUrl")
    webhook_secret: WebhookSecret | None = Field(default=None, alias="webhookSecret")

    @field_validator("name", "assistant_name", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be left out, not null")
        return value

    def sets(self, field: str) -> bool:
        """Tell whether the body gives this field (by its Python name), null included."""
        return field in self.model_fields_set


class DealerProfileOut(DealerProfile):
    """A dealer and its profile, as staff see it; never its webhook secret."""

    slug: str
    name: str
    assistant_name: str = Field(alias="assistantName")
    webhook_url: str | None = Field(alias="webhookUrl")
    webhook_secret_set: bool = Field(alias="webhookSecretSet")

    @classmethod
    def of(cls, dealer: Dealer, profile: DealerProfile) -> Self:
        """Describe a stored dealer with its profile."""
        return cls.model_validate(
            {
                **profile.model_dump(by_alias=True),
                "slug": dealer.slug,
                "name": dealer.name,
                "assistantName": dealer.assistant_name,
                "webhookUrl": dealer.webhook_url,
                "webhookSecretSet": bool(dealer.webhook_secret),
            }
        )

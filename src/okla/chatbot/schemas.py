"""What every API model of the chatbot shares: camelCase JSON, unknown fields refused."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

# A customer's session token, as requests carry it.
TokenText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CamelModel(BaseModel):
    """A model whose JSON uses camelCase names."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

"""What every API model of the chatbot shares: camelCase JSON, unknown fields refused, text
the database can store."""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

# A customer's session token, as requests carry it.
TokenText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CamelModel(BaseModel):
    """A model whose JSON uses camelCase names."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# NUL and lone surrogates: text PostgreSQL refuses to store (and SQLite's driver can't
# encode). They never belong in what a person writes.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """Refuse text the database cannot store: NUL characters, lone surrogates."""
    if _UNSTORABLE.search(text):
        raise ValueError("must not contain NUL characters or lone surrogates")
    return text


def storable_json(value: object) -> object:
    """Refuse JSON the database cannot store: NaN or Infinity, and unstorable text."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite (no NaN or Infinity)")
    if isinstance(value, str):
        storable(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            storable(str(key))
            storable_json(item)
    elif isinstance(value, list):
        for item in value:
            storable_json(item)
    return value


StorableText = Annotated[str, AfterValidator(storable)]

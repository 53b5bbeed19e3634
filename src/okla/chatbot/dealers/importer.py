"""Read a dealers file (YAML): every dealer validated before any is written.

    dealers:
      - slug: auto-dominicana-premium
        name: Auto Dominicana Premium
        assistantName: Ana
        address: Av. Abraham Lincoln 1052, Ensanche Piantini
        hours:
          mon: [{opens: "08:00", closes: "18:00"}]
        ...

Each problem is reported by its path in the file ("dealers[1].hours.sat[0].closes: ...") and
never with the value it found: the file may hold webhook secrets.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from okla.chatbot.dealers.domain import (
    AssistantName,
    DealerName,
    DealerProfile,
    Slug,
    WebhookSecret,
    WebhookUrl,
)


class DealerEntry(DealerProfile):
    """One dealer of the file: who it is, its profile, and optionally its webhook.

    A webhook field left out leaves the stored one as it is; null clears it.
    """

    slug: Slug
    name: DealerName
    assistant_name: AssistantName = Field(alias="assistantName")
    webhook_url: WebhookUrl | None = Field(default=None, alias="webhookUrl")
    webhook_secret: WebhookSecret | None = Field(default=None, alias="webhookSecret")

    def sets(self, field: str) -> bool:
        """Tell whether the file gives this field (by its Python name), null included."""
        return field in self.model_fields_set


class DealersFile(BaseModel):
    """The whole file: a list of dealers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dealers: tuple[DealerEntry, ...] = Field(min_length=1)


class DealersFileError(ValueError):
    """A dealers file that can't be imported; each problem names where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class _Loader(yaml.SafeLoader):
    """YAML without its base-60 numbers (8:00 would be 480) and without duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def field_path(loc: tuple[int | str, ...]) -> str:
    """Write a validation error's location as the file reads: dealers[1].hours.sat[0].closes."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":  # a mapping's key that is wrong: the message says so
            path += f".{part}" if path else part
    return path or "(the file)"


def _message(error: Any) -> str:
    kind = error.get("type")
    loc = error.get("loc", ())
    if loc and loc[-1] == "[key]":
        # The only mapping with keys of its own is `hours`.
        return f"unknown weekday {loc[-2]!r} (expected mon, tue, wed, thu, fri, sat or sun)"
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "too_short" and isinstance(error.get("input"), list | tuple):
        return f"needs at least {error['ctx']['min_length']} entry"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def parse_dealers(text: str) -> tuple[DealerEntry, ...]:
    """Validate a whole dealers file; raise DealersFileError listing every problem."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        # Line and column, never the line itself: it may hold a secret.
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DealersFileError([f"{where}{exc.problem or 'not valid YAML'}"]) from None
    except yaml.YAMLError:
        raise DealersFileError(["not valid YAML"]) from None
    if not isinstance(data, dict) or "dealers" not in data:
        raise DealersFileError(["the file must be a mapping with a 'dealers' list"])
    problems = _repeated_slugs(data["dealers"])
    try:
        parsed = DealersFile.model_validate(data)
    except ValidationError as exc:
        problems = [f"{field_path(e['loc'])}: {_message(e)}" for e in exc.errors()] + problems
    if problems:
        raise DealersFileError(problems)
    return parsed.dealers


def _repeated_slugs(dealers: object) -> list[str]:
    """Name every dealer whose slug an earlier dealer of the file has."""
    if not isinstance(dealers, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for n, dealer in enumerate(dealers):
        slug = dealer.get("slug") if isinstance(dealer, dict) else None
        if not isinstance(slug, str):
            continue
        if slug in first:
            problems.append(f"dealers[{n}].slug: {slug!r} is also dealers[{first[slug]}]'s slug")
        first.setdefault(slug, n)
    return problems

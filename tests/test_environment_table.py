"""The README's one table of environment variables names every setting of every service."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from okla.chatbot.settings import ChatbotSettings
from okla.common.serving import ServerLimits
from okla.gateway.settings import GatewaySettings
from okla.llm_server.settings import LlmServerSettings

README = Path(__file__).resolve().parents[1] / "README.md"
# Read by okla.process, not by a settings class.
OTHER_VARIABLES = {"OKLA_RUN_DIR"}


def environment_names(settings: type[BaseSettings]) -> set[str]:
    """Return the variables a settings class reads: each field's aliases, or its name."""
    names: set[str] = set()
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {str(choice) for choice in alias.choices if choice != field_name}
        else:
            names.add(field_name.upper())
    return names


def documented() -> set[str]:
    """Return the names in the first column of the README's table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([^`]+)`", row.split("|")[1])}


def test_every_variable_of_every_service_is_in_the_one_table() -> None:
    wanted = set(OTHER_VARIABLES)
    for settings in (LlmServerSettings, ChatbotSettings, GatewaySettings, ServerLimits):
        wanted |= environment_names(settings)
    assert {"LlmService__ServerUrl", "LlmService__ModelId", "LlmService__ApiKey"} <= wanted
    assert documented() == wanted

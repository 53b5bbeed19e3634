"""The compose files (deploy/compose*.yaml), read as Compose reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from okla.chatbot.settings import ChatbotSettings
from okla.gateway.settings import GatewaySettings
from okla.llm_server.settings import LlmServerSettings
from tests.utils.kube import interpolate

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SECRETS = {"JWT_SECRET": "j" * 32, "POSTGRES_PASSWORD": "pw123", "LLM_API_KEY": "k" * 16}


def load(name: str, environment: dict[str, str] | None = None) -> dict[str, Any]:
    """Read a compose file with its ${...} expanded from this environment."""
    text = interpolate((DEPLOY / name).read_text(), environment or SECRETS)
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def env_of(service: dict[str, Any]) -> dict[str, str]:
    """Return a service's environment as strings, empty values left out (as settings do)."""
    return {k: str(v) for k, v in (service.get("environment") or {}).items() if v not in ("", None)}


def test_the_services_are_the_original_ones() -> None:
    services = load("compose.yaml")["services"]
    assert set(services) == {"chatbot-db", "chatbot-redis", "llm-server", "chatbotservice",
                             "gateway", "chatbot-demo-data"}  # fmt: skip
    assert services["chatbot-demo-data"]["profiles"] == ["demo"]
    assert services["chatbot-db"]["image"].endswith("postgres:16-alpine")
    assert services["chatbot-redis"]["image"].endswith("redis:7-alpine")
    for name in ("llm-server", "chatbotservice", "gateway", "chatbot-demo-data"):
        assert services[name]["image"] == "localhost/okla:latest"


def test_each_service_waits_for_what_it_needs_to_be_healthy() -> None:
    services = load("compose.yaml")["services"]
    depends = {name: s.get("depends_on", {}) for name, s in services.items()}
    assert depends["chatbotservice"] == {
        "chatbot-db": {"condition": "service_healthy"},
        "chatbot-redis": {"condition": "service_healthy"},
        "llm-server": {"condition": "service_healthy"},
    }
    assert depends["gateway"] == {
        "chatbotservice": {"condition": "service_healthy"},
        "chatbot-redis": {"condition": "service_healthy"},
    }
    for name, needs in depends.items():
        for needed, how in needs.items():
            assert how["condition"] == "service_healthy", (name, needed)
            assert services[needed]["healthcheck"]["test"][0] == "CMD", needed
    # Over TCP, not the socket PostgreSQL's image initialises the database on.
    assert "-h" in services["chatbot-db"]["healthcheck"]["test"]


def test_the_database_has_a_volume_and_the_model_is_mounted_read_only() -> None:
    compose = load("compose.yaml")
    services = compose["services"]
    assert services["chatbot-db"]["volumes"] == ["chatbot-db-data:/var/lib/postgresql/data"]
    assert "chatbot-db-data" in compose["volumes"]
    assert services["llm-server"]["volumes"] == ["./models:/models:ro"]
    assert (DEPLOY / "models").is_dir()
    for name in ("llm-server", "chatbotservice", "gateway"):
        assert services[name]["read_only"] is True


def test_the_services_find_each_other_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    services = load("compose.yaml")["services"]
    for name in ("LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "MODEL_PATH", "API_KEY"):
        monkeypatch.delenv(name, raising=False)

    def settings_env(service: str) -> None:
        for key, value in env_of(services[service]).items():
            monkeypatch.setenv(key, value)

    settings_env("chatbotservice")
    chatbot = ChatbotSettings()
    assert chatbot.database_url == "postgresql+asyncpg://okla:pw123@chatbot-db:5432/okla"
    assert chatbot.redis_url == "redis://chatbot-redis:6379/0"
    assert (chatbot.llm_base_url, chatbot.llm_model) == ("http://llm-server:8000/v1", "okla")
    # The LLM server listens beyond loopback, so it needs a key: the chatbot sends the same.
    assert chatbot.llm_api_key is not None
    assert chatbot.llm_api_key.get_secret_value() == SECRETS["LLM_API_KEY"]
    settings_env("gateway")
    assert GatewaySettings().chatbot_url == "http://chatbotservice:5060"
    settings_env("llm-server")
    llm = LlmServerSettings()
    assert llm.model_path is None  # the bundled model
    assert llm.api_key is not None and llm.api_key.get_secret_value() == SECRETS["LLM_API_KEY"]
    # The ports the others use are the ones each container listens on (and publishes).
    assert services["chatbotservice"]["ports"] == ["127.0.0.1:5060:5060"]
    assert services["gateway"]["ports"] == ["127.0.0.1:18443:18443"]
    assert services["llm-server"]["ports"] == ["127.0.0.1:8000:8000"]


def test_secrets_must_be_given() -> None:
    with pytest.raises(KeyError, match="JWT_SECRET"):
        load("compose.yaml", {"POSTGRES_PASSWORD": "pw123", "LLM_API_KEY": "k" * 16})
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        load("compose.yaml", {"JWT_SECRET": "j" * 32, "LLM_API_KEY": "k" * 16})
    with pytest.raises(KeyError, match="LLM_API_KEY"):
        load("compose.yaml", {"JWT_SECRET": "j" * 32, "POSTGRES_PASSWORD": "pw123"})
    example = (DEPLOY / ".env.example").read_text()
    for name in SECRETS:
        assert f"\n{name}=\n" in example


def test_the_external_api_override_drops_the_llm_server() -> None:
    external = {**SECRETS, "LLM_SERVER_URL": "https://api.openai.com/v1",
                "LLM_MODEL_ID": "gpt-4o-mini", "LLM_API_KEY": "sk-test"}  # fmt: skip
    override = load("compose.external-api.yaml", external)["services"]
    # Off unless its profile is asked for; nothing waits for it.
    assert override["llm-server"] == {"profiles": ["local-llm"]}
    assert override["chatbotservice"]["depends_on"] == {
        "llm-server": {"condition": "service_healthy", "required": False}
    }
    environment = env_of(override["chatbotservice"])
    assert environment["LlmService__ServerUrl"] == "https://api.openai.com/v1"
    assert environment["LlmService__ApiKey"] == "sk-test"
    with pytest.raises(KeyError, match="LLM_API_KEY"):
        load("compose.external-api.yaml", {**external, "LLM_API_KEY": ""})

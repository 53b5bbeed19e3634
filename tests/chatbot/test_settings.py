"""The chatbot's settings: the original system's LlmService__* names, and empty variables."""

from __future__ import annotations

import pytest

from okla.chatbot.settings import ChatbotSettings

OKLA_NAMES = ("LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "LLM_TIMEOUT_SECONDS", "LLM_MAX_TOKENS")
ORIGINAL_NAMES = ("LlmService__ServerUrl", "LlmService__ModelId", "LlmService__ApiKey",
                  "LlmService__TimeoutSeconds", "LlmService__MaxTokens")  # fmt: skip


@pytest.fixture(autouse=True)
def no_llm_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*OKLA_NAMES, *ORIGINAL_NAMES, "JWT_SECRET", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)


def test_the_original_names_point_the_client_at_an_external_api(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The original's Kubernetes ConfigMap, as its README gives it.
    monkeypatch.setenv("LlmService__ServerUrl", "https://api.openai.com/v1")
    monkeypatch.setenv("LlmService__ModelId", "gpt-4o-mini")
    monkeypatch.setenv("LlmService__ApiKey", "sk-from-a-secret")
    monkeypatch.setenv("LlmService__TimeoutSeconds", "45")
    monkeypatch.setenv("LlmService__MaxTokens", "150")
    settings = ChatbotSettings()
    assert settings.llm_base_url == "https://api.openai.com/v1"
    assert settings.llm_model == "gpt-4o-mini"
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-from-a-secret"
    assert (settings.llm_timeout_seconds, settings.llm_max_tokens) == (45.0, 150)


def test_the_names_are_read_whatever_their_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMSERVICE__SERVERURL", "http://llm-server:8000/v1")
    monkeypatch.setenv("llm_model", "okla-llama3-8b")
    settings = ChatbotSettings()
    assert (settings.llm_base_url, settings.llm_model) == ("http://llm-server:8000/v1",
                                                           "okla-llama3-8b")  # fmt: skip


def test_okla_names_win_over_the_original_ones_and_flags_over_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LlmService__ServerUrl", "https://api.openai.com/v1")
    monkeypatch.setenv("LLM_BASE_URL", "http://llm-server:8000/v1")
    assert ChatbotSettings().llm_base_url == "http://llm-server:8000/v1"
    # `okla chat serve --llm-base-url` passes the field by name.
    flagged = ChatbotSettings(llm_base_url="http://127.0.0.1:8100/v1")
    assert flagged.llm_base_url == "http://127.0.0.1:8100/v1"


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    # A compose file's "${LLM_API_KEY:-}" or a Secret's empty key: not a key, not a secret.
    monkeypatch.setenv("LLM_API_KEY", "")
    monkeypatch.setenv("JWT_SECRET", "")
    monkeypatch.setenv("LLM_MODEL", "")
    monkeypatch.setenv("LlmService__ModelId", "gpt-4o-mini")
    settings = ChatbotSettings()
    assert settings.llm_api_key is None
    assert settings.jwt_secret is None
    assert settings.llm_model == "gpt-4o-mini"


def test_a_bad_value_under_an_original_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LlmService__TimeoutSeconds", "-5")
    # The error names the setting by OKLA's name (the first of its names).
    with pytest.raises(ValueError, match=r"LLM_TIMEOUT_SECONDS\n.*greater than 0"):
        ChatbotSettings()


def test_llm_base_url_takes_a_list_of_replicas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", " http://llm-0:8000/v1, http://llm-1:8000/v1/ ")
    settings = ChatbotSettings()
    assert settings.llm_base_urls == ("http://llm-0:8000/v1", "http://llm-1:8000/v1")
    monkeypatch.delenv("LLM_BASE_URL")
    monkeypatch.setenv("LlmService__ServerUrl", "http://llm-0:8000/v1,http://llm-1:8000/v1")
    assert len(ChatbotSettings().llm_base_urls) == 2
    # One URL is a list of one.
    assert ChatbotSettings(llm_base_url="http://llm:8000/v1").llm_base_urls == (
        "http://llm:8000/v1",
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("http://llm-0:8000/v1,,http://llm-1:8000/v1", "entry 2 of the list is empty"),
        ("http://llm-0:8000/v1,", "entry 2 of the list is empty"),
        (" , http://llm-1:8000/v1", "entry 1 of the list is empty"),
        ("http://llm-0:8000/v1,llm-1:8000", "entry 2 .* is not an http\\(s\\) URL"),
        ("ftp://llm-0/v1", "entry 1 .* is not an http\\(s\\) URL"),
        ("http://llm-0:80x0/v1", "entry 1 .* is not an http\\(s\\) URL"),
        ("http://llm-0:8000/v1,http://llm-0:8000/v1/", "listed twice"),
    ],
)
def test_a_bad_replica_list_stops_the_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, reason: str
) -> None:
    monkeypatch.setenv("LLM_BASE_URL", value)
    with pytest.raises(ValueError, match=rf"LLM_BASE_URL\n.*{reason}"):
        ChatbotSettings()

"""The LLM server's settings: an empty variable is no value."""

from __future__ import annotations

import pytest

from okla.llm_server.settings import LlmServerSettings


def test_empty_variables_keep_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    # What a compose file's "${MODEL_PATH:-}" passes: serve the bundled model, ask for no key.
    monkeypatch.setenv("MODEL_PATH", "")
    monkeypatch.setenv("API_KEY", "")
    monkeypatch.setenv("N_PARALLEL", "")
    settings = LlmServerSettings()
    assert settings.model_path is None
    assert settings.api_key is None
    assert settings.n_parallel == 4

"""The gateway's settings: an empty variable is no value."""

from __future__ import annotations

import pytest

from okla.gateway.settings import GatewaySettings


def test_an_empty_jwt_secret_is_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    # Else "" would become the HMAC key, and a token signed with "" would pass.
    monkeypatch.setenv("JWT_SECRET", "")
    monkeypatch.setenv("ALLOWED_ORIGINS", "")
    settings = GatewaySettings()
    assert settings.jwt_secret is None
    assert settings.allowed_origins == []
    monkeypatch.setenv("JWT_SECRET", "s3cret")
    secret = GatewaySettings().jwt_secret
    assert secret is not None and secret.get_secret_value() == "s3cret"

"""The chatbot verifies staff tokens itself and scopes them to their dealer."""

from __future__ import annotations

import time

import jwt
import pytest

from okla.chatbot.auth import Caller, Role, verify
from okla.common.errors import ForbiddenError, NotFoundError, UnauthorizedError

SECRET = "s" * 32


def token(**claims: object) -> str:
    return jwt.encode({"sub": "u1", "exp": int(time.time()) + 600, **claims}, SECRET, "HS256")


def test_a_dealer_token_is_scoped_to_its_dealer() -> None:
    caller = verify(token(role="admin", dealer="auto-dominicana-premium"), SECRET, "HS256")
    assert caller == Caller("u1", Role.ADMIN, "auto-dominicana-premium")
    assert caller.scope(None) == "auto-dominicana-premium"
    assert caller.sees("auto-dominicana-premium")
    assert not caller.sees("motores-del-cibao")
    with pytest.raises(NotFoundError):
        caller.scope("motores-del-cibao")


def test_an_operator_token_sees_every_dealer() -> None:
    caller = verify(token(role="admin"), SECRET, "HS256")
    assert caller.scope(None) is None
    assert caller.scope("motores-del-cibao") == "motores-del-cibao"


@pytest.mark.parametrize(
    ("claims", "error"),
    [
        ({"role": "agent"}, ForbiddenError),  # an agent must belong to a dealer
        ({"role": "customer", "dealer": "x"}, ForbiddenError),
        ({"role": "admin", "dealer": 7}, UnauthorizedError),
        ({"role": "admin", "exp": 1}, UnauthorizedError),
    ],
)
def test_bad_tokens_are_refused(claims: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        verify(token(**claims), SECRET, "HS256")


def test_a_forged_signature_and_a_missing_secret_are_refused() -> None:
    forged = jwt.encode({"sub": "u", "exp": int(time.time()) + 60, "role": "admin"}, "x" * 32)
    with pytest.raises(UnauthorizedError):
        verify(forged, SECRET, "HS256")
    with pytest.raises(UnauthorizedError):
        verify(token(role="admin"), None, "HS256")

"""The chatbot verifies staff tokens itself and scopes them to their dealer."""

from __future__ import annotations

import jwt
import pytest

from okla.chatbot.auth import Caller, Role, verify
from okla.common.errors import ForbiddenError, NotFoundError, UnauthorizedError
from okla.common.staff_tokens import MAX_ACCESS_SECONDS
from tests.utils.staff import JWT_SECRET as SECRET
from tests.utils.staff import mint


def token(**claims: object) -> str:
    return mint(sid="login-1", **claims)  # type: ignore[arg-type]


def test_a_dealer_token_is_scoped_to_its_dealer() -> None:
    caller = verify(token(role="admin", dealer="auto-dominicana-premium"), SECRET, "HS256")
    assert caller == Caller("u1", Role.ADMIN, "auto-dominicana-premium", "login-1")
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
        ({"role": "admin", "lifetime": -10}, UnauthorizedError),  # expired
        # The "token expiring 300 years out": longer than 15 minutes is refused.
        ({"role": "admin", "lifetime": 300 * 365 * 86400}, UnauthorizedError),
        ({"role": "admin", "lifetime": MAX_ACCESS_SECONDS + 1}, UnauthorizedError),
        ({"role": "admin", "iat": "yesterday"}, UnauthorizedError),
    ],
)
def test_bad_tokens_are_refused(claims: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        verify(token(**claims), SECRET, "HS256")


def test_a_token_of_fifteen_minutes_is_accepted() -> None:
    assert verify(token(lifetime=MAX_ACCESS_SECONDS), SECRET, "HS256").role == Role.ADMIN


def test_tokens_without_exp_or_iat_are_refused() -> None:
    for missing in ("exp", "iat"):
        claims = {"sub": "u", "role": "admin", "exp": 2_000_000_000, "iat": 1_999_999_900}
        del claims[missing]
        with pytest.raises(UnauthorizedError, match=missing):
            verify(jwt.encode(claims, SECRET, "HS256"), SECRET, "HS256")


def test_a_forged_signature_and_a_missing_secret_are_refused() -> None:
    forged = mint(secret="x" * 32)
    with pytest.raises(UnauthorizedError):
        verify(forged, SECRET, "HS256")
    with pytest.raises(UnauthorizedError):
        verify(token(role="admin"), None, "HS256")

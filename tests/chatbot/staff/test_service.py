"""Staff accounts and logins, on the in-memory database: passwords, tokens, rotation, revocation."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import jwt
import pytest

from okla.chatbot.auth import Caller, Role, verify
from okla.chatbot.staff.domain import Grant
from okla.common.errors import (
    ConflictError,
    NotFoundError,
    TooManyRequestsError,
    UnauthorizedError,
    UnprocessableError,
)
from okla.common.staff_tokens import MAX_ACCESS_SECONDS
from tests.utils.pipeline import Pipeline, pipeline
from tests.utils.staff import ADP, JWT_SECRET, PASSWORD


@pytest.fixture
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline() as built:
        yield built


async def login(chat: Pipeline, email: str, password: str = PASSWORD) -> Grant:
    return await chat.services.staff.login(email, password, "10.0.0.1")


def caller_of(grant: Grant) -> Caller:
    return verify(grant.access_token, JWT_SECRET, "HS256")


async def test_a_login_hands_out_a_short_token_naming_the_account(chat: Pipeline) -> None:
    await chat.services.staff.add_user(ADP, "Ana@Example.com", "Ana Pérez", Role.AGENT, PASSWORD)
    grant = await login(chat, "  ANA@example.COM ")
    claims = jwt.decode(grant.access_token, JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == grant.user.id
    assert (claims["role"], claims["dealer"]) == ("agent", ADP)
    assert claims["exp"] - claims["iat"] == grant.expires_in == MAX_ACCESS_SECONDS
    assert claims["jti"] and claims["sid"]
    assert (grant.user.email, grant.user.name) == ("ana@example.com", "Ana Pérez")
    caller = await chat.services.staff.confirm(caller_of(grant))
    assert caller == Caller(grant.user.id, Role.AGENT, ADP, claims["sid"])


async def test_wrong_password_and_unknown_email_are_the_same_401_in_the_same_time(
    chat: Pipeline,
) -> None:
    await chat.services.staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    timings: dict[str, float] = {}
    messages: set[str] = set()
    for email, password in (("ana@example.com", "wrong password!"), ("nobody@example.com", "x")):
        began = time.perf_counter()
        with pytest.raises(UnauthorizedError) as refused:
            await login(chat, email, password)
        timings[email] = time.perf_counter() - began
        messages.add(refused.value.message)
    assert messages == {"Wrong email or password."}
    known, unknown = timings["ana@example.com"], timings["nobody@example.com"]
    # Both check an argon2 hash (the unknown email a dummy one): neither is a shortcut.
    assert unknown > known / 3 and known > unknown / 3


async def test_a_disabled_account_can_t_sign_in_and_its_logins_end(chat: Pipeline) -> None:
    staff = chat.services.staff
    await staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    grant = await login(chat, "ana@example.com")
    await staff.disable_user("ana@example.com")
    with pytest.raises(UnauthorizedError, match="Wrong email or password"):
        await login(chat, "ana@example.com")
    with pytest.raises(UnauthorizedError):
        await staff.confirm(caller_of(grant))
    with pytest.raises(UnauthorizedError):
        await staff.refresh(grant.refresh_token)


async def test_sign_ins_are_rate_limited_per_email_and_client() -> None:
    async with pipeline(rate_limit_logins="3/minute") as chat:
        for _ in range(3):
            with pytest.raises(UnauthorizedError):
                await login(chat, "ana@example.com", "guess-guess")
        with pytest.raises(TooManyRequestsError) as limited:
            await login(chat, "ANA@example.com", "guess-guess")
        assert int(limited.value.headers["Retry-After"]) >= 1
        # Another email from the same client has its own count.
        with pytest.raises(UnauthorizedError):
            await login(chat, "luis@example.com", "guess-guess")


async def test_refresh_rotates_and_a_replayed_token_ends_the_login(chat: Pipeline) -> None:
    staff = chat.services.staff
    await staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    first = await login(chat, "ana@example.com")
    second = await staff.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    assert caller_of(second).session == caller_of(first).session, "the same login"
    await staff.confirm(caller_of(second))
    # The first refresh token again: someone copied it. The whole login ends.
    with pytest.raises(UnauthorizedError):
        await staff.refresh(first.refresh_token)
    with pytest.raises(UnauthorizedError):
        await staff.refresh(second.refresh_token)
    with pytest.raises(UnauthorizedError):
        await staff.confirm(caller_of(second))
    # Another login of the same account is untouched.
    other = await login(chat, "ana@example.com")
    await staff.confirm(caller_of(other))


async def test_logout_ends_the_login_and_its_access_tokens(chat: Pipeline) -> None:
    staff = chat.services.staff
    await staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    grant = await login(chat, "ana@example.com")
    other = await login(chat, "ana@example.com")
    await staff.logout(grant.refresh_token, None)
    with pytest.raises(UnauthorizedError):
        await staff.confirm(caller_of(grant))
    with pytest.raises(UnauthorizedError):
        await staff.refresh(grant.refresh_token)
    await staff.confirm(caller_of(other))
    # By the access token's login when there is no refresh token; unknown ones are no error.
    await staff.logout(None, caller_of(other).session)
    with pytest.raises(UnauthorizedError):
        await staff.confirm(caller_of(other))
    await staff.logout("no-such-token", None)


async def test_a_password_reset_ends_every_login(chat: Pipeline) -> None:
    staff = chat.services.staff
    await staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    grant = await login(chat, "ana@example.com")
    await staff.reset_password("ana@example.com", "another long password")
    with pytest.raises(UnauthorizedError):
        await staff.confirm(caller_of(grant))
    with pytest.raises(UnauthorizedError):
        await login(chat, "ana@example.com")
    await login(chat, "ana@example.com", "another long password")


async def test_tokens_not_from_a_login_or_out_of_date_are_refused(chat: Pipeline) -> None:
    staff = chat.services.staff
    await staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    grant = await login(chat, "ana@example.com")
    caller = caller_of(grant)
    with pytest.raises(UnauthorizedError, match="not issued by a login"):
        await staff.confirm(Caller(caller.subject, Role.AGENT, ADP))
    with pytest.raises(UnauthorizedError, match="changed"):
        await staff.confirm(Caller(caller.subject, Role.MANAGER, ADP, caller.session))
    with pytest.raises(UnauthorizedError, match="changed"):
        await staff.confirm(Caller(caller.subject, Role.AGENT, "motores-del-cibao", caller.session))
    with pytest.raises(UnauthorizedError):
        await staff.confirm(Caller("someone-else", Role.AGENT, ADP, caller.session))


async def test_an_operator_has_no_dealer(chat: Pipeline) -> None:
    await chat.services.staff.add_user(None, "op@example.com", "Operador", Role.ADMIN, PASSWORD)
    grant = await login(chat, "op@example.com")
    assert "dealer" not in jwt.decode(grant.access_token, JWT_SECRET, algorithms=["HS256"])
    assert (await chat.services.staff.confirm(caller_of(grant))).dealer is None


@pytest.mark.parametrize(
    ("dealer", "email", "name", "role", "password", "error", "field"),
    [
        (ADP, "not-an-email", "Ana", Role.AGENT, PASSWORD, UnprocessableError, "email"),
        (ADP, "ana@example.com", "  ", Role.AGENT, PASSWORD, UnprocessableError, "name"),
        (None, "ana@example.com", "Ana", Role.AGENT, PASSWORD, UnprocessableError, "dealer"),
        (None, "ana@example.com", "Ana", Role.MANAGER, PASSWORD, UnprocessableError, "dealer"),
        ("nope", "ana@example.com", "Ana", Role.AGENT, PASSWORD, NotFoundError, "dealer"),
        (ADP, "ana@example.com", "Ana", Role.AGENT, "short", UnprocessableError, "password"),
    ],
)
async def test_bad_accounts_are_refused_naming_the_field(
    chat: Pipeline,
    dealer: str | None,
    email: str,
    name: str,
    role: Role,
    password: str,
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error) as refused:
        await chat.services.staff.add_user(dealer, email, name, role, password)
    assert getattr(refused.value, "field", None) == field


async def test_emails_are_unique_whatever_their_case(chat: Pipeline) -> None:
    await chat.services.staff.add_user(ADP, "ana@example.com", "Ana", Role.AGENT, PASSWORD)
    with pytest.raises(ConflictError):
        await chat.services.staff.add_user(ADP, "ANA@Example.com", "Ana", Role.AGENT, PASSWORD)
    with pytest.raises(NotFoundError):
        await chat.services.staff.disable_user("nobody@example.com")

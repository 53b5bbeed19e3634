"""`okla chat add-user | reset-password | disable-user`: staff accounts from the command line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from okla.chatbot.auth import Role
from okla.chatbot.cache import Coordinator
from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.settings import ChatbotSettings, normalize_database_url
from okla.chatbot.staff.domain import Grant
from okla.chatbot.staff.passwords import Passwords
from okla.chatbot.staff.service import StaffService
from okla.cli import main
from okla.common.errors import UnauthorizedError
from tests.utils.staff import ADP, JWT_SECRET

pytestmark = pytest.mark.integration


@pytest.fixture
def url(tmp_path: Path) -> str:
    address = f"sqlite:///{tmp_path / 'accounts.db'}"
    assert main(["chat", "load-demo", "--database-url", address]) == 0
    return address


def okla(url: str, *args: str) -> int:
    return main(["chat", *args, "--database-url", url])


def login(url: str, email: str, password: str) -> Grant:
    """Sign in as the service would, on the CLI's database."""

    async def run() -> Grant:
        settings = ChatbotSettings(database_url=url, jwt_secret=JWT_SECRET)  # type: ignore[arg-type]
        engine = create_engine(normalize_database_url(url))
        try:
            staff = StaffService(settings, session_factory(engine), Coordinator(None), Passwords())
            return await staff.login(email, password, "cli-test")
        finally:
            await engine.dispose()

    return asyncio.run(run())


def printed_password(out: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith("password: ")]
    assert len(lines) == 1, out
    return lines[0].removeprefix("password: ")


def test_add_user_makes_up_a_strong_password_and_prints_it(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = okla(url, "add-user", "--dealer", ADP, "--email", "Ana@Example.com",
                "--name", "Ana Pérez", "--role", "agent")  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "added agent ana@example.com (dealer auto-dominicana-premium)" in out
    password = printed_password(out)
    assert len(password) >= 20
    grant = login(url, "ana@example.com", password)
    assert (grant.user.role, grant.user.dealer, grant.user.name) == (Role.AGENT, ADP, "Ana Pérez")


def test_a_given_password_is_not_printed(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = okla(url, "add-user", "--email", "op@example.com", "--name", "Operador",
                "--role", "admin", "--password", "a long operator password")  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "every dealer" in out and "password" not in out
    assert login(url, "op@example.com", "a long operator password").user.dealer is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "a@example.com", "--name", "A", "--role", "agent"], "belongs to a dealer"),
        (["--dealer", "nope", "--email", "a@example.com", "--name", "A", "--role", "manager"],
         "No dealer 'nope'"),
        (["--dealer", ADP, "--email", "not-an-email", "--name", "A", "--role", "agent"],
         "Not an email address"),
        (["--dealer", ADP, "--email", "a@example.com", "--name", "A", "--role", "agent",
          "--password", "short"], "10 to 256 characters"),
    ],
)  # fmt: skip
def test_bad_accounts_are_explained(
    url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert okla(url, "add-user", *args) == 1
    captured = capsys.readouterr()
    assert message in captured.err and "password:" not in captured.out


def test_an_email_is_taken_whatever_its_case(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--dealer", ADP, "--name", "Ana", "--role", "agent"]
    assert okla(url, "add-user", "--email", "ana@example.com", *args) == 0
    assert okla(url, "add-user", "--email", "ANA@example.com", *args) == 1
    assert "exists" in capsys.readouterr().err


def test_reset_password_and_disable_user(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    okla(url, "add-user", "--dealer", ADP, "--email", "ana@example.com", "--name", "Ana",
         "--role", "manager", "--password", "the first password")  # fmt: skip
    login(url, "ana@example.com", "the first password")
    capsys.readouterr()
    assert okla(url, "reset-password", "--email", "ANA@example.com") == 0
    password = printed_password(capsys.readouterr().out)
    with pytest.raises(UnauthorizedError):
        login(url, "ana@example.com", "the first password")
    login(url, "ana@example.com", password)
    assert okla(url, "disable-user", "--email", "ana@example.com") == 0
    assert "disabled ana@example.com" in capsys.readouterr().out
    with pytest.raises(UnauthorizedError):
        login(url, "ana@example.com", password)
    assert okla(url, "disable-user", "--email", "nobody@example.com") == 1
    assert "No account" in capsys.readouterr().err

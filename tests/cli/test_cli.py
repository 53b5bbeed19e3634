"""The `okla` command's parser and the stack it starts, without starting anything."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from okla.cli import build_parser, main
from okla.cli.stack import Stack, StackKeys

_ENV = ("HOST", "PORT", "CHATBOT_HOST", "CHATBOT_PORT", "GATEWAY_HOST", "GATEWAY_PORT",
        "LLM_BASE_URL", "LLM_TIMEOUT_SECONDS", "CHATBOT_URL", "ROUTES_FILE")  # fmt: skip


@pytest.fixture(autouse=True)
def embedded_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKLA_RUN_DIR", str(tmp_path / "run"))


def leaves(parser: argparse.ArgumentParser, path: list[str]) -> Iterator[list[str]]:
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield path
    for action in subcommands:
        for name, sub in action.choices.items():
            yield from leaves(sub, [*path, name])


def test_every_command_names_the_function_that_runs_it() -> None:
    parser = build_parser()
    commands = list(leaves(parser, []))
    assert len(commands) == 24
    required = {
        "import-inventory": [str(Path("stock.csv")), "--dealer", "x"],
        "import-dealers": [str(Path("dealers.yaml"))],
        "add-user": ["--email", "a@example.com", "--name", "A", "--role", "agent"],
        "reset-password": ["--email", "a@example.com"],
        "disable-user": ["--email", "a@example.com"],
        "forget": ["--phone", "8095550142"],
    }
    for command in commands:
        args = parser.parse_args([*command, *required.get(command[-1], [])])
        assert callable(args.run), command


def test_the_stack_points_each_service_at_the_next() -> None:
    llm, chat, gateway = Stack.from_environment().specs()
    assert (llm.name, llm.port, llm.command[-2:]) == ("llm", 8000, ["llm", "serve"])
    assert chat.command[-4:] == ["chat", "serve", "--demo",
                                 "--llm-base-url=http://127.0.0.1:8000/v1"]  # fmt: skip
    assert (chat.port, chat.health_path) == (5060, "/api/chat/health")
    assert gateway.command[-3:] == ["gateway", "serve", "--chatbot-url=http://127.0.0.1:5060"]
    assert gateway.port == 18443
    assert llm.command[0] == sys.executable


def test_the_stack_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8100")
    monkeypatch.setenv("CHATBOT_PORT", "5100")
    _llm, chat, gateway = Stack.from_environment().specs()
    assert chat.command[-1] == "--llm-base-url=http://127.0.0.1:8100/v1"
    assert gateway.command[-1] == "--chatbot-url=http://127.0.0.1:5100"


def test_commands_report_through_their_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "export-demo-csv", "--dealer", "nadie"]) == 1
    assert "unknown dealer 'nadie'" in capsys.readouterr().err
    assert main(["chat", "export-demo-csv"]) == 0
    assert capsys.readouterr().out.startswith("stock_number,")
    assert main(["gateway", "status", "--port", "1"]) == 3
    assert capsys.readouterr().out == "gateway: not running\n"
    assert main(["llm", "stop", "--port", "1"]) == 0
    assert capsys.readouterr().out == "llm: not running\n"


def test_up_shares_new_keys_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("API_KEY", raising=False)
    monkeypatch.delenv("GATEWAY_KEY", raising=False)
    monkeypatch.delenv("JWT_SECRET", raising=False)
    keys = StackKeys.from_environment()
    assert keys != StackKeys.from_environment()  # new at each start
    llm, chat, gateway = Stack.from_environment().specs(keys)
    assert llm.env == {"API_KEY": keys.llm}
    assert chat.env == {
        "LLM_API_KEY": keys.llm,
        "GATEWAY_KEY": keys.gateway,
        "JWT_SECRET": keys.staff,
    }
    assert gateway.env == {
        "GATEWAY_KEY": keys.gateway,
        "JWT_SECRET": keys.staff,
        "GATEWAY_TEST_PAGES": "1",
    }
    for spec in (llm, chat, gateway):
        # Never in a command line, which every local user can read.
        secrets = {keys.llm, keys.gateway, keys.staff}
        assert not secrets & {part.split("=")[-1] for part in spec.command}
        assert not any(secret in repr(spec) or secret in repr(keys) for secret in secrets)
    monkeypatch.setenv("API_KEY", "mine")
    assert StackKeys.from_environment().llm == "mine"


def test_the_llm_server_needs_a_key_beyond_loopback() -> None:
    from okla.llm_server.settings import LlmServerSettings

    assert not LlmServerSettings(host="127.0.0.1").open_without_key()
    assert not LlmServerSettings(host="::1").open_without_key()
    assert LlmServerSettings(host="0.0.0.0").open_without_key()
    assert not LlmServerSettings(host="0.0.0.0", api_key="k").open_without_key()  # type: ignore[arg-type]
    assert not LlmServerSettings(host="0.0.0.0", allow_no_api_key=True).open_without_key()
    assert LlmServerSettings(host="0.0.0.0", api_key="").open_without_key()  # type: ignore[arg-type]

"""`okla up | down | status`: the whole stack on its embedded defaults."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from okla.cli.service import Commands, attempt
from okla.cli.services import CHAT, GATEWAY, LLM

if TYPE_CHECKING:
    from okla.chatbot.settings import ChatbotSettings
    from okla.gateway.settings import GatewaySettings
    from okla.llm_server.settings import LlmServerSettings
    from okla.process import ServiceSpec


def add_commands(services: Commands) -> None:
    """Add `okla up`, `okla down` and `okla status`."""
    up_command = services.add_parser("up", help="start the whole stack in the background")
    up_command.add_argument("--wait-timeout", type=float, default=240.0)
    up_command.set_defaults(run=up)
    services.add_parser("down", help="stop the whole stack").set_defaults(run=down)
    services.add_parser("status", help="show the whole stack's state").set_defaults(run=status)


@dataclass(frozen=True)
class Stack:
    """The settings of the three services, each pointed at the next."""

    llm: LlmServerSettings
    chat: ChatbotSettings
    gateway: GatewaySettings

    @classmethod
    def from_environment(cls) -> Stack:
        """Read each service's settings, with the chatbot and gateway wired to loopback."""
        from okla.chatbot.settings import ChatbotSettings
        from okla.gateway.settings import GatewaySettings
        from okla.llm_server.settings import LlmServerSettings

        llm = LlmServerSettings()
        chat = ChatbotSettings(llm_base_url=_llm_url(llm))
        return cls(llm, chat, GatewaySettings(chatbot_url=_chat_url(chat)))

    def specs(self, keys: StackKeys | None = None) -> list[ServiceSpec]:
        """Return the services in start order (given their keys when they are to start)."""
        llm, chat, gateway = keys.environments() if keys else ({}, {}, {})
        return [
            LLM.spec(self.llm, {}, llm),
            CHAT.spec(self.chat, {"llm_base_url": _llm_url(self.llm)}, chat),
            GATEWAY.spec(self.gateway, {"chatbot_url": _chat_url(self.chat)}, gateway),
        ]


@dataclass(frozen=True)
class StackKeys:
    """The keys the services of one `okla up` share, new at each start unless configured.

    The LLM server takes requests only with its key (API_KEY), which the chatbot sends
    (LLM_API_KEY); the chatbot believes the client address the gateway forwards only with
    the gateway's key (GATEWAY_KEY on both); both sign and check advisors' sign-ins with one
    JWT_SECRET (without it the console can't sign anyone in).
    """

    llm: str = field(repr=False)
    gateway: str = field(repr=False)
    staff: str = field(repr=False)

    @classmethod
    def from_environment(cls) -> StackKeys:
        """Take API_KEY, GATEWAY_KEY and JWT_SECRET from the environment, or make new ones."""
        import os
        import secrets

        return cls(
            llm=os.environ.get("API_KEY") or secrets.token_urlsafe(32),
            gateway=os.environ.get("GATEWAY_KEY") or secrets.token_urlsafe(32),
            staff=os.environ.get("JWT_SECRET") or secrets.token_urlsafe(48),
        )

    def environments(self) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """Return what the LLM server, the chatbot and the gateway get in their environment."""
        return (
            {"API_KEY": self.llm},
            {"LLM_API_KEY": self.llm, "GATEWAY_KEY": self.gateway, "JWT_SECRET": self.staff},
            # The demo stack serves the developers' test page too.
            {"GATEWAY_KEY": self.gateway, "JWT_SECRET": self.staff, "GATEWAY_TEST_PAGES": "1"},
        )


def _llm_url(llm: LlmServerSettings) -> str:
    return f"http://127.0.0.1:{llm.port}/v1"


def _chat_url(chat: ChatbotSettings) -> str:
    return f"http://127.0.0.1:{chat.port}"


def up(args: argparse.Namespace) -> int:
    """Start the LLM server, the chatbot and the gateway, each waiting for the one before."""
    from okla import process

    stack = Stack.from_environment()
    specs = stack.specs(StackKeys.from_environment())
    for spec in specs:
        code = attempt("up", partial(process.start, spec, wait_timeout=args.wait_timeout))
        if code:
            return code
    gateway = specs[-1]
    print(
        f"\nOKLA is up: open http://{gateway.host}:{gateway.port}/ and click the chat "
        f"bubble (test page: /chat-test.html). Stop it with 'okla down'.\n"
        f"Advisors' console: http://{gateway.host}:{gateway.port}/agent.html (make an account "
        f"with 'okla chat add-user --dealer auto-dominicana-premium --email E --name N "
        f"--role manager')."
    )
    return 0


def down(_args: argparse.Namespace) -> int:
    """Stop the stack's services, the gateway first."""
    from okla import process

    for spec in reversed(Stack.from_environment().specs()):
        code = attempt("down", partial(process.stop, spec))
        if code:
            return code
    return 0


def status(_args: argparse.Namespace) -> int:
    """Show each service's state; exit 3 unless every health check answers 200."""
    from okla import process

    texts = [process.status_text(spec) for spec in Stack.from_environment().specs()]
    print("\n".join(texts))
    return 0 if all("-> 200" in t for t in texts) else 3

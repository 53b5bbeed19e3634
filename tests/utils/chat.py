"""The chatbot service for the tests: its settings, served on a loopback port, and a client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from okla.chatbot.app import create_app
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.settings import ChatbotSettings
from okla.gateway.app import create_app as create_gateway
from okla.gateway.settings import DEFAULT_ROUTES, GatewaySettings
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.staff import JWT_SECRET


def chat_settings(
    tmp: Path, llm_url: str, database_url: str | None = None, **overrides: object
) -> ChatbotSettings:
    """Settings for a test service: its own database, the given LLM (always asked first)."""
    values: dict[str, object] = {
        # The tests of the model path expect it; auto and template have tests of their own.
        "answer_mode": "model",
        "database_url": database_url or f"sqlite+aiosqlite:///{tmp / 'chat.db'}",
        "redis_url": None,
        "llm_base_url": llm_url,
        "llm_timeout_seconds": 5,
        "breaker_cooldown_seconds": 1,
        "rate_limit_messages": "1000/minute",
        "rate_limit_sessions": "1000/minute",
        "jwt_secret": JWT_SECRET,
        "rate_limit_logins": "1000/minute",
    }
    values.update(overrides)
    return ChatbotSettings(**values)  # type: ignore[arg-type]


@contextmanager
def serve_chatbot(settings: ChatbotSettings, clock: Clock = system_clock) -> Iterator[str]:
    """Serve the chatbot with the demo data on a loopback port; yield its base URL."""
    with serve(create_app(settings, demo_data=True, clock=clock)) as url:
        yield url


@dataclass
class ChatClient:
    """A customer of a running chatbot service (or of the gateway in front of it)."""

    url: str
    reply_timeout: float = field(default=60, kw_only=True)

    def start(self, dealer: str | None = None) -> str:
        """Start a session; return its token."""
        body = {"sessionType": "WebChat"} | ({"dealerId": dealer} if dealer else {})
        response = httpx.post(f"{self.url}/api/chat/start", json=body, timeout=30)
        assert response.status_code == 201, response.text
        token: str = response.json()["sessionToken"]
        return token

    def say(self, token: str, text: str, **headers: str) -> httpx.Response:
        """Send a message and wait for the whole reply."""
        return httpx.post(
            f"{self.url}/api/chat/message",
            json={"sessionToken": token, "message": text},
            headers=headers,
            timeout=self.reply_timeout,
        )

    async def say_together(
        self, token: str, text: str, times: int, **headers: str
    ) -> list[httpx.Response]:
        """Send the same message `times` times at once."""
        async with httpx.AsyncClient(base_url=self.url, timeout=self.reply_timeout) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        "/api/chat/message",
                        json={"sessionToken": token, "message": text},
                        headers=headers,
                    )
                    for _ in range(times)
                )
            )

    @contextmanager
    def stream(self, token: str, text: str) -> Iterator[httpx.Response]:
        """Send a message asking for the reply as server-sent events; yield the open response."""
        with httpx.stream(
            "POST",
            f"{self.url}/api/chat/message",
            json={"sessionToken": token, "message": text},
            headers={"Accept": "text/event-stream"},
            timeout=self.reply_timeout,
        ) as response:
            yield response


@dataclass
class ChatApi(ChatClient):
    """A running chatbot service and its scripted LLM."""

    llm: ScriptedLlm
    settings: ChatbotSettings


@contextmanager
def serve_chat_api(
    settings: ChatbotSettings, llm: ScriptedLlm, clock: Clock = system_clock
) -> Iterator[ChatApi]:
    """Serve the chatbot answering through the scripted LLM; yield a client for it."""
    with serve_chatbot(settings, clock) as url:
        yield ChatApi(url, llm, settings)


@contextmanager
def serve_staff_gateway(tmp: Path, chat_url: str) -> Iterator[str]:
    """Serve the gateway before a chatbot, checking staff tokens, its staff limits loosened."""
    routes = json.loads(DEFAULT_ROUTES.read_text())
    routes["rateLimits"] |= {"staff-auth": "1000/minute", "admin": "1000/minute"}
    file = tmp / "routes.json"
    file.write_text(json.dumps(routes))
    gateway = GatewaySettings(
        routes_file=file,
        chatbot_url=chat_url,
        jwt_secret=JWT_SECRET,  # type: ignore[arg-type]
    )
    with serve(create_gateway(gateway)) as url:
        yield url

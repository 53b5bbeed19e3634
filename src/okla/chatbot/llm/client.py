"""OpenAI-compatible LLM client: the local LLM server by default, or an external provider."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypedDict, cast

import openai
from openai.types.chat import ChatCompletionMessageParam

from okla.chatbot.llm.breaker import BreakerState
from okla.chatbot.settings import ChatbotSettings


class LlmMessage(TypedDict):
    """One chat message sent to the model."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ReplicaProbe:
    """Whether one LLM replica answers, and how the router sees it."""

    url: str  # without credentials
    up: bool
    error: str | None
    breaker: BreakerState
    in_flight: int


@dataclass(frozen=True)
class LlmProbe:
    """Whether the LLM answers, and the models it serves (or why it doesn't answer)."""

    up: bool
    models: tuple[str, ...] = ()
    error: str | None = None
    replicas: tuple[ReplicaProbe, ...] = ()  # each replica's, when there are several


class LlmUnavailableError(Exception):
    """The LLM could not answer (down, overloaded, timed out, or an error)."""


class LlmBusyError(LlmUnavailableError):
    """The LLM refused at once for want of room (a full queue, a rate limit): it isn't failing."""


class LlmDownError(LlmUnavailableError):
    """The LLM could not be reached, timed out or failed on its side (5xx): it is failing."""


class ChatModel(Protocol):
    """What the chatbot needs of an LLM; the real client and the tests' fakes provide it."""

    def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,
    ) -> AsyncGenerator[str]:
        """Yield the reply's text as it is generated; closing the generator ends the request.

        Calls with the same `affinity` (a conversation's id) go to the same LLM replica while
        it can take them, so its prompt cache holds the conversation.
        """
        ...

    async def probe(self) -> LlmProbe:
        """Tell quickly whether the LLM answers."""
        ...

    async def close(self) -> None:
        """Release the connections."""
        ...


class LlmClient:
    """Stream chat completions; never retries (the original's retries duplicated requests)."""

    def __init__(self, settings: ChatbotSettings, base_url: str | None = None) -> None:
        self.settings = settings
        self.base_url = base_url or settings.llm_base_urls[0]
        key = settings.llm_api_key
        self._client = openai.AsyncOpenAI(
            base_url=self.base_url,
            api_key=key.get_secret_value() if key else "unused",
            max_retries=0,
            timeout=settings.llm_timeout_seconds,
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.close()

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,  # one server: every conversation goes to it
    ) -> AsyncGenerator[str]:
        """Yield the reply's text as it is generated."""
        try:
            stream = await self._client.chat.completions.create(
                model=self.settings.llm_model,
                messages=cast("list[ChatCompletionMessageParam]", list(messages)),
                max_tokens=max_tokens,
                temperature=temperature,
                stream=True,
            )
            async with stream:
                async for chunk in stream:
                    if chunk.choices and chunk.choices[0].delta.content:
                        yield chunk.choices[0].delta.content
        except openai.APIError as exc:
            if _busy(exc):
                raise LlmBusyError(_describe(exc)) from exc
            if _down(exc):
                raise LlmDownError(_describe(exc)) from exc
            raise LlmUnavailableError(_describe(exc)) from exc
        except OSError as exc:
            raise LlmDownError(f"{type(exc).__name__}: {exc}") from exc

    async def probe(self) -> LlmProbe:
        """Ask the LLM for its model list, quickly, for the health check."""
        try:
            models = await self._client.models.list(timeout=2.0)
        except (openai.APIError, OSError) as exc:
            return LlmProbe(up=False, error=_describe(exc))
        return LlmProbe(up=True, models=tuple(m.id for m in models.data)[:5])


def _busy(exc: openai.APIError) -> bool:
    """Tell a refusal for want of room now from a failure.

    The LLM server answers 503 `queue_full` at once when its queue is full; an external API
    answers 429 when its rate limit is reached (but also when the account's quota is spent,
    which is a failure: retrying won't help).
    """
    if not isinstance(exc, openai.APIStatusError):
        return False
    if exc.status_code == 503:
        return exc.code == "queue_full"
    return exc.status_code == 429 and exc.code != "insufficient_quota"


def _down(exc: openai.APIError) -> bool:
    """Tell a failing LLM (unreachable, too slow, a 5xx) from a request it refused (a 4xx)."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)  # APITimeoutError is one too


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}: {exc.message}"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect: {exc.__cause__ or exc}"
    return str(exc) or type(exc).__name__

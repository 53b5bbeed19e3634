"""The LLM client: a refusal for want of room is told apart from a failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from okla.chatbot.llm.client import LlmBusyError, LlmClient, LlmUnavailableError
from tests.utils.pipeline import unit_settings
from tests.utils.servers import serve

pytestmark = pytest.mark.integration

# (status, OpenAI error code) the stand-in answers for each path's model name.
REFUSALS = {
    "queue-full": (503, "queue_full"),  # the LLM server's queue is full
    "rate-limited": (429, "rate_limit_exceeded"),  # an external API's rate limit
    "no-quota": (429, "insufficient_quota"),  # an external API's account is spent
    "loading": (503, "model_not_ready"),  # the LLM server is still loading its model
    "broken": (500, None),
}


@pytest.fixture(scope="module")
def refusing() -> Iterator[str]:
    """An OpenAI-compatible stand-in that refuses each request the way its model name says."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(body: dict[str, object]) -> JSONResponse:
        status, code = REFUSALS[str(body["model"])]
        error = {"message": "refused", "type": "server_error", "param": None, "code": code}
        return JSONResponse({"error": error}, status_code=status, headers={"Retry-After": "1"})

    with serve(app) as url:
        yield f"{url}/v1"


async def refusal(url: str, model: str) -> LlmUnavailableError:
    client = LlmClient(unit_settings(llm_base_url=url, llm_model=model))
    try:
        with pytest.raises(LlmUnavailableError) as raised:
            async for _ in client.stream([], max_tokens=16, temperature=0):
                pass
    finally:
        await client.close()
    return raised.value


@pytest.mark.parametrize("model", ["queue-full", "rate-limited"])
async def test_no_room_now_is_busy(refusing: str, model: str) -> None:
    error = await refusal(refusing, model)
    assert isinstance(error, LlmBusyError)
    assert str(error).startswith(f"HTTP {REFUSALS[model][0]}")


@pytest.mark.parametrize("model", ["no-quota", "loading", "broken"])
async def test_other_refusals_are_failures(refusing: str, model: str) -> None:
    assert not isinstance(await refusal(refusing, model), LlmBusyError)

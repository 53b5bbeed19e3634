"""The bounded queue and cancellation, on a real server with one slot and one waiting place."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest

from bench.processes import ServerProcess
from tests.utils.processes import launch_llm_server

pytestmark = pytest.mark.integration

LONG = 400


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = launch_llm_server(
        tmp_path_factory.mktemp("busy"),
        env={"N_PARALLEL": "1", "MAX_QUEUE": "1", "MAX_TOKENS": str(LONG)},
    )
    server.wait_ready()
    yield server
    server.stop()


def long_request(server: ServerProcess, stream: bool) -> dict[str, object]:
    eos = httpx.get(f"{server.url}/info").json()["model"]["eos_token"]["id"]
    return {
        "messages": [{"role": "user", "content": "Write a very long story."}],
        "max_tokens": LONG,
        "stream": stream,
        # Forbid the end-of-sequence token so the reply really is LONG tokens long.
        "logit_bias": {str(eos): -100},
    }


async def health(client: httpx.AsyncClient) -> dict[str, int]:
    body: dict[str, int] = (await client.get("/health")).json()
    return body


async def wait_for(client: httpx.AsyncClient, key: str, value: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (await health(client))[key] == value:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{key} never became {value}: {await health(client)}")


def counter(metrics: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", metrics, re.MULTILINE)
    assert match, name
    return float(match.group(1))


@asynccontextmanager
async def running_stream(
    client: httpx.AsyncClient, body: dict[str, object]
) -> AsyncIterator[AsyncIterator[str]]:
    """Open a streamed completion and yield its lines once the first token arrived."""
    async with client.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        lines = response.aiter_lines()
        async for line in lines:
            if '"content":"' in line and '"content":""' not in line:
                break
        yield lines


async def test_full_queue_answers_503_at_once(busy_server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=busy_server.url, timeout=60) as client:
        body = long_request(busy_server, stream=True)
        async with running_stream(client, body):
            waiting = asyncio.create_task(
                client.post("/v1/chat/completions", json=long_request(busy_server, False))
            )
            await wait_for(client, "queue_depth", 1)
            before = time.monotonic()
            refused = await client.post("/v1/chat/completions", json=body)
            elapsed = time.monotonic() - before
            assert refused.status_code == 503
            assert int(refused.headers["retry-after"]) >= 1
            error = refused.json()["error"]
            assert error["code"] == "queue_full"
            assert "MAX_QUEUE=1" in error["message"]
            # Refused while the running reply still has hundreds of tokens to go.
            assert elapsed < 2.0
            waiting.cancel()
            await asyncio.gather(waiting, return_exceptions=True)
        await wait_for(client, "requests_in_flight", 0)
        metrics = (await client.get("/metrics")).text
        assert counter(metrics, 'okla_llm_requests_total{outcome="rejected"}') >= 1


async def test_disconnect_stops_generation_and_frees_the_slot(busy_server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=busy_server.url, timeout=60) as client:
        await wait_for(client, "requests_in_flight", 0)
        metrics = (await client.get("/metrics")).text
        tokens_before = counter(metrics, "okla_llm_completion_tokens_total")
        cancelled_before = counter(metrics, 'okla_llm_requests_total{outcome="cancelled"}')

        async with running_stream(client, long_request(busy_server, stream=True)) as lines:
            for _ in range(2):
                await anext(lines)
        # Leaving the block closed the connection mid-reply.
        await wait_for(client, "requests_in_flight", 0)

        metrics = (await client.get("/metrics")).text
        generated = counter(metrics, "okla_llm_completion_tokens_total") - tokens_before
        assert 0 < generated < LONG / 4, f"generation ran on after the disconnect: {generated}"
        assert counter(metrics, 'okla_llm_requests_total{outcome="cancelled"}') == (
            cancelled_before + 1
        )
        # The freed slot serves the next request.
        reply = await client.post(
            "/v1/chat/completions",
            json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 5},
        )
        assert reply.status_code == 200


async def test_waiting_client_that_leaves_frees_its_queue_place(
    busy_server: ServerProcess,
) -> None:
    async with httpx.AsyncClient(base_url=busy_server.url, timeout=60) as client:
        await wait_for(client, "requests_in_flight", 0)
        async with running_stream(client, long_request(busy_server, stream=True)):
            leaver = asyncio.create_task(
                client.post("/v1/chat/completions", json=long_request(busy_server, False))
            )
            await wait_for(client, "queue_depth", 1)
            leaver.cancel()
            await asyncio.gather(leaver, return_exceptions=True)
            await wait_for(client, "queue_depth", 0)
            # Its place is free: the next request waits instead of being refused.
            taker = asyncio.create_task(
                client.post(
                    "/v1/chat/completions",
                    json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3},
                )
            )
            await wait_for(client, "queue_depth", 1)
        reply = await taker
        assert reply.status_code == 200
        await wait_for(client, "requests_in_flight", 0)

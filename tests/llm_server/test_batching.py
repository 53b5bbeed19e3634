"""Continuous batching and the prompt cache, on a real server with four slots."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bench.processes import ServerProcess
from tests.utils.processes import launch_llm_server

pytestmark = pytest.mark.integration

SLOTS = 4
CHUNK = 16
# Long enough that the KV memory passes 512 cells, where llama.cpp's attention kernels for one
# row and for several rows differ unless the KV cache type keeps every row on its own.
LONG_SYSTEM = "You are a helpful assistant. " + " ".join(
    f"Rule {i}: answer about item {i} with care." for i in range(70)
)
TOPICS = ["a dragon", "a lighthouse", "a lost robot", "a night market", "a taxi", "a cat"]


@pytest.fixture(scope="module")
def batch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = launch_llm_server(
        tmp_path_factory.mktemp("batch"),
        env={
            "N_PARALLEL": str(SLOTS),
            "PROMPT_CHUNK": str(CHUNK),
            "MAX_QUEUE": "16",
            "MAX_TOKENS": "400",
            "N_CTX": "2048",
        },
    )
    server.wait_ready()
    yield server
    server.stop()


def no_eos(server: ServerProcess) -> dict[str, Any]:
    """Return request fields that forbid the end-of-sequence token: replies run to length."""
    token = httpx.get(f"{server.url}/info").json()["model"]["eos_token"]["id"]
    return {"logit_bias": {str(token): -100}}


def story(i: int, long: bool = False) -> list[dict[str, str]]:
    system = LONG_SYSTEM if long else "You are a helpful assistant."
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Write a story about {TOPICS[i % len(TOPICS)]}."},
    ]


async def complete(
    client: httpx.AsyncClient, messages: list[dict[str, str]], max_tokens: int, **extra: Any
) -> dict[str, Any]:
    body = {"messages": messages, "max_tokens": max_tokens, "temperature": 0, **extra}
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


def text_of(reply: dict[str, Any]) -> str:
    content: str = reply["choices"][0]["message"]["content"]
    return content


def metric(metrics: str, name: str, default: float | None = None) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", metrics, re.MULTILINE)
    if match is None and default is not None:
        return default  # a labelled counter appears with its first event
    assert match, name
    return float(match.group(1))


async def until(client: httpx.AsyncClient, check: Callable[[dict[str, Any]], bool]) -> None:
    """Poll /health until `check` holds for it."""
    deadline = time.monotonic() + 30
    while not check(health := (await client.get("/health")).json()):
        assert time.monotonic() < deadline, health
        await asyncio.sleep(0.02)


async def idle(client: httpx.AsyncClient) -> None:
    await until(client, lambda health: health["requests_in_flight"] == 0)


async def test_concurrent_replies_are_token_for_token_what_each_gets_alone(
    batch_server: ServerProcess,
) -> None:
    # More requests than slots, half with a long shared system prompt, different lengths.
    requests = [(story(i, long=i % 2 == 0), 24 + 8 * i) for i in range(SLOTS * 2)]
    async with httpx.AsyncClient(base_url=batch_server.url, timeout=120) as client:
        together = await asyncio.gather(*(complete(client, m, n) for m, n in requests))
        alone = [await complete(client, m, n) for m, n in requests]
        metrics = (await client.get("/metrics")).text
    for i, (a, b) in enumerate(zip(together, alone, strict=True)):
        assert text_of(a) == text_of(b), f"request {i} differs when batched"
        assert a["usage"]["completion_tokens"] == b["usage"]["completion_tokens"]
    # They really were decoded together: some steps held all four slots.
    assert metric(metrics, 'okla_llm_batch_sequences_bucket{le="3.0"}') < metric(
        metrics, "okla_llm_batch_sequences_count"
    )


async def test_follow_up_turn_reuses_its_earlier_turns(batch_server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=batch_server.url, timeout=120) as client:
        await idle(client)
        conversation = story(1, long=True)
        first = await complete(client, conversation, 32)
        conversation += [
            {"role": "assistant", "content": text_of(first)},
            {"role": "user", "content": "What happened next?"},
        ]
        # Other conversations come and go in between, in every other slot.
        await asyncio.gather(*(complete(client, story(i + 2), 8) for i in range(SLOTS - 1)))
        second = await complete(client, conversation, 32)
        cached = second["usage"]["prompt_tokens_details"]["cached_tokens"]
        # Everything up to the earlier reply came from the cache: only the new turn was decoded.
        assert cached >= first["usage"]["prompt_tokens"] + 16
        assert second["usage"]["prompt_tokens"] - cached < 40
        # And the cache changes nothing: evict it, ask again, get the same reply.
        await asyncio.gather(*(complete(client, story(i, long=True)[1:], 8) for i in range(8)))
        again = await complete(client, conversation, 32)
    assert text_of(again) == text_of(second)


async def test_new_conversation_reuses_a_shared_system_prompt(batch_server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=batch_server.url, timeout=120) as client:
        await idle(client)
        await complete(client, story(0, long=True), 4)
        other = await complete(client, story(3, long=True), 4)
        cached = other["usage"]["prompt_tokens_details"]["cached_tokens"]
        assert cached > 600  # the long system prompt, not decoded a second time
        metrics = (await client.get("/metrics")).text
    assert metric(metrics, "okla_llm_prompt_cache_hit_tokens_total") >= cached


async def test_cancelled_stream_leaves_without_stalling_the_others(
    batch_server: ServerProcess,
) -> None:
    forbid_eos = no_eos(batch_server)
    async with httpx.AsyncClient(base_url=batch_server.url, timeout=120) as client:
        await idle(client)
        before = (await client.get("/metrics")).text
        others = [
            asyncio.create_task(complete(client, story(i), 120, **forbid_eos)) for i in range(2)
        ]
        body = {"messages": story(5), "max_tokens": 400, "stream": True, **forbid_eos}
        async with client.stream("POST", "/v1/chat/completions", json=body) as response:
            seen = 0
            async for line in response.aiter_lines():
                seen += '"content":"' in line
                if seen >= 3:
                    break
        # The stream closed mid-reply: its slot frees up while the others carry on.
        replies = await asyncio.gather(*others)
        await idle(client)
        after = (await client.get("/metrics")).text
        health = (await client.get("/health")).json()
    for reply in replies:
        assert reply["usage"]["completion_tokens"] == 120
        assert reply["choices"][0]["finish_reason"] == "length"
    cancelled = 'okla_llm_requests_total{outcome="cancelled"}'
    assert metric(after, cancelled) == metric(before, cancelled, default=0) + 1
    generated = metric(after, "okla_llm_completion_tokens_total") - metric(
        before, "okla_llm_completion_tokens_total"
    )
    assert generated < 2 * 120 + 200, "the cancelled reply went on generating"
    assert health["slots_busy"] == 0


async def test_newcomer_prompt_is_decoded_in_chunks_while_others_stream(
    batch_server: ServerProcess,
) -> None:
    forbid_eos = no_eos(batch_server)
    async with httpx.AsyncClient(base_url=batch_server.url, timeout=120) as client:
        await idle(client)
        streams = [
            asyncio.create_task(complete(client, story(i), 300, **forbid_eos)) for i in range(2)
        ]
        await until(client, lambda health: health["slots_busy"] >= 2)
        before = (await client.get("/metrics")).text
        # A newcomer with a long prompt nothing in the cache shares.
        long_prompt = [{"role": "user", "content": "Summarize: " + LONG_SYSTEM[::-1]}]
        newcomer = await complete(client, long_prompt, 4)
        after = (await client.get("/metrics")).text
        await asyncio.gather(*streams)
    prompt_tokens = newcomer["usage"]["prompt_tokens"]
    assert prompt_tokens > 300

    def steps_over(metrics: str, le: str) -> float:
        total = metric(metrics, "okla_llm_batch_tokens_count")
        return total - metric(metrics, f'okla_llm_batch_tokens_bucket{{le="{le}"}}')

    # While the two replies streamed, no step carried more than a chunk of the newcomer's
    # prompt next to their tokens: never a step of hundreds of tokens that would freeze them.
    assert steps_over(after, "32.0") == steps_over(before, "32.0")


async def test_queue_counts_only_requests_beyond_the_slots(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server = launch_llm_server(
        tmp_path_factory.mktemp("slots"),
        env={"N_PARALLEL": "2", "MAX_QUEUE": "1", "MAX_TOKENS": "300"},
    )
    try:
        server.wait_ready()
        forbid_eos = no_eos(server)
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
            accepted = [
                asyncio.create_task(complete(client, story(i), 300, **forbid_eos)) for i in range(3)
            ]
            await until(client, lambda h: h["slots_busy"] == 2 and h["queue_depth"] == 1)
            refused = await client.post(
                "/v1/chat/completions", json={"messages": story(0), "max_tokens": 4}
            )
            assert refused.status_code == 503
            assert "N_PARALLEL=2" in refused.json()["error"]["message"]
            for task in accepted:
                task.cancel()
            await asyncio.gather(*accepted, return_exceptions=True)
            await idle(client)
    finally:
        server.stop()


async def test_new_conversation_does_not_evict_one_sharing_only_its_system_prompt(
    batch_server: ServerProcess,
) -> None:
    async with httpx.AsyncClient(base_url=batch_server.url, timeout=120) as client:
        await idle(client)
        # Every slot holds something, so no new conversation finds an empty one.
        await asyncio.gather(*(complete(client, story(i)[1:], 4) for i in range(SLOTS)))
        a, b = story(0, long=True), story(3, long=True)
        first_a = await complete(client, a, 16)
        await complete(client, b, 16)  # same system prompt, another customer
        a += [
            {"role": "assistant", "content": text_of(first_a)},
            {"role": "user", "content": "And then?"},
        ]
        second_a = await complete(client, a, 16)
    assert (
        second_a["usage"]["prompt_tokens_details"]["cached_tokens"]
        >= (first_a["usage"]["prompt_tokens"])
    )


async def test_running_requests_move_side_by_side_and_idle_conversations_keep_their_cache(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A fresh server: its slots fill in order, so the gap below is certain.
    server = launch_llm_server(
        tmp_path_factory.mktemp("compact"),
        env={"N_PARALLEL": str(SLOTS), "MAX_TOKENS": "400", "N_CTX": "2048"},
    )
    try:
        server.wait_ready()
        forbid_eos = no_eos(server)
        lengths = [200, 40, 200, 40]  # slots 0 and 2 keep going after 1 and 3 are done
        chats = [story(i, long=i == 1) for i in range(SLOTS)]
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
            tasks = []
            for i, n in enumerate(lengths):
                tasks.append(asyncio.create_task(complete(client, chats[i], n, **forbid_eos)))
                await until(client, lambda health: bool(health["slots_busy"] == len(tasks)))
            together = await asyncio.gather(*tasks)
            metrics = (await client.get("/metrics")).text
            # Slot 1's finished conversation was swapped out of the way, not dropped.
            follow_up = chats[1] + [
                {"role": "assistant", "content": text_of(together[1])},
                {"role": "user", "content": "What happened next?"},
            ]
            second = await complete(client, follow_up, 8)
            alone = [
                await complete(client, m, n, **forbid_eos)
                for m, n in zip(chats, lengths, strict=True)
            ]
    finally:
        server.stop()
    assert metric(metrics, "okla_llm_slot_moves_total") >= 1
    for i, (a, b) in enumerate(zip(together, alone, strict=True)):
        assert text_of(a) == text_of(b), f"request {i} differs after moving between slots"
    cached = second["usage"]["prompt_tokens_details"]["cached_tokens"]
    assert cached >= together[1]["usage"]["prompt_tokens"]

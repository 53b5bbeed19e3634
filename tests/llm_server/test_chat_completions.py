"""The OpenAI API on the real bundled model, through the official SDK and raw HTTP."""

from __future__ import annotations

import asyncio
import json

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from bench.processes import ServerProcess
from bench.sse import events

pytestmark = pytest.mark.integration

QUESTION: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Name three colours."}]


def client(server: ServerProcess) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


def eos_id(server: ServerProcess) -> int:
    info = httpx.get(f"{server.url}/info").json()
    token_id: int = info["model"]["eos_token"]["id"]
    return token_id


def test_sdk_non_streaming(llm_server: ServerProcess) -> None:
    reply = client(llm_server).chat.completions.create(
        model="smollm2", messages=QUESTION, max_tokens=30, temperature=0
    )
    assert reply.object == "chat.completion"
    assert reply.model == "smollm2"
    choice = reply.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage is not None
    assert reply.usage.prompt_tokens > 5
    assert 0 < reply.usage.completion_tokens <= 30
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_sdk_streaming_matches_non_streaming(llm_server: ServerProcess) -> None:
    sdk = client(llm_server)
    whole = sdk.chat.completions.create(
        model="smollm2", messages=QUESTION, max_tokens=40, temperature=0
    )
    stream = sdk.chat.completions.create(
        model="smollm2",
        messages=QUESTION,
        max_tokens=40,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces: list[str] = []
    finish = None
    usage = None
    chunks = 0
    for chunk in stream:
        chunks += 1
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            if choice.delta.content:
                pieces.append(choice.delta.content)
            if choice.finish_reason:
                finish = choice.finish_reason
    assert chunks > 3, "the reply must arrive in several chunks, not at once"
    assert "".join(pieces) == whole.choices[0].message.content
    assert finish == whole.choices[0].finish_reason
    assert usage is not None and whole.usage is not None
    assert usage.completion_tokens == whole.usage.completion_tokens


def test_raw_stream_ends_with_done(llm_server: ServerProcess) -> None:
    body = {"messages": QUESTION, "max_tokens": 5, "stream": True}
    with httpx.stream("POST", f"{llm_server.url}/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        data = [event.data for event in events(response)]
    assert data[-1] == "[DONE]"
    first = json.loads(data[0])
    assert first["choices"][0]["delta"]["role"] == "assistant"
    last = json.loads(data[-2])
    assert last["choices"][0]["finish_reason"] == "length"


def test_finish_reason_length_and_max_tokens_cap(llm_server: ServerProcess) -> None:
    reply = client(llm_server).chat.completions.create(
        model="smollm2",
        messages=QUESTION,
        max_tokens=100_000,
        logit_bias={str(eos_id(llm_server)): -100},
    )
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None
    assert reply.usage.completion_tokens == 256  # MAX_TOKENS of the fixture


def test_finish_reason_stop_on_eos(llm_server: ServerProcess) -> None:
    reply = client(llm_server).chat.completions.create(
        model="smollm2",
        messages=QUESTION,
        max_tokens=50,
        logit_bias={str(eos_id(llm_server)): 100},
    )
    assert reply.choices[0].finish_reason == "stop"
    assert reply.choices[0].message.content == ""
    assert reply.usage is not None and reply.usage.completion_tokens == 0


def test_stop_sequence_cuts_the_text(llm_server: ServerProcess) -> None:
    sdk = client(llm_server)
    free = sdk.chat.completions.create(
        model="smollm2", messages=QUESTION, max_tokens=40, temperature=0
    )
    text = free.choices[0].message.content or ""
    words = text.split()
    assert len(words) > 3, text
    stop = words[2]
    cut = sdk.chat.completions.create(
        model="smollm2",
        messages=QUESTION,
        max_tokens=40,
        temperature=0,
        stop=[stop],
    )
    assert cut.choices[0].finish_reason == "stop"
    assert cut.choices[0].message.content == text[: text.index(stop)]


def test_seed_makes_sampling_repeatable(llm_server: ServerProcess) -> None:
    sdk = client(llm_server)

    def sample(seed: int) -> str:
        reply = sdk.chat.completions.create(
            model="smollm2",
            messages=QUESTION,
            max_tokens=30,
            temperature=1.0,
            top_p=0.95,
            seed=seed,
        )
        return reply.choices[0].message.content or ""

    assert sample(7) == sample(7)
    assert len({sample(s) for s in (1, 2, 3, 4)}) > 1


def test_models_endpoint(llm_server: ServerProcess) -> None:
    models = client(llm_server).models.list()
    assert [m.id for m in models.data] == ["smollm2"]


async def test_concurrent_requests_are_all_answered(llm_server: ServerProcess) -> None:
    sdk = openai.AsyncOpenAI(base_url=f"{llm_server.url}/v1", api_key="x", max_retries=0)
    prompts = [f"Count from {i} to {i + 5}." for i in range(6)]

    async def ask(prompt: str) -> openai.types.chat.ChatCompletion:
        return await sdk.chat.completions.create(
            model="smollm2",
            messages=[{"role": "user", "content": prompt}],
            max_tokens=24,
            temperature=0,
        )

    replies = await asyncio.gather(*(ask(p) for p in prompts))
    for reply in replies:
        assert reply.choices[0].message.content
        assert reply.usage is not None and reply.usage.completion_tokens > 0
    # Each reply is what the same request gets alone: no cross-talk in the context.
    alone = await ask(prompts[3])
    assert alone.choices[0].message.content == replies[3].choices[0].message.content
    await sdk.close()


def test_health_info_and_metrics(llm_server: ServerProcess) -> None:
    health = httpx.get(f"{llm_server.url}/health").json()
    assert health["status"] == "ok"
    assert health["model"] == "smollm2"
    assert health["requests_served"] >= 1
    assert health["recent_tokens_per_second"] > 0
    for key in ("uptime_seconds", "requests_in_flight", "queue_depth"):
        assert key in health

    info = httpx.get(f"{llm_server.url}/info").json()
    model = info["model"]
    assert model["architecture"] == "llama"
    assert model["quantization"] == "Q4_1"
    assert 130e6 < model["parameters"] < 140e6
    assert model["vocabulary_size"] == 49152
    assert model["vocabulary_type"] == "BPE"
    assert model["context_length_train"] == 8192
    assert model["bos_token"]["text"] == "<|im_start|>"
    assert model["eos_token"]["text"] == "<|im_end|>"
    assert model["format"] == "GGUF V3"
    assert model["size_bytes"] > 50_000_000
    assert info["runtime"]["n_ctx"] == 2048
    assert info["versions"]["llama_cpp_python"]

    metrics = httpx.get(f"{llm_server.url}/metrics").text
    for name in (
        'okla_llm_requests_total{outcome="ok"}',
        "okla_llm_prompt_tokens_total",
        "okla_llm_completion_tokens_total",
        "okla_llm_time_to_first_token_seconds_bucket",
        "okla_llm_request_duration_seconds_bucket",
        "okla_llm_queue_depth",
        "okla_llm_requests_in_flight",
    ):
        assert name in metrics

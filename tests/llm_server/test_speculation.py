"""Speculation from the prompt changes no reply: the real model with and without it.

The scheduler-level tests run two engines of the bundled model in this process, one with
SPECULATION=ngram and one without, and watch each decode step (how many tokens it drafted and
kept), so a stop string, max_tokens or a cancellation can be put inside a drafted span. The
server-level tests compare two real `okla llm serve` processes, single and batched.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from bench.chat_prompts import chatbot_messages, story_messages
from bench.processes import ServerProcess
from okla.llm_server.engine import LlamaEngine
from okla.llm_server.jobs import (
    ErrorEvent,
    Event,
    FinishEvent,
    GenerationJob,
    SamplingParams,
    TextEvent,
)
from okla.llm_server.scheduler import StepStats
from okla.llm_server.settings import LlmServerSettings
from okla.llm_server.speculation import (
    Acceptance,
    Guess,
    NgramDrafter,
    SpeculationConfig,
    SpeculationMode,
    StepCost,
    draft_length,
)
from tests.utils.processes import launch_llm_server

SLOTS = 4
CONFIG = SpeculationConfig(ngram_min=2, ngram_max=4, draft_max=8, step_budget=8)


# The drafter alone


def draft(drafter: NgramDrafter, limit: int) -> list[int]:
    """Return the drafter's guess, or nothing without a match."""
    guess = drafter.guess(limit)
    return guess.tokens if guess is not None else []


def test_drafter_proposes_what_followed_the_longest_latest_match() -> None:
    drafter = NgramDrafter([1, 2, 3, 4, 5, 9, 2, 3, 7, 8, 1, 2], CONFIG)
    # Tail "1 2" occurred at the start (followed by 3 4 5) ...
    assert draft(drafter, 3) == [3, 4, 5]
    drafter.append(3)
    # ... tail "1 2 3" too; "2 3" occurred later (followed by 7), but the longer match wins.
    assert draft(drafter, 2) == [4, 5]
    drafter.append(6)
    assert draft(drafter, 4) == []  # "3 6" never occurred
    assert draft(drafter, 0) == []


def test_drafter_needs_at_least_ngram_min_tokens_of_match() -> None:
    drafter = NgramDrafter([5, 6, 7, 8, 6], CONFIG)
    assert draft(drafter, 4) == []  # only the last token, "6", occurred before
    one = NgramDrafter([5, 6, 7, 8, 6], SpeculationConfig(1, 4, 8, 8))
    assert draft(one, 4) == [7, 8, 6]


def test_guess_says_how_far_back_the_tail_matches() -> None:
    # The tail "7 1 2" matches at the start ("7 1 2" then 3), beyond the 2-gram it was found by.
    drafter = NgramDrafter([7, 1, 2, 3, 4, 9, 7, 1, 2], SpeculationConfig(2, 2, 8, 8))
    guess = drafter.guess(3)
    assert guess == Guess([3, 4, 9], 3)
    assert drafter.guess(0) is None
    assert NgramDrafter([1, 2, 3], CONFIG).guess(4) is None


def test_acceptance_learns_by_match_length_and_forgets_slowly() -> None:
    acceptance = Acceptance(decay=0.9)
    assert acceptance.rate(2) == acceptance.rate(30) == 0.5  # nothing seen: an even chance
    for _ in range(50):
        acceptance.record(2, False)
        acceptance.record(12, True)
    assert acceptance.rate(2) < 0.05
    assert acceptance.rate(12) > 0.95
    assert acceptance.rate(40) == acceptance.rate(16)  # long matches share one count
    for _ in range(50):
        acceptance.record(2, True)  # the traffic changed
    assert acceptance.rate(2) > 0.95


def test_step_cost_is_measured_from_one_and_several_token_steps() -> None:
    cost = StepCost()
    assert cost.share == 0.5  # assumed until measured
    cost.record(3, 0.030)  # no one-token step seen yet: nothing to compare with
    assert cost.share == 0.5
    for _ in range(200):
        cost.record(1, 0.010)
        cost.record(5, 0.030)  # 4 more tokens cost 20 ms: 5 ms each, half a step
    assert cost.share == pytest.approx(0.5, abs=0.01)
    for _ in range(200):
        cost.record(1, 0.010)
        cost.record(9, 0.012)  # a GPU: more tokens almost free
    assert cost.share < 0.05
    assert StepCost(fixed=0.2).share == 0.2


def test_draft_length_drafts_while_a_token_is_worth_its_cost() -> None:
    acceptance = Acceptance()
    for _ in range(100):
        for match in range(2, 5):
            acceptance.record(match, False)  # short matches: rarely copied (rate ~0.01)
        for match in range(5, 20):
            acceptance.record(match, True)  # long ones: nearly always
    guess = Guess([1, 2, 3, 4, 5, 6], match=2)
    assert draft_length(guess, acceptance, 0.5) == 0  # on a CPU, not worth it
    assert draft_length(Guess(guess.tokens, match=8), acceptance, 0.5) == 6
    assert draft_length(guess, acceptance, 0.0) == 6  # free drafting: the whole guess
    # A guess that starts short and becomes long: the first token's chance decides.
    assert draft_length(Guess(guess.tokens, match=4), acceptance, 0.005) == 6
    assert draft_length(Guess(guess.tokens, match=4), acceptance, 0.5) == 0


# Settings: bad input is refused, naming the variable


def test_speculation_settings_refuse_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECULATION", "sometimes")
    with pytest.raises(ValidationError, match="speculation"):
        LlmServerSettings()
    monkeypatch.setenv("SPECULATION", "ngram")
    monkeypatch.setenv("SPECULATION_NGRAM_MIN", "5")
    monkeypatch.setenv("SPECULATION_NGRAM_MAX", "3")
    with pytest.raises(ValidationError, match="SPECULATION_NGRAM_MIN"):
        LlmServerSettings()
    monkeypatch.setenv("SPECULATION_NGRAM_MIN", "2")
    monkeypatch.setenv("SPECULATION_DRAFT_MAX", "0")
    with pytest.raises(ValidationError, match="speculation_draft_max"):
        LlmServerSettings()
    monkeypatch.delenv("SPECULATION_DRAFT_MAX")
    for bad in ("-0.5", "often"):
        monkeypatch.setenv("SPECULATION_TOKEN_COST", bad)
        with pytest.raises(ValidationError, match="speculation_token_cost"):
            LlmServerSettings()
    monkeypatch.setenv("SPECULATION_TOKEN_COST", "auto")
    settings = LlmServerSettings()
    assert settings.speculation is SpeculationMode.NGRAM
    assert settings.speculation_config() == SpeculationConfig(2, 3, 8, 8)
    monkeypatch.setenv("SPECULATION_TOKEN_COST", "0.25")
    assert LlmServerSettings().speculation_config() == SpeculationConfig(2, 3, 8, 8, 0.25)
    assert LlmServerSettings(speculation=SpeculationMode.OFF).speculation_config() is None


# The scheduler, on the real model


@dataclass
class Reply:
    """One generation as the tests watch it."""

    text: str
    finish: FinishEvent
    steps: list[StepStats] = field(default_factory=list)


@dataclass
class Engines:
    """The bundled model twice: without and with speculation."""

    plain: LlamaEngine
    speculating: LlamaEngine
    steps: dict[str, list[StepStats]]


@pytest.fixture(scope="module")
async def engines() -> AsyncIterator[Engines]:
    steps: dict[str, list[StepStats]] = {"off": [], "ngram": []}
    made = []
    for mode in SpeculationMode:
        # Every guess drafted whole (a drafted token taken as free), so that a rerun drafts
        # the same spans whatever the timings: the adaptive length has tests of its own.
        engine = LlamaEngine(
            LlmServerSettings(
                n_parallel=2,
                n_threads=2,
                n_ctx=2048,
                speculation=mode,
                speculation_token_cost=0.0,
                max_queue=4,
            )
        )
        engine.on_step = steps[mode].append
        await engine.load()
        assert engine.ready, engine.load_error
        made.append(engine)
    yield Engines(made[0], made[1], steps)
    for engine in made:
        await engine.close()


async def collect(job: GenerationJob) -> tuple[str, FinishEvent]:
    parts: list[str] = []
    async for event in job.events():
        if isinstance(event, TextEvent):
            parts.append(event.text)
        elif isinstance(event, FinishEvent):
            return "".join(parts), event
        else:
            raise AssertionError(event)
    raise AssertionError("no finish event")


async def generate(
    engines: Engines, mode: str, messages: list[dict[str, str]], **params: Any
) -> Reply:
    engine = engines.plain if mode == "off" else engines.speculating
    seen = len(engines.steps[mode])
    prompt = engine.tokenize_chat(messages)
    job = engine.submit(prompt, SamplingParams(**{"max_tokens": 96, "temperature": 0, **params}))
    text, finish = await collect(job)
    await settled(engine)
    return Reply(text, finish, engines.steps[mode][seen:])


async def settled(engine: LlamaEngine) -> None:
    """Wait until the engine thread has reported the step that finished the reply.

    It ends the reply (and frees the slot) while sampling, and reports the step right after.
    """
    while engine.slots_busy:
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.2)


def outcome(reply: Reply) -> tuple[str, int, int]:
    """Return how the reply ended and its token counts (the cache's share depends on history)."""
    finish = reply.finish
    return finish.finish_reason, finish.prompt_tokens, finish.completion_tokens


def drafted_step(reply: Reply, at_least: int) -> tuple[int, int]:
    """Return (tokens produced before it, tokens kept) of a step that kept a long draft."""
    # Prompt steps decode more than a token and its draft; only the last of them samples.
    prompt_steps = [i for i, s in enumerate(reply.steps) if s.tokens > s.drafted + 1]
    first = prompt_steps[-1] if prompt_steps else 0
    produced = 0
    for step in reply.steps[first:]:
        if step.drafted and step.accepted >= at_least and produced > 2:
            return produced, step.accepted
        produced += step.accepted + 1
    raise AssertionError(f"no step kept {at_least} drafted tokens: {reply.steps}")


@pytest.mark.integration
async def test_replies_are_token_for_token_those_without_speculation(engines: Engines) -> None:
    prompts = [chatbot_messages(i) for i in range(3)] + [story_messages(0)]
    for messages in prompts:
        plain = await generate(engines, "off", messages)
        fast = await generate(engines, "ngram", messages)
        assert fast.text == plain.text
        assert outcome(fast) == outcome(plain)
    # The copy-heavy prompts really were sped up: steps kept drafted tokens.
    kept = sum(step.accepted for step in engines.steps["ngram"])
    assert kept > 20
    assert len(engines.steps["ngram"]) < len(engines.steps["off"])


@pytest.mark.integration
async def test_seeded_sampling_above_temperature_zero_is_unchanged(engines: Engines) -> None:
    messages = chatbot_messages(4)
    for seed in (1, 2):
        params = {"temperature": 0.8, "seed": seed, "top_p": 0.95}
        plain = await generate(engines, "off", messages, **params)
        fast = await generate(engines, "ngram", messages, **params)
        assert fast.text == plain.text
        assert outcome(fast) == outcome(plain)


@pytest.mark.integration
async def test_stop_string_inside_a_drafted_span(engines: Engines) -> None:
    messages = chatbot_messages(2)
    full = await generate(engines, "ngram", messages)
    before, _ = drafted_step(full, at_least=3)
    # The text up to the first and the third token of that step's kept draft.
    head = (await generate(engines, "off", messages, max_tokens=before + 1)).text
    upto = (await generate(engines, "off", messages, max_tokens=before + 3)).text
    assert "\ufffd" not in upto
    # A stop string that ends at the third drafted token, and nowhere earlier.
    start = len(head)
    while upto.find(upto[start:]) + len(upto) - start != len(upto):
        start -= 1
    stop = upto[start:]
    plain = await generate(engines, "off", messages, stop=(stop,))
    fast = await generate(engines, "ngram", messages, stop=(stop,))
    assert fast.text == plain.text == upto[:start]
    assert outcome(fast) == outcome(plain)
    assert fast.finish.finish_reason == "stop"
    assert fast.finish.completion_tokens == before + 3
    # It ended in a step that decoded a draft of 3 or more and kept only its first 2 tokens
    # (the third, which completed the stop string, ended the reply instead).
    last = fast.steps[-1]
    assert last.drafted >= 3
    assert last.accepted == 2


@pytest.mark.integration
async def test_max_tokens_reached_inside_a_draft(engines: Engines) -> None:
    messages = chatbot_messages(0)
    full = await generate(engines, "ngram", messages)
    before, _ = drafted_step(full, at_least=3)
    limit = before + 2
    plain = await generate(engines, "off", messages, max_tokens=limit)
    fast = await generate(engines, "ngram", messages, max_tokens=limit)
    assert fast.text == plain.text
    assert outcome(fast) == outcome(plain)
    assert fast.finish.finish_reason == "length"
    assert fast.finish.completion_tokens == limit
    # The last token came from a drafted position's logits: that step kept its draft.
    last = fast.steps[-1]
    assert last.drafted >= 1
    assert last.accepted == last.drafted


@pytest.mark.integration
async def test_cancellation_mid_draft_leaves_the_slot_sound(engines: Engines) -> None:
    messages = chatbot_messages(2)
    full = await generate(engines, "ngram", messages)
    before, _ = drafted_step(full, at_least=3)
    engine = engines.speculating
    job = engine.submit(
        engine.tokenize_chat(messages), SamplingParams(max_tokens=96, temperature=0)
    )
    emit = job.emit
    steps = engines.steps["ngram"]
    seen = len(steps)

    def emit_then_cancel(event: Event) -> None:
        emit(event)
        # On the engine thread, between two tokens of one step: the client leaves.
        if isinstance(event, TextEvent) and job.completion_tokens >= before + 1:
            job.cancel()

    job.emit = emit_then_cancel  # type: ignore[method-assign]
    parts: list[str] = []
    finish = None
    async for event in job.events():
        if isinstance(event, TextEvent):
            parts.append(event.text)
        elif isinstance(event, FinishEvent):
            finish = event
        else:
            assert not isinstance(event, ErrorEvent), event
    await settled(engine)
    assert finish is not None and finish.finish_reason == "cancelled"
    # Cut where the client left, inside the step whose draft it was still checking.
    assert before + 1 <= finish.completion_tokens <= before + 2
    assert full.text.startswith("".join(parts))
    cut = steps[seen:][-1]
    assert cut.drafted >= 3 and cut.accepted < cut.drafted
    # The KV memory of the draft's unchecked tokens was removed: the slot's cache is sound.
    again = await generate(engines, "ngram", messages)
    assert again.text == full.text
    assert again.finish.cached_tokens > 0
    follow_up = [
        *messages,
        {"role": "assistant", "content": full.text},
        {"role": "user", "content": "¿Y cuál me recomiendas?"},
    ]
    plain = await generate(engines, "off", follow_up)
    fast = await generate(engines, "ngram", follow_up)
    assert fast.text == plain.text


# Real servers, single and batched


def metric(metrics: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServerProcess]]:
    started = {
        mode: launch_llm_server(
            tmp_path_factory.mktemp(f"spec-{mode}"),
            env={
                "N_PARALLEL": str(SLOTS),
                "MAX_QUEUE": "16",
                "MAX_TOKENS": "200",
                "N_CTX": "2048",
                "SPECULATION": mode,
            },
        )
        for mode in ("off", "ngram")
    }
    try:
        for server in started.values():
            server.wait_ready()
        yield started
    finally:
        for server in started.values():
            server.stop()


async def complete(
    client: httpx.AsyncClient, messages: list[dict[str, str]], max_tokens: int
) -> dict[str, Any]:
    body = {"messages": messages, "max_tokens": max_tokens, "temperature": 0}
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


@pytest.mark.integration
async def test_batched_replies_are_those_of_each_alone_without_speculation(
    servers: dict[str, ServerProcess],
) -> None:
    # More requests than slots: copy-heavy chatbot prompts and stories, of different lengths.
    requests = [
        (chatbot_messages(i) if i % 3 else story_messages(i), 40 + 12 * i) for i in range(SLOTS + 2)
    ]
    async with (
        httpx.AsyncClient(base_url=servers["off"].url, timeout=300) as plain,
        httpx.AsyncClient(base_url=servers["ngram"].url, timeout=300) as fast,
    ):
        before = (await fast.get("/metrics")).text
        together = await asyncio.gather(*(complete(fast, m, n) for m, n in requests))
        after = (await fast.get("/metrics")).text
        alone = [await complete(plain, m, n) for m, n in requests]
        single = [await complete(fast, m, n) for m, n in requests[:2]]
    for i, (a, b) in enumerate(zip(together, alone, strict=True)):
        assert a["choices"][0]["message"] == b["choices"][0]["message"], f"request {i}"
        assert a["choices"][0]["finish_reason"] == b["choices"][0]["finish_reason"]
        assert a["usage"]["completion_tokens"] == b["usage"]["completion_tokens"]
    for a, b in zip(single, alone, strict=False):
        assert a["choices"][0]["message"] == b["choices"][0]["message"]
    kept = metric(after, "okla_llm_draft_accepted_tokens_total") - metric(
        before, "okla_llm_draft_accepted_tokens_total"
    )
    assert kept > 0, "no draft was kept while the batch ran"
    assert metric(after, 'okla_llm_batch_sequences_bucket{le="1.0"}') < metric(
        after, "okla_llm_batch_sequences_count"
    )


@pytest.mark.integration
async def test_a_stream_closed_mid_reply_frees_its_slot(servers: dict[str, ServerProcess]) -> None:
    server = servers["ngram"]
    async with httpx.AsyncClient(base_url=server.url, timeout=300) as client:
        other = asyncio.create_task(complete(client, chatbot_messages(3), 120))
        body = {"messages": chatbot_messages(5), "max_tokens": 200, "stream": True}
        async with client.stream("POST", "/v1/chat/completions", json=body) as response:
            seen = 0
            async for line in response.aiter_lines():
                seen += '"content":"' in line
                if seen >= 8:
                    break
        finished = await other
        for _ in range(200):
            health = (await client.get("/health")).json()
            if health["requests_in_flight"] == 0:
                break
            await asyncio.sleep(0.05)
        assert health["slots_busy"] == 0
        again = await complete(client, chatbot_messages(5), 60)
    async with httpx.AsyncClient(base_url=servers["off"].url, timeout=300) as plain:
        expected = await complete(plain, chatbot_messages(5), 60)
        expected_other = await complete(plain, chatbot_messages(3), 120)
    assert again["choices"][0]["message"] == expected["choices"][0]["message"]
    assert finished["choices"][0]["message"] == expected_other["choices"][0]["message"]

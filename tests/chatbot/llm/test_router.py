"""The LLM router: a conversation sticks to its replica, spills when it must, and comes home."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.client import (
    LlmBusyError,
    LlmDownError,
    LlmMessage,
    LlmProbe,
    LlmUnavailableError,
)
from okla.chatbot.llm.router import Replica, ReplicaRouter, Route
from okla.chatbot.settings import ChatbotSettings

URLS = ("http://llm-a:8000/v1", "http://llm-b:8000/v1", "http://llm-c:8000/v1")
SESSIONS = [str(uuid.UUID(int=i * 104729 + 3)) for i in range(400)]


class Mode(StrEnum):
    REPLY = "reply"
    DOWN = "down"  # refused before the first token (a connection error, a 5xx)
    BUSY = "busy"  # the queue is full (503 queue_full)
    REFUSE = "refuse"  # a 4xx: the request itself is at fault
    HANG = "hang"  # accepts, never sends a token
    BREAK = "break"  # one token, then the connection breaks
    BUG = "bug"  # an error that is no LLM error


@dataclass
class FakeReplica:
    """One replica's client: it answers by its mode and logs what reached it."""

    index: int
    log: list[tuple[int, str]]  # (replica, session) of every call to any replica, in order
    mode: Mode = Mode.REPLY
    affinities: list[str | None] = field(default_factory=list)
    hold: asyncio.Event | None = None  # set: the reply waits for it after its first word

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,
    ) -> AsyncGenerator[str]:
        self.affinities.append(str(messages[-1]["content"]))
        self.log.append((self.index, str(messages[-1]["content"])))
        if self.mode == Mode.DOWN:
            raise LlmDownError("cannot connect: refused")
        if self.mode == Mode.BUSY:
            raise LlmBusyError("HTTP 503: queue full")
        if self.mode == Mode.REFUSE:
            raise LlmUnavailableError("HTTP 400: context_length_exceeded")
        if self.mode == Mode.HANG:
            await asyncio.sleep(3600)
        if self.mode == Mode.BUG:
            raise RuntimeError("a bug")
        yield "Hola"
        if self.mode == Mode.BREAK:
            raise LlmDownError("cannot connect: reset by peer")
        if self.hold is not None:
            await self.hold.wait()
        yield " amigo."

    async def probe(self) -> LlmProbe:
        return LlmProbe(up=self.mode != Mode.DOWN, error="refused" if self.mode else None)

    async def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def router(
    count: int = 2, *, clock: Clock | None = None, threshold: int = 1, **options: float
) -> tuple[ReplicaRouter, list[FakeReplica]]:
    log: list[tuple[int, str]] = []
    fakes = [FakeReplica(i, log) for i in range(count)]
    replicas = [
        Replica(url, fake, CircuitBreaker(threshold, 30, clock=clock or Clock()))
        for url, fake in zip(URLS, fakes, strict=False)
    ]
    return ReplicaRouter(replicas, **options), fakes


def state(llm: ReplicaRouter, index: int) -> str:
    return llm.replicas[index].breaker.state


def whole(llm: ReplicaRouter) -> str:
    return llm.breakers.state


def said(session: str | None) -> list[LlmMessage]:
    return [{"role": "user", "content": session or "-"}]


async def ask(llm: ReplicaRouter, session: str | None) -> str:
    pieces = [
        p async for p in llm.stream(said(session), max_tokens=8, temperature=0, affinity=session)
    ]
    return "".join(pieces)


def where(fakes: list[FakeReplica], session: str) -> list[int]:
    """Return the replicas that got this session's calls, in the order they got them."""
    return [index for index, asked in fakes[0].log if asked == session]


def routed(llm: ReplicaRouter) -> dict[tuple[str, str], float]:
    registry = CollectorRegistry()
    for collector in llm.metrics.collectors():
        registry.register(collector)
    counts = {}
    for family in registry.collect():
        if family.name == "okla_chat_llm_routed":
            for sample in family.samples:
                if sample.name.endswith("_total") and sample.value:
                    counts[(sample.labels["replica"], sample.labels["route"])] = sample.value
    return counts


async def test_each_conversation_sticks_to_its_home_replica() -> None:
    llm, fakes = router(3)
    for _ in range(4):
        for session in SESSIONS[:30]:
            assert await ask(llm, session) == "Hola amigo."
    for session in SESSIONS[:30]:
        home = llm.ring.home(session)
        assert where(fakes, session) == [home] * 4
    assert {llm.ring.home(s) for s in SESSIONS[:30]} == {0, 1, 2}
    assert all(route == Route.HOME for _, route in routed(llm))


async def test_the_load_is_bounded_and_the_excess_spills_to_the_next_replica() -> None:
    llm, fakes = router(2, load_factor=1.25)
    hold = asyncio.Event()
    for fake in fakes:
        fake.hold = hold
    home_a = [s for s in SESSIONS if llm.ring.home(s) == 0][:8]
    streams = [llm.stream(said(s), max_tokens=8, temperature=0, affinity=s) for s in home_a]
    # Eight conversations of one home at once: it takes at most ceil(1.25 * n / 2) of them.
    for stream in streams:
        assert await anext(stream) == "Hola"
    loads = [r.in_flight for r in llm.replicas]
    assert loads == [5, 3], loads
    hold.set()
    for stream in streams:
        async with contextlib.aclosing(stream):
            assert [p async for p in stream] == [" amigo."]
    assert [r.in_flight for r in llm.replicas] == [0, 0]
    counts = routed(llm)
    assert counts == {(URLS[0], "home"): 5, (URLS[1], "spill_load"): 3}
    # Once the load is gone, each goes home again.
    for session in home_a:
        await ask(llm, session)
        assert where(fakes, session)[-1] == 0


async def test_a_replica_that_is_down_is_left_and_its_conversations_come_back() -> None:
    clock = Clock()
    llm, fakes = router(2, clock=clock, threshold=2)
    at_a = [s for s in SESSIONS if llm.ring.home(s) == 0][:5]
    fakes[0].mode = Mode.DOWN
    for session in at_a:
        # Refused before the first token: the same call goes on to the other replica.
        assert await ask(llm, session) == "Hola amigo."
        assert where(fakes, session)[-1] == 1
    assert llm.replicas[0].breaker.state == "open"
    tried_a = len(fakes[0].affinities)
    assert tried_a == 2, "after two failures its breaker opens: it is skipped, not tried"
    counts = routed(llm)
    assert counts[(URLS[1], "spill_down")] == 5
    assert llm.breakers.state == "closed", "the LLM as a whole still answers"

    fakes[0].mode = Mode.REPLY
    clock.now += 30  # the cooldown: the next call home is the probe, and it succeeds
    for session in at_a:
        assert await ask(llm, session) == "Hola amigo."
        assert where(fakes, session)[-1] == 0, "back home once it healed"
    assert state(llm, 0) == "closed"


async def test_a_full_replica_is_skipped_for_that_call_only() -> None:
    llm, fakes = router(2)
    session = next(s for s in SESSIONS if llm.ring.home(s) == 0)
    fakes[0].mode = Mode.BUSY
    assert await ask(llm, session) == "Hola amigo."
    assert where(fakes, session) == [0, 1]
    assert llm.replicas[0].breaker.state == "closed", "a full queue is no failure"
    assert routed(llm) == {(URLS[0], "home"): 1, (URLS[1], "spill_busy"): 1}
    fakes[0].mode = Mode.REPLY
    await ask(llm, session)
    assert where(fakes, session) == [0, 1, 0]


async def test_when_every_replica_fails_the_last_failure_is_raised() -> None:
    llm, fakes = router(2, threshold=5)
    fakes[0].mode, fakes[1].mode = Mode.BUSY, Mode.BUSY
    with pytest.raises(LlmBusyError):
        await ask(llm, SESSIONS[0])
    fakes[0].mode, fakes[1].mode = Mode.DOWN, Mode.DOWN
    with pytest.raises(LlmDownError):
        await ask(llm, SESSIONS[0])
    assert [r.in_flight for r in llm.replicas] == [0, 0]


async def test_with_every_breaker_open_nothing_is_sent() -> None:
    llm, fakes = router(2, threshold=1)
    fakes[0].mode, fakes[1].mode = Mode.DOWN, Mode.DOWN
    with pytest.raises(LlmDownError):
        await ask(llm, SESSIONS[0])
    assert llm.breakers.state == "open" and not llm.breakers.allow()
    sent = sum(len(f.affinities) for f in fakes)
    with pytest.raises(LlmDownError, match="every replica's breaker is open"):
        await ask(llm, SESSIONS[1])
    assert sum(len(f.affinities) for f in fakes) == sent


async def test_a_request_refused_as_such_is_not_sent_again() -> None:
    llm, fakes = router(2)
    fakes[0].mode = fakes[1].mode = Mode.REFUSE
    with pytest.raises(LlmUnavailableError, match="HTTP 400"):
        await ask(llm, SESSIONS[0])
    assert sum(len(f.affinities) for f in fakes) == 1
    assert all(r.breaker.state == "closed" for r in llm.replicas)


async def test_text_already_sent_is_never_asked_for_again() -> None:
    llm, fakes = router(2)
    session = next(s for s in SESSIONS if llm.ring.home(s) == 0)
    fakes[0].mode = Mode.BREAK
    pieces: list[str] = []
    with pytest.raises(LlmDownError):
        async for piece in llm.stream(said(session), max_tokens=8, temperature=0, affinity=session):
            pieces.append(piece)
    assert pieces == ["Hola"]
    assert where(fakes, session) == [0], "no second replica writes the same reply again"


async def test_a_call_its_caller_stopped_is_judged_by_the_caller() -> None:
    # The reply step stops a call on its timeouts and records a failure on `breakers`: it
    # lands on that call's replica, so a replica that accepts and then hangs is left too.
    llm, fakes = router(2, threshold=1)
    session = next(s for s in SESSIONS if llm.ring.home(s) == 0)
    fakes[0].mode = Mode.HANG
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await ask(llm, session)
    llm.breakers.record_failure()
    assert state(llm, 0) == "open" and state(llm, 1) == "closed"
    llm.breakers.record_failure()
    assert state(llm, 1) == "closed", "a verdict is given once, to the call it is about"
    assert await ask(llm, session) == "Hola amigo."
    assert where(fakes, session) == [0, 1]

    # A customer who left: no verdict, and the replica stays as it was.
    other = next(s for s in SESSIONS if llm.ring.home(s) == 1)
    fakes[1].mode = Mode.HANG
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await ask(llm, other)
    llm.breakers.release_probe()
    llm.breakers.record_failure()
    assert state(llm, 1) == "closed"

    # What the router saw for itself (a reply to its end, a failure) is not counted again.
    fakes[1].mode = Mode.REPLY
    await ask(llm, other)
    llm.breakers.record_failure()
    assert state(llm, 1) == "closed"


async def test_each_task_judges_its_own_call() -> None:
    llm, fakes = router(2, threshold=1)
    at = [next(s for s in SESSIONS if llm.ring.home(s) == i) for i in (0, 1)]
    fakes[0].mode = fakes[1].mode = Mode.HANG

    async def turn(session: str, failed: bool) -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await ask(llm, session)
        await asyncio.sleep(0.01)  # the other turn's call ends meanwhile
        if failed:
            llm.breakers.record_failure()
        else:
            llm.breakers.release_probe()

    await asyncio.gather(
        asyncio.create_task(turn(at[0], True)), asyncio.create_task(turn(at[1], False))
    )
    assert (state(llm, 0), state(llm, 1)) == ("open", "closed")


async def test_an_unexpected_error_gives_the_probe_back() -> None:
    clock = Clock()
    llm, fakes = router(1, clock=clock, threshold=1)
    fakes[0].mode = Mode.DOWN
    with pytest.raises(LlmDownError):
        await ask(llm, SESSIONS[0])
    clock.now += 30
    fakes[0].mode = Mode.BUG
    with pytest.raises(RuntimeError):
        await ask(llm, SESSIONS[0])
    assert llm.breakers.allow(), "the next call may probe it"
    fakes[0].mode = Mode.REPLY
    assert await ask(llm, SESSIONS[0]) == "Hola amigo."
    assert state(llm, 0) == "closed"


async def test_the_breakers_seen_as_one() -> None:
    clock = Clock()
    llm, fakes = router(2, clock=clock, threshold=1)
    breakers = llm.breakers
    fakes[0].mode = fakes[1].mode = Mode.DOWN
    with pytest.raises(LlmDownError):
        await ask(llm, next(s for s in SESSIONS if llm.ring.home(s) == 0))
    # One replica open, the other tried and failed in the same call: both open now.
    assert (state(llm, 0), state(llm, 1)) == ("open", "open")
    assert whole(llm) == "open" and not breakers.allow()
    assert breakers.seconds_until_probe() == pytest.approx(30)
    assert breakers.times_opened == 2
    clock.now += 30
    assert whole(llm) == "half_open" and breakers.allow()
    fakes[1].mode = Mode.REPLY
    await ask(llm, next(s for s in SESSIONS if llm.ring.home(s) == 1))
    assert whole(llm) == "closed" and breakers.failures == 0


async def test_calls_of_no_conversation_take_turns() -> None:
    llm, fakes = router(3)
    for _ in range(6):
        await ask(llm, None)
    assert [len(f.affinities) for f in fakes] == [2, 2, 2]
    assert {route for _, route in routed(llm)} == {"no_affinity"}


async def test_many_conversations_spread_evenly() -> None:
    llm, fakes = router(2)
    for session in SESSIONS:
        await ask(llm, session)
    shares = Counter(len(f.affinities) for f in fakes)
    counts = [len(f.affinities) for f in fakes]
    assert abs(counts[0] - counts[1]) < 0.2 * len(SESSIONS), shares


async def test_the_probe_is_up_while_one_replica_is() -> None:
    llm, fakes = router(2)
    fakes[1].mode = Mode.DOWN
    probe = await llm.probe()
    assert probe.up
    assert [(r.url, r.up) for r in probe.replicas] == [(URLS[0], True), (URLS[1], False)]
    assert probe.error is not None and URLS[1] in probe.error
    fakes[0].mode = Mode.DOWN
    assert not (await llm.probe()).up


def test_the_metrics_name_each_replica_without_its_credentials() -> None:
    settings = ChatbotSettings(
        llm_base_url="https://user:sk-secret@llm-a.example/v1, http://10.0.0.7:8000/v1/"
    )
    llm = ReplicaRouter.from_settings(settings)
    registry = CollectorRegistry()
    for collector in llm.metrics.collectors():
        registry.register(collector)
    text = generate_latest(registry).decode()
    assert "sk-secret" not in text and "user" not in text
    assert 'replica="https://llm-a.example/v1"' in text
    assert 'okla_chat_llm_routed_total{replica="http://10.0.0.7:8000/v1",route="home"} 0.0' in text
    assert 'okla_chat_llm_replica_breaker_state{replica="http://10.0.0.7:8000/v1"} 0.0' in text

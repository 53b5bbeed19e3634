"""LLM replicas with conversation affinity: each conversation goes to the replica that has it.

An LLM server keeps a conversation's tokens in its prompt cache between turns, so the next
turn decodes only its new tokens; that works only if the turn reaches the same server. The
router places the replicas on a consistent-hash ring (`ring.py`) and sends a conversation
(its session id, the `affinity` of `stream`) to its home replica, with bounded load ("consistent
hashing with bounded loads", Mirrokni et al. 2018): a replica takes at most
ceil(LLM_LOAD_FACTOR x (calls in flight + 1) / replicas up) calls, and a conversation whose
home is full goes to the next replica on the ring.

It moves away from a replica that is down (its breaker open after refused connections, 5xx
answers or timeouts) or full (the LLM server's 503 `queue_full`, a 429), trying the next
replica before any text was sent (no token is ever generated twice, and the customer's turn
isn't lost to one replica); once the replica heals (its breaker closes after a good probe)
its conversations go home again, since the ring doesn't change. Each replica has its own
breaker; `breakers` sees them as one, for the turn's admission and the health report.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncGenerator, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from itertools import count
from urllib.parse import urlsplit, urlunsplit

from prometheus_client import Counter, Gauge

from okla.chatbot.llm.breaker import BreakerState, CircuitBreaker
from okla.chatbot.llm.client import (
    ChatModel,
    LlmBusyError,
    LlmClient,
    LlmDownError,
    LlmMessage,
    LlmProbe,
    LlmUnavailableError,
    ReplicaProbe,
)
from okla.chatbot.llm.ring import HashRing
from okla.chatbot.settings import ChatbotSettings

_STATE_VALUES: dict[BreakerState, float] = {"closed": 0.0, "half_open": 1.0, "open": 2.0}


class Route(StrEnum):
    """Why a call went to the replica it went to."""

    HOME = "home"  # the conversation's home replica
    SPILL_LOAD = "spill_load"  # its home had more than its share of the calls in flight
    SPILL_DOWN = "spill_down"  # its home was down (breaker open, refused, 5xx, timed out)
    SPILL_BUSY = "spill_busy"  # its home refused for want of room (queue full, 429)
    NO_AFFINITY = "no_affinity"  # a call of no conversation (the model's exam): in turn


@dataclass
class Replica:
    """One LLM server (or API) and what the router knows of it."""

    label: str  # its URL without credentials: a metric label, bounded by the configuration
    client: ChatModel
    breaker: CircuitBreaker
    in_flight: int = 0


class RoutingMetrics:
    """Where calls went and why, and each replica's load and breaker (registered by the app)."""

    def __init__(self, replicas: Sequence[Replica]) -> None:
        # No registry yet: the app's ChatMetrics registers them (`collectors`).
        self.routed = Counter(
            "okla_chat_llm_routed",
            "Calls sent to each LLM replica, by why there: home, spill_load (home over its "
            "share), spill_down (home down), spill_busy (home full), no_affinity.",
            ["replica", "route"],
            registry=None,
        )
        self.in_flight = Gauge(
            "okla_chat_llm_replica_in_flight",
            "Model calls in flight to each LLM replica from this process.",
            ["replica"],
            registry=None,
        )
        self.breaker = Gauge(
            "okla_chat_llm_replica_breaker_state",
            "Each LLM replica's breaker: 0 closed, 1 half-open, 2 open.",
            ["replica"],
            registry=None,
        )
        for replica in replicas:
            for route in Route:
                self.routed.labels(replica=replica.label, route=route.value)
            self.in_flight.labels(replica=replica.label).set_function(_in_flight(replica))
            self.breaker.labels(replica=replica.label).set_function(_breaker_state(replica))

    def collectors(self) -> tuple[Counter | Gauge, ...]:
        """Return the metrics, for the app's registry."""
        return self.routed, self.in_flight, self.breaker


class ReplicaBreakers:
    """The replicas' breakers seen as one: the LLM can be called while any replica can be.

    The router records on a replica's breaker what it sees of a call: a reply to its end, a
    refusal, a failure. A call its caller stopped (the reply step's timeouts, a customer who
    left, a reply given up on) it leaves to the caller's verdict: what the reply step then
    records here goes to that call's replica. The call is found through a context variable,
    set in the caller's own task, so concurrent turns never take each other's replica; what
    the router already recorded is not recorded twice.
    """

    def __init__(self, replicas: Sequence[Replica]) -> None:
        self._replicas = tuple(replicas)
        self._unjudged: ContextVar[Replica | None] = ContextVar("unjudged_call", default=None)

    def leave_to_caller(self, replica: Replica | None) -> None:
        """Note (in the calling task) the replica of a call stopped by its caller, or none."""
        self._unjudged.set(replica)

    def _take(self) -> Replica | None:
        replica = self._unjudged.get()
        self._unjudged.set(None)
        return replica

    @property
    def state(self) -> BreakerState:
        """Return closed if any replica's is, half-open if any is, else open."""
        states = {r.breaker.state for r in self._replicas}
        for state in ("closed", "half_open"):
            if state in states:
                return state
        return "open"

    @property
    def failures(self) -> int:
        """Return the fewest failures in a row of any replica."""
        return min(r.breaker.failures for r in self._replicas)

    @property
    def times_opened(self) -> int:
        """Return how often any replica's breaker opened."""
        return sum(r.breaker.times_opened for r in self._replicas)

    def seconds_until_probe(self) -> float:
        """Return how long until the first replica may be probed (0 if one can be called)."""
        return min(r.breaker.seconds_until_probe() for r in self._replicas)

    def allow(self) -> bool:
        """Tell whether some replica would take a call now (its probe is taken by the router)."""
        return any(r.breaker.ready() for r in self._replicas)

    def record_success(self) -> None:
        """Count a success on the replica of a call its caller stopped (a reply given up on)."""
        if (replica := self._take()) is not None:
            replica.breaker.record_success()

    def record_failure(self) -> None:
        """Count a failure on the replica of a call its caller stopped (a timeout)."""
        if (replica := self._take()) is not None:
            replica.breaker.record_failure()

    def release_probe(self) -> None:
        """Forget the call its caller stopped: no verdict (the router gave its probe back)."""
        self._take()


class ReplicaRouter:
    """A ChatModel over several replicas: each conversation to its own, while it can take it."""

    def __init__(
        self,
        replicas: Sequence[Replica],
        *,
        load_factor: float = 1.25,
    ) -> None:
        if not replicas:
            raise ValueError("the router needs at least one replica")
        self.replicas = tuple(replicas)
        self.ring = HashRing([r.label for r in self.replicas])
        self.load_factor = load_factor
        self.metrics = RoutingMetrics(self.replicas)
        self.breakers = ReplicaBreakers(self.replicas)
        self._turns = count()

    @classmethod
    def from_settings(cls, settings: ChatbotSettings) -> ReplicaRouter:
        """Build a client and a breaker for each replica of LLM_BASE_URL."""
        replicas = [
            Replica(
                label=_label(url),
                client=LlmClient(settings, url),
                breaker=CircuitBreaker(
                    settings.breaker_failure_threshold, settings.breaker_cooldown_seconds
                ),
            )
            for url in settings.llm_base_urls
        ]
        return cls(
            replicas,
            load_factor=settings.llm_load_factor,
        )

    def order(self, affinity: str | None) -> tuple[int, ...]:
        """Return the replicas in the order a call tries them: from its home round the ring."""
        if affinity is not None:
            return self.ring.order(affinity)
        first = next(self._turns) % len(self.replicas)
        return tuple((first + step) % len(self.replicas) for step in range(len(self.replicas)))

    def pick(self, order: Sequence[int], tried: set[int]) -> tuple[int, Route | None] | None:
        """Return the first replica in `order` that is up and under its bound, and why the ones
        before it were passed over (None: it is the first); None if no replica can be called.
        """
        up = [r for r in self.replicas if r.breaker.state != "open"]
        if not up:
            return None
        load = sum(r.in_flight for r in self.replicas)
        bound = math.ceil(self.load_factor * (load + 1) / len(up))
        passed: Route | None = None
        overloaded: list[int] = []
        for index in order:
            if index in tried:
                continue
            replica = self.replicas[index]
            if replica.breaker.state == "open":
                passed = passed or Route.SPILL_DOWN
            elif replica.in_flight >= bound:
                passed = passed or Route.SPILL_LOAD
                overloaded.append(index)
            elif replica.breaker.allow():
                return index, passed
            else:  # half-open, its one probe already out
                passed = passed or Route.SPILL_DOWN
        # Only replicas at their bound are left (possible while probes are out): the least
        # loaded of them rather than none.
        for index in sorted(overloaded, key=lambda i: self.replicas[i].in_flight):
            if self.replicas[index].breaker.allow():
                return index, passed
        return None

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,
    ) -> AsyncGenerator[str]:
        """Yield the reply from the conversation's replica, or the next one that can answer."""
        self.breakers.leave_to_caller(None)
        order = self.order(affinity)
        tried: set[int] = set()
        left_home: Route | None = None  # why the call left its first choice, once it has
        failure: LlmUnavailableError | None = None
        while (picked := self.pick(order, tried)) is not None:
            index, passed = picked
            left_home = left_home or passed
            route = left_home or (Route.HOME if affinity is not None else Route.NO_AFFINITY)
            replica = self.replicas[index]
            tried.add(index)
            self.metrics.routed.labels(replica=replica.label, route=route.value).inc()
            replica.in_flight += 1
            started = False
            try:
                pieces = replica.client.stream(
                    messages, max_tokens=max_tokens, temperature=temperature
                )
                # Closing this generator closes the replica's request: the server stops.
                async with contextlib.aclosing(pieces):
                    async for piece in pieces:
                        started = True
                        yield piece
                replica.breaker.record_success()
                return
            except LlmBusyError as exc:
                replica.breaker.release_probe()  # full is not failing
                if started:
                    raise
                failure, left_home = exc, left_home or Route.SPILL_BUSY
            except LlmDownError as exc:
                replica.breaker.record_failure()
                if started:
                    raise
                failure, left_home = exc, left_home or Route.SPILL_DOWN
            except LlmUnavailableError:
                # Refused as a request (a 4xx): any replica would refuse it the same way.
                replica.breaker.release_probe()
                raise
            except Exception:
                # Not the replica's doing: give its probe back, or it would wait half-open
                # for a verdict that never comes.
                replica.breaker.release_probe()
                raise
            except (asyncio.CancelledError, GeneratorExit):
                # Stopped by the caller: a timeout is a failure, a customer who left is none;
                # the caller knows which, and tells `breakers`.
                replica.breaker.release_probe()
                self.breakers.leave_to_caller(replica)
                raise
            finally:
                replica.in_flight -= 1
        raise failure or LlmDownError("no LLM replica is up: every replica's breaker is open")

    async def probe(self) -> LlmProbe:
        """Ask every replica at once; the LLM is up while one of them is."""
        probes = await asyncio.gather(*(r.client.probe() for r in self.replicas))
        up = [p for p in probes if p.up]
        down = [(r, p) for r, p in zip(self.replicas, probes, strict=True) if not p.up]
        error = "; ".join(f"{r.label}: {p.error}" for r, p in down) or None
        return LlmProbe(
            up=bool(up),
            models=up[0].models if up else (),
            error=error,
            replicas=tuple(
                ReplicaProbe(
                    url=r.label,
                    up=p.up,
                    error=p.error,
                    breaker=r.breaker.state,
                    in_flight=r.in_flight,
                )
                for r, p in zip(self.replicas, probes, strict=True)
            ),
        )

    async def close(self) -> None:
        """Close every replica's connections."""
        await asyncio.gather(*(r.client.close() for r in self.replicas))


def _in_flight(replica: Replica) -> Callable[[], float]:
    return lambda: float(replica.in_flight)


def _breaker_state(replica: Replica) -> Callable[[], float]:
    return lambda: _STATE_VALUES[replica.breaker.state]


def _label(url: str) -> str:
    """Return the URL without user and password (which a URL may carry, and no metric may)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

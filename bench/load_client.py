"""Simulated customers for load runs: each holds a multi-turn conversation through the gateway."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.sse import aevents

QUESTIONS = [
    "¿Qué vehículos tienes?",
    "¿Qué yipetas tienen de menos de 3 millones?",
    "Busco una camioneta diésel",
    "¿Cuánto cuesta la Kia Carnival?",
    "¿Y algo más barato?",
    "Necesito una guagua para la familia",
    "¿Tienen carros híbridos?",
    "Gracias",
]


@dataclass
class LoadResult:
    """What a load run saw."""

    statuses: Counter[int] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    ttft: list[float] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    acknowledged: dict[str, list[str]] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)
    max_llm_queue: int = 0
    llm_queue_bound: int = 0
    duration: float = 0.0
    turns: int = 0

    def percentile(self, values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def customer(
    n: int, base: str, turns: int, deadline: float, result: LoadResult, think: float
) -> None:
    """One customer: its own loopback address, a session, several streamed turns."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + n % 200}")
    async with httpx.AsyncClient(base_url=base, transport=transport, timeout=90) as client:
        start = await client.post("/api/chat/start", json={"sessionType": "WebChat"})
        result.statuses[start.status_code] += 1
        if start.status_code != 201:
            return
        token = start.json()["sessionToken"]
        result.acknowledged[token] = []
        rng = random.Random(n)
        for turn in range(turns):
            if time.monotonic() > deadline:
                return
            text = f"{rng.choice(QUESTIONS)} ({n}.{turn})"
            began = time.monotonic()
            first: float | None = None
            done: dict[str, Any] | None = None
            async with client.stream(
                "POST",
                "/api/chat/message",
                json={"sessionToken": token, "message": text},
                headers={"Accept": "text/event-stream", "Idempotency-Key": f"{n}-{turn}"},
            ) as response:
                result.statuses[response.status_code] += 1
                if response.status_code >= 500 and not (
                    response.status_code == 503 and response.headers.get("retry-after")
                ):
                    result.bad.append(f"{response.status_code} on turn {turn} of {n}")
                if response.status_code != 200:
                    await asyncio.sleep(think)
                    continue
                async for event in aevents(response):
                    if event.name == "delta" and first is None:
                        first = time.monotonic() - began
                    if event.name == "done":
                        done = event.json()
                    if event.name == "error":
                        result.bad.append(f"error event: {event.data}")
            result.latency.append(time.monotonic() - began)
            if first is not None:
                result.ttft.append(first)
            if done is not None:
                result.turns += 1
                result.acknowledged[token].append(text)
                reply = done.get("reply")
                result.sources[reply["source"] if reply else "none"] += 1
            await asyncio.sleep(think * rng.random())


async def watch_llm(url: str, result: LoadResult, stop: asyncio.Event) -> None:
    """Track the LLM server's queue depth during the run."""
    async with httpx.AsyncClient(timeout=5) as client:
        while not stop.is_set():
            try:
                health = (await client.get(f"{url}/health")).json()
                result.max_llm_queue = max(result.max_llm_queue, int(health["queue_depth"]))
                result.llm_queue_bound = int(health["max_queue"])
            except (httpx.HTTPError, KeyError, ValueError):
                pass
            await asyncio.sleep(0.2)


async def run(
    gateway: str, llm: str, customers: int, turns: int, seconds: float, think: float = 2.0
) -> LoadResult:
    """Run `customers` conversations at once, for at most `seconds`."""
    result = LoadResult()
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_llm(llm, result, stop))
    began = time.monotonic()
    deadline = began + seconds
    await asyncio.gather(
        *(customer(n, gateway, turns, deadline, result, think) for n in range(customers))
    )
    result.duration = time.monotonic() - began
    stop.set()
    await watcher
    return result


def stored_user_messages(database: Path) -> dict[str, list[str]]:
    """Read every customer message the chatbot stored, per session (SQLite)."""
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            "SELECT s.id, m.content FROM chat_messages m JOIN chat_sessions s "
            "ON m.session_id = s.id WHERE m.role = 'user' ORDER BY s.id, m.seq"
        ).fetchall()
    finally:
        connection.close()
    stored: dict[str, list[str]] = {}
    for session, content in rows:
        stored.setdefault(session, []).append(content)
    return stored


def summary(result: LoadResult) -> dict[str, float]:
    """Return the headline figures of a run."""
    replies = sum(result.sources.values())
    return {
        "turns_per_second": result.turns / result.duration if result.duration else 0.0,
        "ttft_p50": statistics.median(result.ttft) if result.ttft else float("nan"),
        "ttft_p95": result.percentile(result.ttft, 0.95),
        "ttft_p99": result.percentile(result.ttft, 0.99),
        "model_share": result.sources["model"] / replies if replies else 0.0,
    }

"""Simulated customers for load runs: each holds a multi-turn conversation through the gateway."""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import free_port

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
                name = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        if name == "delta" and first is None:
                            first = time.monotonic() - began
                        if name == "done":
                            done = json.loads(line[6:])
                        if name == "error":
                            result.bad.append(f"error event: {line}")
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


class Stack:
    """The whole stack started with `okla up` in its own run directory and ports."""

    def __init__(self, run_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.run_dir = run_dir
        self.env = {
            k: v for k, v in os.environ.items()
            if k not in {"MODEL_PATH", "API_KEY", "DATABASE_URL", "REDIS_URL", "LLM_BASE_URL"}
        }  # fmt: skip
        self.env.update(
            OKLA_RUN_DIR=str(run_dir),
            PORT=str(free_port()),
            CHATBOT_PORT=str(free_port()),
            GATEWAY_PORT=str(free_port()),
            HOST="127.0.0.1",
            **(extra_env or {}),
        )
        self.gateway = f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"
        self.llm = f"http://127.0.0.1:{self.env['PORT']}"

    def okla(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "okla", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=400,
        )

    def pids(self) -> dict[str, int]:
        found = {}
        for name in ("llm", "chat", "gateway"):
            path = self.run_dir / f"{name}.pid"
            if path.exists():
                found[name] = int(json.loads(path.read_text())["pid"])
        return found

    @property
    def database(self) -> Path:
        return self.run_dir / "okla-chat.db"


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

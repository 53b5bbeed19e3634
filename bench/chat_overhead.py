"""Chat overhead: what a templated turn costs through the chatbot and the gateway.

Three servers run side by side, each its own process under uvicorn with the settings
`okla chat serve` uses (httptools, uvloop, access log off):
- a bare FastAPI endpoint that reads the same request and returns the same JSON body the
  chatbot returns (the baseline: HTTP, JSON and the client's own cost);
- the chatbot with ANSWER_MODE=template (the LLM is never called), on SQLite or PostgreSQL;
- the gateway in front of that chatbot.
One customer sends turns one after another (latency: p50 and p99 per turn; the servers take
turns, so a shared machine's drift hits each alike), then 50 customers at once, each in its
own session, send turns without pause (turns per second). The chatbot's
cost is its figures minus the baseline's; the gateway's is its figures minus the chatbot's.

    .venv/bin/python bench/chat_overhead.py [--turns 400] [--customers 50] [--write]

PostgreSQL: a database of its own is created on POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/test) for the run, and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.processes import (  # noqa: E402
    ServerProcess,
    free_port,
    service_env,
    templated_chatbot,
    unlimited_gateway,
)

QUESTION = "¿Qué yipetas tienen de menos de 3 millones?"
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
GOAL_CHATBOT_MS = 15.0
GOAL_GATEWAY_MS = 3.0
_UVICORN = {"log_level": "info", "access_log": False, "timeout_graceful_shutdown": 10}
# The stack's own settings a developer may have exported: the run must not pick them up.


# ---------------------------------------------------------------------------------------------
# The baseline server (run as `chat_overhead.py --baseline PORT BODY_FILE`)


class Message(BaseModel):
    """The customer's message, validated as the chatbot's route does."""

    model_config = ConfigDict(extra="forbid")
    sessionToken: str = Field(max_length=200)  # noqa: N815 (the API's JSON names)
    message: str = Field(min_length=1, max_length=2000)


def serve_baseline(port: int, body_file: Path) -> None:
    """Serve the chat routes' shapes with a fixed reply: HTTP and JSON, nothing else."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    reply = json.loads(body_file.read_text())
    app = FastAPI()

    @app.post("/api/chat/start", status_code=201)
    async def start() -> JSONResponse:
        return JSONResponse({"sessionToken": secrets.token_urlsafe(32)}, status_code=201)

    @app.post("/api/chat/message")
    async def message(body: Message) -> JSONResponse:
        return JSONResponse(reply)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, **_UVICORN)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# The servers under test


def launch_baseline(run_dir: Path, reply: dict[str, Any]) -> ServerProcess:
    """Start the bare FastAPI endpoint returning `reply`."""
    body = run_dir / "reply.json"
    body.write_text(json.dumps(reply))
    port = free_port()
    command = [sys.executable, __file__, "--baseline", str(port), str(body)]
    server = ServerProcess.launch(command, service_env(), run_dir / "baseline.log", port)
    server.wait_ready("/health", timeout=60)
    return server


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a database of our own for the run; yield its URL; drop it after."""
    import asyncpg

    name = f"okla_overhead_{secrets.token_hex(4)}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(POSTGRES_URL, timeout=5)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# ---------------------------------------------------------------------------------------------
# The customers


async def _session(client: httpx.AsyncClient) -> str:
    started = await client.post("/api/chat/start", json={"sessionType": "WebChat"})
    assert started.status_code == 201, started.text
    token: str = started.json()["sessionToken"]
    return token


async def _turn(client: httpx.AsyncClient, token: str) -> tuple[float, int]:
    """Send the question; return how long the answer took and its status."""
    began = time.perf_counter()
    response = await client.post(
        "/api/chat/message", json={"sessionToken": token, "message": QUESTION}
    )
    return time.perf_counter() - began, response.status_code


async def one_customer(urls: dict[str, str], turns: int) -> dict[str, list[float]]:
    """Send `turns` turns to each server, one at a time, taking turns between the servers.

    Interleaved turn by turn, the servers see the same moments of a shared machine: a burst
    of someone else's work slows each alike, not one server's whole series. A new session
    every 10 turns, as conversations end.
    """
    latencies: dict[str, list[float]] = {name: [] for name in urls}
    clients = {name: httpx.AsyncClient(base_url=url, timeout=30) for name, url in urls.items()}
    tokens = dict.fromkeys(urls, "")
    try:
        for i in range(turns):
            for name, client in clients.items():
                if i % 10 == 0:
                    tokens[name] = await _session(client)
                elapsed, status = await _turn(client, tokens[name])
                assert status == 200, f"{name} answered {status}"
                latencies[name].append(elapsed)
    finally:
        for client in clients.values():
            await client.aclose()
    return latencies


@dataclass(frozen=True)
class Load:
    """What many customers at once saw."""

    turns: int  # answered (200)
    refused: int  # shed with 503 (e.g. no database connection free in time)
    seconds: float
    latencies: list[float]  # of the answered turns

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds


async def many_customers(url: str, customers: int, turns: int) -> Load:
    """Have `customers` customers, each in its own session, send `turns` turns without pause."""
    limits = httpx.Limits(max_connections=customers, max_keepalive_connections=customers)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        tokens = await asyncio.gather(*(_session(client) for _ in range(customers)))
        latencies: list[float] = []
        statuses: Counter[int] = Counter()

        async def customer(token: str) -> None:
            for _ in range(turns):
                elapsed, status = await _turn(client, token)
                statuses[status] += 1
                if status == 200:
                    latencies.append(elapsed)

        began = time.perf_counter()
        await asyncio.gather(*(customer(token) for token in tokens))
        seconds = time.perf_counter() - began
    unexpected = set(statuses) - {200, 503}
    assert not unexpected, f"{url} answered {dict(statuses)}"
    return Load(statuses[200], statuses[503], seconds, latencies)


# ---------------------------------------------------------------------------------------------
# The run


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (nearest rank) in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Figures:
    """One server's figures."""

    p50: float
    p99: float
    per_second: float
    load_p50: float
    load_p99: float
    refused: int


def measure(
    urls: dict[str, str], turns: int, customers: int, load_turns: int
) -> dict[str, Figures]:
    """Measure every server: one customer (turns interleaved), then many at once."""
    asyncio.run(one_customer(urls, 30))  # warm up: connections, caches, code paths
    sequential = asyncio.run(one_customer(urls, turns))
    loads = {
        name: asyncio.run(many_customers(url, customers, load_turns)) for name, url in urls.items()
    }
    return {
        name: Figures(
            p50=percentile(sequential[name], 0.5),
            p99=percentile(sequential[name], 0.99),
            per_second=loads[name].per_second,
            load_p50=percentile(loads[name].latencies, 0.5),
            load_p99=percentile(loads[name].latencies, 0.99),
            refused=loads[name].refused,
        )
        for name in urls
    }


def table(backend: str, base: Figures, chat: Figures, gate: Figures, customers: int) -> str:
    """Write one backend's figures side by side with the baseline's."""
    rows = [
        f"| {backend} | bare FastAPI | chatbot | gateway → chatbot | chatbot adds | gateway adds |",
        "|---|---:|---:|---:|---:|---:|",
        f"| 1 customer: p50 per turn, ms | {base.p50:.2f} | {chat.p50:.2f} | {gate.p50:.2f} | "
        f"{chat.p50 - base.p50:+.2f} | {gate.p50 - chat.p50:+.2f} |",
        f"| 1 customer: p99 per turn, ms | {base.p99:.2f} | {chat.p99:.2f} | {gate.p99:.2f} | "
        f"{chat.p99 - base.p99:+.2f} | {gate.p99 - chat.p99:+.2f} |",
        f"| {customers} customers: turns/s | {base.per_second:.0f} | {chat.per_second:.0f} | "
        f"{gate.per_second:.0f} | {chat.per_second / base.per_second:.2f}x | "
        f"{gate.per_second / chat.per_second:.2f}x |",
        f"| {customers} customers: p50 / p99 per turn, ms | {base.load_p50:.0f} / "
        f"{base.load_p99:.0f} | {chat.load_p50:.0f} / {chat.load_p99:.0f} | "
        f"{gate.load_p50:.0f} / {gate.load_p99:.0f} | {chat.load_p50 - base.load_p50:+.0f} / "
        f"{chat.load_p99 - base.load_p99:+.0f} | {gate.load_p50 - chat.load_p50:+.0f} / "
        f"{gate.load_p99 - chat.load_p99:+.0f} |",
        f"| {customers} customers: turns refused (503) | {base.refused} | {chat.refused} | "
        f"{gate.refused} | | |",
    ]
    return "\n".join(rows)


def goals(results: dict[str, tuple[Figures, Figures, Figures]]) -> list[str]:
    """Say, per backend, whether each goal was met."""
    lines = []
    for backend, (base, chat, gate) in results.items():
        chatbot, gateway = chat.p50 - base.p50, gate.p50 - chat.p50
        lines.append(
            f"- {backend}: the chatbot adds {chatbot:.1f} ms p50 (goal < {GOAL_CHATBOT_MS:g}): "
            f"{'met' if chatbot < GOAL_CHATBOT_MS else 'missed'}; the gateway adds "
            f"{gateway:.1f} ms (goal < {GOAL_GATEWAY_MS:g}): "
            f"{'met' if gateway < GOAL_GATEWAY_MS else 'missed'}."
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500, help="one customer's turns per server")
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--load-turns", type=int, default=10, help="turns of each customer")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--baseline", nargs=2, metavar=("PORT", "BODY_FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.baseline:
        serve_baseline(int(args.baseline[0]), Path(args.baseline[1]))
        return
    run_dir = Path(tempfile.mkdtemp(prefix="okla-overhead-"))
    backends = {"SQLite": f"sqlite+aiosqlite:///{run_dir / 'chat.db'}"}
    results: dict[str, tuple[Figures, Figures, Figures]] = {}
    with ExitStack() as stack:

        def running(server: ServerProcess) -> ServerProcess:
            stack.callback(server.stop)
            return server

        if not args.no_postgres:
            backends["PostgreSQL"] = stack.enter_context(postgres_database())
        baseline: ServerProcess | None = None
        for backend, database_url in backends.items():
            name = backend.lower()
            chatbot = running(templated_chatbot(run_dir, name, DATABASE_URL=database_url))
            gateway = running(unlimited_gateway(run_dir, chatbot.url, name))
            if baseline is None:
                reply = asyncio.run(sample_reply(chatbot.url))
                baseline = running(launch_baseline(run_dir, reply))
            urls = {"base": baseline.url, "chat": chatbot.url, "gate": gateway.url}
            print(f"{backend}: measuring…", flush=True)
            figures = measure(urls, args.turns, args.customers, args.load_turns)
            results[backend] = (figures["base"], figures["chat"], figures["gate"])
            gateway.stop()
            chatbot.stop()
    setup = (
        f'One templated turn (ANSWER_MODE=template: "{QUESTION}", {_reply_size(run_dir)} '
        f"bytes of JSON back, the demo stock), each server its own process under uvicorn "
        f"(httptools, uvloop, one worker), the client on the same machine "
        f"({platform.machine()} with {os.cpu_count()} cores, shared), {time.strftime('%Y-%m-%d')}. "
        f"1 customer: {args.turns} turns per server, the servers taking turns. "
        f"{args.customers} customers: {args.load_turns} turns each, no pause."
    )
    tables = "\n\n".join(
        table(backend, *figures, args.customers) for backend, figures in results.items()
    )
    text = f"{setup}\n\n{tables}\n\nGoals:\n" + "\n".join(goals(results))
    print(text)
    if args.write:
        record(REPO / "docs" / "benchmarks.md", "chat_overhead", "Chat overhead", text)


async def sample_reply(url: str) -> dict[str, Any]:
    """Return the chatbot's JSON reply to the question, for the baseline to send back."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        token = await _session(client)
        response = await client.post(
            "/api/chat/message", json={"sessionToken": token, "message": QUESTION}
        )
        reply: dict[str, Any] = response.json()
        return reply


def _reply_size(run_dir: Path) -> int:
    return len((run_dir / "reply.json").read_bytes())


if __name__ == "__main__":
    main()

"""Benchmark: continuous batching and prompt cache, against llama.cpp's and llama-cpp-python's.

Starts, on the same bundled model and thread count, `okla llm serve`, llama-cpp-python's own
`llama_cpp.server` and, when `LLAMA_SERVER` names a llama.cpp `llama-server` binary, that too
(`bench/build_llama_server.sh` builds one from the llama.cpp that llama-cpp-python vendors).
Streaming HTTP clients measure, with the servers' runs interleaved so drift hits all alike:

- single-stream tokens/s, aggregate tokens/s and p50/p95 time to first token at 1, 4, 8 and
  16 concurrent conversations, and how many replies came back incomplete;
- time to first token at turns 1, 5 and 10 when 8 conversations take turns round-robin;
- resident memory with N_PARALLEL = 1, 8 and 16;
- the ceiling: raw batched decode of 8 and 16 sequences with llama-cpp-python's low-level
  API (`bench/decode_ceiling.py`: one context set up as okla's, greedy, no server), and okla's
  aggregate as a fraction of it.

llama-server runs twice, like for like with okla (same context per slot, same slots, same
client): with its default f16 KV cache, and with okla's bf16 (`-fa on -ctk bf16 -ctv bf16`).

Replies are greedy with the end-of-sequence token forbidden, so every complete reply is
exactly --max-tokens tokens long and all servers do the same work.

    .venv/bin/python bench/batching_bench.py [--reps 3] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.decode_ceiling import Ceiling, measure  # noqa: E402
from bench.processes import NotReady, ServerProcess, free_port  # noqa: E402
from bench.sse import aevents  # noqa: E402
from okla.llm_server.model_file import (  # noqa: E402
    bundled_model_path,
    llama_cpp_python_version,
)

SYSTEM = "You are a helpful assistant for a car dealer in Santo Domingo."
TOPICS = [
    "a dragon who learns to sail",
    "a lighthouse keeper",
    "a lost robot",
    "a night market",
    "a taxi driver in Santiago",
    "a cat who sells cars",
    "the sea at dawn",
    "an old pickup truck",
    "a bakery on a hill",
    "a violin maker",
    "a river journey",
    "a night train",
    "a secret garden",
    "a summer storm",
    "a broken clock",
    "a bridge builder",
]
# The round-robin conversations are a marketplace's: the chatbot's persona, then a
# customer's questions (the model's replies go back into the history as it wrote them).
PERSONA = (
    "Eres Ana, asistente de ventas de Autos del Caribe en Santo Domingo, República Dominicana. "
    "Responde en español, con amabilidad y en pocas frases. Habla solo de los vehículos de la "
    "lista que acompaña cada pregunta, con sus precios y años exactos; no inventes vehículos ni "
    "datos. No ofrezcas descuentos, financiamiento ni compromisos: para eso, ofrece comunicar "
    "al cliente con un asesor."
)
OPENERS = [
    "Hola, busco una yipeta Toyota RAV4 del 2020 o más nueva, ¿qué tienen y a qué precio?",
    "Buenas, ¿tienen un Honda Civic automático por menos de un millón de pesos?",
    "Quiero una camioneta diésel para trabajo, doble cabina, ¿qué opciones hay?",
    "¿Qué carros tienen con menos de 50,000 kilómetros y buen consumo de gasolina?",
    "Hola, ¿tienen algún Hyundai Tucson 2021 disponible en Santo Domingo?",
    "Necesito un carro familiar de siete pasajeros, ¿cuál me recomiendan?",
    "¿Cuál es el vehículo más económico que tienen ahora mismo?",
    "Busco un Kia Sportage blanco, del 2019 en adelante, ¿hay alguno?",
]
FOLLOW_UPS = [
    "¿Y ese tiene cámara de reversa y pantalla táctil?",
    "¿Cuántos kilómetros tiene y de qué año es exactamente?",
    "¿Tienen otro parecido pero en color gris o negro?",
    "¿Aceptan mi carro actual como parte del pago?",
    "¿Dónde están ubicados y a qué hora abren los sábados?",
    "¿El precio incluye el traspaso y la placa?",
    "¿Puedo ir a verlo mañana por la tarde?",
    "¿Ese modelo gasta mucha gasolina en la ciudad?",
    "Perfecto, ¿me pueden comunicar con un asesor?",
]


@dataclass
class Server:
    """A server under test: how to start it, and the process once started."""

    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    running: ServerProcess | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def started(self) -> ServerProcess:
        assert self.running is not None, f"{self.name} was not started"
        return self.running

    def start(self, log_dir: Path) -> None:
        log = log_dir / f"{self.name.replace(' ', '_')}.log"
        self.running = ServerProcess.launch(
            self.command, {**os.environ, **self.env}, log, self.port
        )

    def wait_ready(self, timeout: float = 180) -> None:
        try:
            self.started.wait_ready("/v1/models", timeout)
        except NotReady as exc:
            raise SystemExit(f"{self.name}: {exc}") from exc

    def rss_mib(self) -> float:
        proc = psutil.Process(self.started.process.pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            total += child.memory_info().rss
        return total / 2**20

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop(timeout=30)


def okla_server(model: Path, threads: int, n_parallel: int, n_ctx: int, max_tokens: int) -> Server:
    port = free_port()
    return Server(
        "okla",
        [sys.executable, "-m", "okla", "llm", "serve", "--log-level", "warning"],
        {
            "MODEL_PATH": str(model),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "N_THREADS": str(threads),
            "N_CTX": str(n_ctx),
            "N_PARALLEL": str(n_parallel),
            "MAX_TOKENS": str(max_tokens),
            # The benchmark's own clients are the only ones: let every one of them in.
            "MAX_QUEUE": "64",
        },
        port,
    )


def llama_cpp_python_server(model: Path, threads: int, n_ctx: int) -> Server:
    port = free_port()
    return Server(
        "llama_cpp.server",
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            str(threads),
            "--n_threads_batch",
            str(threads),
            "--n_ctx",
            str(n_ctx),
        ],
        {},
        port,
    )


def llama_server(
    binary: str, model: Path, threads: int, n_parallel: int, n_ctx: int, kv: str | None = None
) -> Server:
    port = free_port()
    # With kv, the KV element type okla uses (bf16 needs flash attention, as okla has it on).
    kv_args = ["--flash-attn", "on", "--cache-type-k", kv, "--cache-type-v", kv] if kv else []
    return Server(
        f"llama-server {kv}" if kv else "llama-server",
        [
            binary,
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            str(threads),
            "--threads-batch",
            str(threads),
            "--parallel",
            str(n_parallel),
            # The context is shared by the slots: N_CTX tokens each, as okla gives them.
            "--ctx-size",
            str(n_ctx * n_parallel),
            *kv_args,
        ],
        {},
        port,
    )


@dataclass
class Reply:
    """One streamed reply as a client saw it."""

    ttft: float
    tokens: int
    first: float
    last: float
    complete: bool
    text: str

    @property
    def tokens_per_second(self) -> float:
        span = self.last - self.first
        return (self.tokens - 1) / span if span > 0 and self.tokens > 1 else 0.0


async def stream_reply(
    client: httpx.AsyncClient,
    server: Server,
    messages: list[dict[str, str]],
    max_tokens: int,
    eos: int,
) -> Reply:
    """Send one streamed chat completion and time its tokens."""
    body = {
        "model": "bench",
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": 0.0,
        "stream": True,
        "logit_bias": {str(eos): -100},
    }
    start = time.perf_counter()
    first = last = 0.0
    tokens = 0
    parts: list[str] = []
    finished = False
    try:
        async with client.stream("POST", f"{server.url}/v1/chat/completions", json=body) as r:
            if r.status_code != 200:
                await r.aread()
                return Reply(0.0, 0, 0.0, 0.0, False, f"HTTP {r.status_code}")
            async for event in aevents(r):
                if event.data == "[DONE]":
                    break
                for choice in event.json().get("choices") or []:
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        last = time.perf_counter()
                        if not first:
                            first = last
                        tokens += 1
                        parts.append(content)
                    if choice.get("finish_reason"):
                        finished = True
    except httpx.HTTPError as exc:
        return Reply(0.0, tokens, first, last, False, f"{type(exc).__name__}")
    ttft = first - start if first else 0.0
    return Reply(ttft, tokens, first, last, finished and tokens >= max_tokens, "".join(parts))


def first_messages(i: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Write a story about {TOPICS[i % len(TOPICS)]}."},
    ]


@dataclass
class Concurrency:
    """One burst of c conversations started at once."""

    replies: list[Reply]
    wall: float

    @property
    def aggregate(self) -> float:
        return sum(r.tokens for r in self.replies) / self.wall


async def burst(server: Server, c: int, max_tokens: int, eos: int, offset: int) -> Concurrency:
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=600, limits=limits) as client:
        start = time.perf_counter()
        replies = await asyncio.gather(
            *(
                stream_reply(client, server, first_messages(offset + i), max_tokens, eos)
                for i in range(c)
            )
        )
        return Concurrency(list(replies), time.perf_counter() - start)


async def round_robin(
    server: Server, conversations: int, turns: int, max_tokens: int, eos: int
) -> dict[int, list[float]]:
    """Let each conversation take a turn in order, `turns` times; return TTFTs by turn."""
    histories = [
        [
            {"role": "system", "content": PERSONA},
            {"role": "user", "content": OPENERS[i % len(OPENERS)]},
        ]
        for i in range(conversations)
    ]
    ttfts: dict[int, list[float]] = {t: [] for t in range(1, turns + 1)}
    async with httpx.AsyncClient(timeout=600) as client:
        for turn in range(1, turns + 1):
            for history in histories:
                if turn > 1:
                    question = FOLLOW_UPS[(turn - 2) % len(FOLLOW_UPS)]
                    history.append({"role": "user", "content": question})
                reply = await stream_reply(client, server, history, max_tokens, eos)
                ttfts[turn].append(reply.ttft)
                history.append({"role": "assistant", "content": reply.text})
    return ttfts


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Results:
    """Everything measured for one server."""

    bursts: dict[int, list[Concurrency]] = field(default_factory=dict)
    turns: dict[int, list[float]] = field(default_factory=dict)
    rss: dict[int, float] = field(default_factory=dict)
    ceiling: list[Ceiling] = field(default_factory=list)

    def single_stream(self) -> float:
        return statistics.median(r.replies[0].tokens_per_second for r in self.bursts[1])

    def aggregate(self, c: int) -> float:
        return statistics.median(r.aggregate for r in self.bursts[c])

    def ttft(self, c: int, q: float) -> float:
        return pct([x.ttft for r in self.bursts[c] for x in r.replies if x.tokens], q)

    def incomplete(self, c: int) -> tuple[int, int]:
        replies = [x for r in self.bursts[c] for x in r.replies]
        return sum(1 for x in replies if not x.complete), len(replies)


def eos_token(server: Server) -> int:
    info = httpx.get(f"{server.url}/info", timeout=10).json()
    eos: int = info["model"]["eos_token"]["id"]
    return eos


async def measure_memory(
    factory: Any, levels: Sequence[int], log_dir: Path, max_tokens: int, eos: int
) -> dict[int, float]:
    out: dict[int, float] = {}
    for n in levels:
        server: Server = factory(n)
        server.start(log_dir)
        try:
            server.wait_ready()
            await burst(server, n, max_tokens, eos, 0)
            out[n] = server.rss_mib()
        finally:
            server.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="bursts per level and server")
    parser.add_argument("--levels", default="1,4,8,16")
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--conversations", type=int, default=8)
    parser.add_argument("--turn-tokens", type=int, default=64, help="reply length per turn")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-ctx", type=int, default=2048, help="context per conversation")
    parser.add_argument("--n-parallel", type=int, default=8)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-ceiling", action="store_true")
    parser.add_argument(
        "--skip-llama-cpp-python", action="store_true", help="leave out llama_cpp.server"
    )
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    model = args.model or bundled_model_path()
    log_dir = Path(os.environ.get("BENCH_LOG_DIR", "/tmp/okla-bench"))
    log_dir.mkdir(parents=True, exist_ok=True)

    binary = os.environ.get("LLAMA_SERVER") or shutil.which("llama-server")
    servers = [okla_server(model, args.threads, args.n_parallel, args.n_ctx, args.max_tokens)]
    if not args.skip_llama_cpp_python:
        servers.append(llama_cpp_python_server(model, args.threads, args.n_ctx))
    if binary:
        for kv in (None, "bf16"):
            servers.append(
                llama_server(binary, model, args.threads, args.n_parallel, args.n_ctx, kv)
            )
    else:
        print("LLAMA_SERVER is not set and no llama-server is on PATH: skipping that column.")
    results = {s.name: Results() for s in servers}
    try:
        for server in servers:
            server.start(log_dir)
        for server in servers:
            server.wait_ready()
        eos = eos_token(servers[0])
        for server in servers:  # warm-up
            asyncio.run(burst(server, 1, 8, eos, 99))
        for rep in range(args.reps):
            for c in levels:
                # Rotate who goes first so no server always meets a warmer machine.
                order = servers[rep % len(servers) :] + servers[: rep % len(servers)]
                for server in order:
                    run = asyncio.run(burst(server, c, args.max_tokens, eos, rep * 3))
                    results[server.name].bursts.setdefault(c, []).append(run)
                    print(
                        f"rep {rep + 1} c={c:>2} {server.name:<17} "
                        f"{run.aggregate:7.1f} tok/s aggregate, "
                        f"{sum(1 for r in run.replies if not r.complete)} incomplete",
                        flush=True,
                    )
        for server in servers:
            ttfts = asyncio.run(
                round_robin(server, args.conversations, args.turns, args.turn_tokens, eos)
            )
            results[server.name].turns = ttfts
            print(
                f"round-robin {server.name:<17} "
                + " ".join(f"t{t}={statistics.median(v):.3f}s" for t, v in ttfts.items()),
                flush=True,
            )
    finally:
        for server in servers:
            server.stop()

    if not args.skip_memory:
        mem_levels = [1, 8, 16]
        results["okla"].rss = asyncio.run(
            measure_memory(
                lambda n: okla_server(model, args.threads, n, args.n_ctx, args.max_tokens),
                mem_levels,
                log_dir,
                16,
                eos,
            )
        )
        if binary:
            for kv in (None, "bf16"):
                name = f"llama-server {kv}" if kv else "llama-server"
                results[name].rss = asyncio.run(
                    measure_memory(
                        lambda n, kv=kv: llama_server(
                            binary, model, args.threads, n, args.n_ctx, kv
                        ),
                        mem_levels,
                        log_dir,
                        16,
                        eos,
                    )
                )
    if not args.skip_ceiling:
        ceiling_levels = [c for c in levels if c >= 8] or [max(levels)]
        try:
            results["okla"].ceiling = measure(
                ceiling_levels, args.max_tokens, args.threads, args.n_ctx, "bf16"
            )
        except subprocess.CalledProcessError as exc:  # report the rest all the same
            print(f"The ceiling could not be measured: {exc}\n{exc.stderr[-2000:]}", flush=True)
        for row in results["okla"].ceiling:
            print(f"ceiling {row}", flush=True)

    text = report(results, args, levels, model, binary)
    print(text)
    if args.write:
        record(REPO / "docs" / "benchmarks.md", "batching",
               "Continuous batching and prompt cache", text)  # fmt: skip


def report(
    results: dict[str, Results],
    args: argparse.Namespace,
    levels: Sequence[int],
    model: Path,
    binary: str | None,
) -> str:
    names = list(results)
    ours = results["okla"]
    base = results.get("llama-server")
    lines: list[str] = []
    setup = (
        f"Model {model.name}, {args.threads} threads, {args.n_ctx} tokens of context per "
        f"conversation, N_PARALLEL={args.n_parallel} (llama-server: --parallel "
        f"{args.n_parallel}), greedy, {args.max_tokens} tokens per reply (end of sequence "
        f"forbidden), {args.reps} bursts per level, llama-cpp-python "
        f"{llama_cpp_python_version()}, {platform.machine()} with {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}."
    )
    lines += [setup, ""]
    head = "| | " + " | ".join(names) + " |"
    rule = "|---|" + "---:|" * len(names)
    lines += [
        "Concurrent conversations (medians over the bursts; okla / baseline in brackets):",
        "",
        head,
        rule,
    ]

    def with_ratio(name: str, value: float, ours_value: float, fmt: str) -> str:
        if name == "okla":
            return format(value, fmt)
        return f"{format(value, fmt)} ({ours_value / value:.2f}x)" if value else "n/a"

    single = {n: results[n].single_stream() for n in names}
    lines.append(
        "| single-stream tokens/s | "
        + " | ".join(with_ratio(n, single[n], single["okla"], ".1f") for n in names)
        + " |"
    )
    for c in levels:
        agg = {n: results[n].aggregate(c) for n in names}
        lines.append(
            f"| {c} at once: aggregate tokens/s | "
            + " | ".join(with_ratio(n, agg[n], agg["okla"], ".1f") for n in names)
            + " |"
        )
        p50 = {n: results[n].ttft(c, 0.5) for n in names}
        p95 = {n: results[n].ttft(c, 0.95) for n in names}
        lines.append(
            f"| {c} at once: time to first token p50 / p95, s | "
            + " | ".join(f"{p50[n]:.3f} / {p95[n]:.3f}" for n in names)
            + " |"
        )
        cut = {n: results[n].incomplete(c) for n in names}
        lines.append(
            f"| {c} at once: incomplete replies | "
            + " | ".join(f"{cut[n][0]} of {cut[n][1]}" for n in names)
            + " |"
        )
    lines += [
        "",
        f"Round-robin: {args.conversations} customers' conversations (the chatbot's persona, "
        f"questions of 15 to 30 tokens, {args.turn_tokens}-token replies kept in the history) "
        "take turns one after another; median time to first token, s:",
        "",
        head,
        rule,
    ]
    for t in sorted({1, 5, args.turns}):
        med = {n: statistics.median(results[n].turns[t]) for n in names}
        lines.append(
            f"| turn {t} | "
            + " | ".join(with_ratio(n, med[n], med["okla"], ".3f") for n in names)
            + " |"
        )
    growth = {
        n: statistics.median(results[n].turns[args.turns]) / statistics.median(results[n].turns[1])
        for n in names
    }
    lines.append(
        f"| turn {args.turns} / turn 1 | " + " | ".join(f"{growth[n]:.1f}x" for n in names) + " |"
    )
    if ours.rss:
        lines += ["", "Resident memory after serving N_PARALLEL conversations at once, MiB:", ""]
        mem_names = [n for n in names if results[n].rss]
        lines += ["| N_PARALLEL | " + " | ".join(mem_names) + " |"]
        lines += ["|---|" + "---:|" * len(mem_names)]
        for n_par in sorted(ours.rss):
            row = " | ".join(f"{results[n].rss[n_par]:.0f}" for n in mem_names)
            lines.append(f"| {n_par} | {row} |")
    if ours.ceiling:
        lines += [
            "",
            "The ceiling: raw batched decode with llama-cpp-python's low-level API in one "
            f"process (one context set up as okla's: bf16 KV, flash attention, {args.n_ctx} "
            f"cells per sequence; greedy, {args.max_tokens} tokens per sequence, no server), "
            "and okla's aggregate over HTTP as a fraction of it:",
            "",
            "| sequences | raw decode, tokens/s | raw with the prompts, tokens/s "
            "| okla aggregate | okla / raw decode | okla / raw with the prompts |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for top in ours.ceiling:
            ours_agg = ours.aggregate(top.sequences)
            lines.append(
                f"| {top.sequences} | {top.decode_tokens_per_second:.1f} | "
                f"{top.end_to_end_tokens_per_second:.1f} | {ours_agg:.1f} | "
                f"{ours_agg / top.decode_tokens_per_second:.0%} | "
                f"{ours_agg / top.end_to_end_tokens_per_second:.0%} |"
            )
    lines += ["", "Goals:"]
    c8 = 8 if 8 in levels else max(levels)
    cut8 = ours.incomplete(c8)[0]
    goals: list[tuple[str, bool | None]] = []
    if base is not None:
        goals.append(
            (
                "single stream at least 95% of llama-server's tokens/s",
                single["okla"] >= 0.95 * single["llama-server"],
            )  # fmt: skip
        )
        goals.append(
            (
                f"{c8} concurrent: aggregate at least llama-server's",
                ours.aggregate(c8) >= base.aggregate(c8),
            )  # fmt: skip
        )
    goals.append(
        (
            f"{c8} concurrent: aggregate at least 1.5x our single stream",
            ours.aggregate(c8) >= 1.5 * single["okla"],
        )  # fmt: skip
    )
    goals.append((f"{c8} concurrent: every reply complete", cut8 == 0))
    turn_last = statistics.median(ours.turns[args.turns])
    if base is not None:
        goals.append(
            (
                f"round-robin turn {args.turns} no slower than llama-server's",
                turn_last <= statistics.median(base.turns[args.turns]),
            )  # fmt: skip
        )
    goals.append(
        (
            f"round-robin turn {args.turns} within 2x of our turn 1",
            turn_last <= 2 * statistics.median(ours.turns[1]),
        )  # fmt: skip
    )
    for top in ours.ceiling:
        goals.append(
            (
                f"{top.sequences} concurrent: aggregate at least 90% of the raw decode ceiling",
                ours.aggregate(top.sequences) >= 0.9 * top.decode_tokens_per_second,
            )  # fmt: skip
        )
    for text, met in goals:
        lines.append(f"- {text}: {'met' if met else 'NOT met'}")
    if "llama_cpp.server" in results:
        cut_n, total = results["llama_cpp.server"].incomplete(c8)
        lines.append(f"- llama_cpp.server cut {cut_n} of its {total} replies at {c8} concurrent.")
    if base is None:
        lines.append("- llama-server was not measured (set LLAMA_SERVER to its binary).")
    elif "llama-server bf16" in results:
        like = results["llama-server bf16"]
        lines.append(
            "- like for like (llama-server with okla's bf16 KV cache): single stream "
            f"{single['okla'] / single['llama-server bf16']:.2f}x, {c8} concurrent "
            f"{ours.aggregate(c8) / like.aggregate(c8):.2f}x, round-robin turn {args.turns} "
            f"{statistics.median(like.turns[args.turns]) / turn_last:.2f}x faster."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""Benchmark: speculation from the prompt (SPECULATION=ngram) against none, on chatbot prompts.

Starts three `okla llm serve` processes on the bundled model, alike otherwise: SPECULATION=off;
ngram, drafting as long as a token is worth its measured cost (the default); and ngram with
SPECULATION_TOKEN_COST=0, every guess drafted whole (the first version's rule). Sends them the
same streamed requests (greedy unless said), interleaved (who goes first rotates), one at a time:

- copy-heavy: the chatbot's real prompts (persona, a short history, the question and its
  vehicle lines, built by `okla.chatbot.reply.prompt` from the demo stock);
- nothing to copy: stories;
- the chatbot's prompts at its own temperature (0.3), seeded.

Prints single-stream tokens/s (from the first to the last streamed token) for each, the ratio,
the share of drafted tokens kept, and the aggregate tokens/s of 8 conversations at once. Replies
end where the model ends them (at most --max-tokens); all servers' replies must be identical.

    .venv/bin/python bench/speculation_bench.py [--reps 3] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.batching_bench import Server, okla_server  # noqa: E402
from bench.chat_prompts import chatbot_messages, story_messages  # noqa: E402
from bench.sse import aevents  # noqa: E402
from okla.llm_server.model_file import (  # noqa: E402
    bundled_model_path,
    llama_cpp_python_version,
)
from okla.llm_server.settings import LlmServerSettings  # noqa: E402

KINDS: dict[str, tuple[str, Callable[[int], list[dict[str, str]]], int, float]] = {
    # kind: (what it is, prompt maker, prompts, temperature)
    "copy": ("the chatbot's prompts (vehicle lines to copy)", chatbot_messages, 8, 0.0),
    "none": ("stories (nothing to copy)", story_messages, 4, 0.0),
    # The chatbot asks at LLM_TEMPERATURE=0.3; seeded, so the replies must still be equal.
    "warm": ("the chatbot's prompts at temperature 0.3, seeded", chatbot_messages, 8, 0.3),
}


@dataclass
class Timed:
    """One streamed reply: its text, tokens, and when its first and last tokens came."""

    text: str
    tokens: int
    first: float
    last: float

    @property
    def tokens_per_second(self) -> float:
        span = self.last - self.first
        return (self.tokens - 1) / span if span > 0 and self.tokens > 1 else 0.0


async def stream(
    client: httpx.AsyncClient,
    server: Server,
    messages: list[dict[str, str]],
    max_tokens: int,
    temperature: float = 0.0,
) -> Timed:
    body = {
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": temperature,
        "seed": 7,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    first = last = 0.0
    parts: list[str] = []
    tokens = 0
    async with client.stream("POST", f"{server.url}/v1/chat/completions", json=body) as r:
        r.raise_for_status()
        async for event in aevents(r):
            if event.data == "[DONE]":
                break
            data = event.json()
            if data.get("usage"):
                tokens = data["usage"]["completion_tokens"]
            for choice in data.get("choices") or []:
                content = (choice.get("delta") or {}).get("content")
                if content:
                    last = time.perf_counter()
                    first = first or last
                    parts.append(content)
    return Timed("".join(parts), tokens, first, last)


async def burst(server: Server, c: int, max_tokens: int) -> float:
    """Start c conversations at once; return their aggregate tokens/s."""
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=600, limits=limits) as client:
        start = time.perf_counter()
        replies = await asyncio.gather(
            *(
                stream(
                    client,
                    server,
                    chatbot_messages(i) if i % 2 == 0 else story_messages(i),
                    max_tokens,
                )
                for i in range(c)
            )
        )
        return sum(r.tokens for r in replies) / (time.perf_counter() - start)


def counter(server: Server, name: str) -> float:
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-parallel", type=int, default=8)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--concurrent", type=int, default=8)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    model = bundled_model_path()
    log_dir = Path(os.environ.get("BENCH_LOG_DIR", "/tmp/okla-bench"))
    log_dir.mkdir(parents=True, exist_ok=True)
    defaults = LlmServerSettings()
    servers = []
    for name, env in (
        ("SPECULATION=off", {"SPECULATION": "off"}),
        ("ngram", {"SPECULATION": "ngram"}),
        ("ngram, every guess whole", {"SPECULATION": "ngram", "SPECULATION_TOKEN_COST": "0"}),
    ):
        server = okla_server(model, args.threads, args.n_parallel, args.n_ctx, args.max_tokens)
        server.name = name
        server.env.update(env)
        servers.append(server)
    speeds: dict[str, dict[str, list[float]]] = {s.name: {k: [] for k in KINDS} for s in servers}
    aggregate: dict[str, list[float]] = {s.name: [] for s in servers}
    mismatches = 0
    try:
        for server in servers:
            server.start(log_dir)
        for server in servers:
            server.wait_ready()

        async def run() -> int:
            differ = 0
            async with httpx.AsyncClient(timeout=600) as client:
                for server in servers:  # warm-up
                    await stream(client, server, story_messages(0), 8)
                for rep in range(args.reps):
                    for kind, (_, make, count, temperature) in KINDS.items():
                        for i in range(count):
                            messages = make(i)
                            turn = (rep + i) % len(servers)
                            order = servers[turn:] + servers[:turn]
                            replies = {
                                s.name: await stream(
                                    client, s, messages, args.max_tokens, temperature
                                )
                                for s in order
                            }
                            texts = {r.text for r in replies.values()}
                            differ += len(texts) > 1
                            for name, reply in replies.items():
                                if reply.tokens >= 8:
                                    speeds[name][kind].append(reply.tokens_per_second)
                    so_far = {
                        name: {k: round(statistics.median(v), 1) for k, v in by_kind.items() if v}
                        for name, by_kind in speeds.items()
                    }
                    print(f"rep {rep + 1}: single-stream medians so far {so_far}", flush=True)
            for rep in range(args.reps):
                turn = rep % len(servers)
                for server in servers[turn:] + servers[:turn]:
                    aggregate[server.name].append(
                        await burst(server, args.concurrent, args.max_tokens)
                    )
                    print(f"{server.name}: {aggregate[server.name][-1]:.1f} tok/s", flush=True)
            return differ

        mismatches = asyncio.run(run())
        drafts = [
            (
                counter(server, "okla_llm_draft_accepted_tokens_total"),
                counter(server, "okla_llm_draft_tokens_total"),
            )
            for server in servers[1:]
        ]
    finally:
        for server in servers:
            server.stop()

    off, on, whole = (s.name for s in servers)
    lines = [
        f"Model {model.name}, {args.threads} threads, N_PARALLEL={args.n_parallel}, greedy "
        f"unless said, replies as the model ends them (at most {args.max_tokens} tokens), "
        f"{args.reps} rounds, SPECULATION_NGRAM_MIN/MAX={defaults.speculation_ngram_min}/"
        f"{defaults.speculation_ngram_max}, SPECULATION_DRAFT_MAX="
        f"{defaults.speculation_draft_max}, SPECULATION_STEP_BUDGET="
        f"{defaults.speculation_step_budget}, llama-cpp-python {llama_cpp_python_version()}, "
        f"{platform.machine()} with {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}.",
        "",
        f"| single stream, tokens/s (median) | {off} | {on} | ratio | goal | {whole} | ratio |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    goals = {"copy": 1.5, "none": 0.97, "warm": 1.0}
    for kind, (what, _, _, _) in KINDS.items():
        a, b, c = (statistics.median(speeds[s.name][kind]) for s in servers)
        lines.append(
            f"| {what} | {a:.1f} | {b:.1f} | {b / a:.2f}x | >= {goals[kind]}x: "
            f"{'met' if b / a >= goals[kind] else 'NOT met'} | {c:.1f} | {c / a:.2f}x |"
        )
    a, b, c = (statistics.median(aggregate[s.name]) for s in servers)
    lines.append(
        f"| {args.concurrent} at once (half chatbot, half stories): aggregate tokens/s | "
        f"{a:.1f} | {b:.1f} | {b / a:.2f}x | | {c:.1f} | {c / a:.2f}x |"
    )
    lines.append("")
    for server, (kept, drafted) in zip(servers[1:], drafts, strict=True):
        lines.append(
            f"- {server.name}: drafted tokens kept {kept:.0f} of {drafted:.0f} "
            f"({kept / drafted if drafted else 0:.0%})."
        )
    lines.append(f"- Replies that differed between the servers: {mismatches} (must be 0).")
    text = "\n".join(lines)
    print(text)
    if args.write:
        record(REPO / "docs" / "benchmarks.md", "speculation",
               "Speculation from the prompt", text)  # fmt: skip


if __name__ == "__main__":
    main()

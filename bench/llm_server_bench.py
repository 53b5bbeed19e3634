"""Benchmark: `okla llm serve` over HTTP against llama-cpp-python in-process, side by side.

Both load the same GGUF with the same threads and context, answer the same prompt greedily
(so both produce the same tokens), and alternate run by run so that drift on the machine
hits both alike. Prints single-stream tokens/s and time to first token, and their ratio;
with --write, records the table in docs/benchmarks.md.

    .venv/bin/python bench/llm_server_bench.py [--runs 25] [--max-tokens 128] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.processes import ServerProcess  # noqa: E402
from okla.llm_server.model_file import (  # noqa: E402
    bundled_model_path,
    llama_cpp_python_version,
)

TOPICS = ["a dragon who learns to sail", "a lighthouse keeper", "a lost robot", "a night market"]


def prompt(run: int) -> list[dict[str, str]]:
    """Return run `run`'s conversation: a shared system prompt, a new question each time."""
    return [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": f"Write a long story about {TOPICS[run % len(TOPICS)]}."},
    ]


@dataclass
class Run:
    """One streamed reply."""

    ttft: float
    tokens: int
    decode_seconds: float

    @property
    def tokens_per_second(self) -> float:
        return (self.tokens - 1) / self.decode_seconds if self.decode_seconds > 0 else 0.0


def run_in_process(llama: Any, max_tokens: int, run: int) -> Run:
    """Stream one reply from llama-cpp-python's own create_chat_completion."""
    start = time.perf_counter()
    first = last = 0.0
    chunks = 0
    for chunk in llama.create_chat_completion(
        messages=prompt(run), max_tokens=max_tokens, temperature=0.0, stream=True
    ):
        if chunk["choices"][0]["delta"].get("content"):
            last = time.perf_counter()
            if not first:
                first = last
            chunks += 1
    return Run(ttft=first - start, tokens=chunks, decode_seconds=last - first)


def run_http(client: httpx.Client, max_tokens: int, run: int) -> Run:
    """Stream one reply from the okla server through its OpenAI API."""
    body = {
        "messages": prompt(run),
        "max_tokens": max_tokens,
        "temperature": 0.0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    start = time.perf_counter()
    first = last = 0.0
    tokens = 0
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            # Parse only what is needed: the client shares the cores with the server.
            if '"content":"' in line and '"content":""' not in line:
                last = time.perf_counter()
                if not first:
                    first = last
            elif '"usage":{' in line:
                tokens = json.loads(line[6:])["usage"]["completion_tokens"]
    return Run(ttft=first - start, tokens=tokens, decode_seconds=last - first)


def start_server(
    model: Path, port: int, threads: int, n_ctx: int, max_tokens: int
) -> ServerProcess:
    env = {
        **os.environ,
        "MODEL_PATH": str(model),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "N_THREADS": str(threads),
        "N_CTX": str(n_ctx),
        "MAX_TOKENS": str(max_tokens),
    }
    server = ServerProcess.launch(
        [sys.executable, "-m", "okla", "llm", "serve", "--log-level", "warning"],
        env,
        Path(tempfile.mkdtemp(prefix="okla-bench-")) / "llm.log",
        port,
    )
    server.wait_ready()
    return server


def summarize(runs: list[Run]) -> dict[str, float]:
    return {
        "tokens_per_second": statistics.median(r.tokens_per_second for r in runs),
        "ttft_ms": statistics.median(r.ttft for r in runs) * 1000,
        "tokens": statistics.median(r.tokens for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--port", type=int, default=18911)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()

    import llama_cpp

    model = args.model or bundled_model_path()
    llama = llama_cpp.Llama(
        model_path=str(model),
        n_ctx=args.n_ctx,
        n_batch=512,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        verbose=False,
    )
    server = start_server(model, args.port, args.threads, args.n_ctx, args.max_tokens)
    raw: list[Run] = []
    served: list[Run] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=120) as client:
            run_in_process(llama, 8, -1)  # warm-up, both sides
            run_http(client, 8, -1)
            for i in range(args.runs):
                # Alternate the order so neither side always runs on a warmer machine.
                first, second = (raw, served) if i % 2 == 0 else (served, raw)
                for side in (first, second):
                    if side is raw:
                        raw.append(run_in_process(llama, args.max_tokens, i))
                    else:
                        served.append(run_http(client, args.max_tokens, i))
    finally:
        server.stop(timeout=30)

    a, b = summarize(raw), summarize(served)
    # Runs i of both sides ran back to back on the same question: compare them pairwise,
    # which cancels the machine's slow drift better than a ratio of medians.
    tps_ratio = statistics.median(
        s.tokens_per_second / r.tokens_per_second for r, s in zip(raw, served, strict=True)
    )
    ttft_ratio = statistics.median(s.ttft / r.ttft for r, s in zip(raw, served, strict=True))
    ratios = sorted(
        s.tokens_per_second / r.tokens_per_second for r, s in zip(raw, served, strict=True)
    )
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    rows = [
        "| | llama-cpp-python in-process | okla llm serve (HTTP, streamed) "
        "| okla / in-process (median of pairwise ratios) |",
        "|---|---:|---:|---:|",
        f"| tokens/s (median of {args.runs}) | {a['tokens_per_second']:.1f} "
        f"| {b['tokens_per_second']:.1f} | {tps_ratio:.3f} |",
        f"| time to first token, ms (median) | {a['ttft_ms']:.1f} | {b['ttft_ms']:.1f} "
        f"| {ttft_ratio:.2f} |",
        f"| tokens/s ratio, interquartile range | | | {q1:.3f} – {q3:.3f} |",
        f"| tokens per reply | {a['tokens']:.0f} | {b['tokens']:.0f} | |",
    ]
    verdict = "met" if tps_ratio >= 0.95 else "NOT met"
    setup = (
        f"Model {model.name}, {args.threads} threads, n_ctx {args.n_ctx}, greedy, "
        f"{args.max_tokens} max tokens, llama-cpp-python {llama_cpp_python_version()}, "
        f"{platform.machine()} with {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}. Goal (lose at most 5% of tokens/s): {verdict}."
    )
    table = "\n".join(rows)
    print(setup)
    print(table)
    if args.write:
        record(REPO / "docs" / "benchmarks.md", "llm_server", "LLM server overhead",
               f"{setup}\n\n{table}")  # fmt: skip


if __name__ == "__main__":
    main()

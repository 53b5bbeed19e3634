"""Load run: simulated customers hold multi-turn conversations against the whole stack.

Starts the stack with `okla up` (bundled model, SQLite, gateway) in a temporary run directory,
runs N customers at once (each from its own 127.0.0.x address, streaming every reply) for a
bounded time, then checks that no process crashed, no 5xx other than 503 + Retry-After was
seen, the LLM queue stayed within its bound, and every acknowledged message is stored exactly
once. Prints throughput, time to first token (p50/p95/p99) and how replies were made; with
--write, records them in docs/reliability.md.

    .venv/bin/python bench/load_test.py [--customers 50] [--turns 4] [--seconds 180] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.load_client import run, stored_user_messages, summary  # noqa: E402
from bench.processes import Stack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--think", type=float, default=3.0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    # Every simulated customer comes from this one address: lift the cap on its open streams.
    stack = Stack(Path(tempfile.mkdtemp(prefix="okla-load-")), {"MAX_STREAMS_PER_CLIENT": "1000"})
    started = stack.okla("up")
    if started.returncode != 0:
        raise SystemExit(started.stdout + started.stderr)
    try:
        pids = stack.pids()
        result = asyncio.run(
            run(stack.gateway, stack.llm, args.customers, args.turns, args.seconds, args.think)
        )
        alive = {name: psutil.pid_exists(pid) for name, pid in pids.items()}
        metrics = httpx.get(f"http://127.0.0.1:{stack.env['CHATBOT_PORT']}/metrics").text
        llm_calls = {
            outcome: int(float(n))
            for outcome, n in re.findall(
                r'okla_chat_llm_calls_total\{outcome="(\w+)"\} (\S+)', metrics
            )
        }
    finally:
        stack.okla("down")
    stored = stored_user_messages(stack.database)
    everything = [m for messages in stored.values() for m in messages]
    sent = [m for messages in result.acknowledged.values() for m in messages]
    duplicates = len(everything) - len(set(everything))
    lost = len(set(sent) - set(everything))
    figures = summary(result)
    server_errors = {s: n for s, n in result.statuses.items() if s >= 500}
    shed = sum(n for s, n in result.statuses.items() if s in (429, 503))
    requests = sum(result.statuses.values())
    rows = [
        "| figure | value |",
        "|---|---:|",
        f"| customers at once / turns each (bound) | {args.customers} / {args.turns} |",
        f"| run time | {result.duration:.0f} s |",
        f"| replies completed | {result.turns} |",
        f"| throughput | {figures['turns_per_second']:.2f} replies/s |",
        f"| time to first token p50 / p95 / p99 | {figures['ttft_p50']:.2f} / "
        f"{figures['ttft_p95']:.2f} / {figures['ttft_p99']:.2f} s |",
        f"| replies in the model's words / from the stock template | "
        f"{result.sources['model']} / {result.sources['fallback']} |",
        f"| HTTP statuses | {dict(sorted(result.statuses.items()))} |",
        f"| shed (429 or 503 with Retry-After) | {shed} of {requests} "
        f"({shed / max(1, requests):.1%}) |",
        f"| 5xx other than 503 + Retry-After | {len(result.bad)} |",
        f"| chatbot's LLM calls by outcome (busy LLM: error = its 503, timeout = no first "
        f"token in time, breaker_open = not tried) | {dict(sorted(llm_calls.items()))} |",
        f"| LLM queue depth, max seen / bound | {result.max_llm_queue} / "
        f"{result.llm_queue_bound} |",
        f"| processes alive at the end | {sum(alive.values())} of {len(alive)} |",
        f"| messages acknowledged / stored / duplicated / lost | {len(sent)} / "
        f"{len(everything)} / {duplicates} / {lost} |",
    ]
    table = "\n".join(rows)
    setup = (
        f"Whole stack from `okla up` (bundled SmolLM2-135M, SQLite, in-process cache), "
        f"streaming clients on loopback, think time up to {args.think:g} s, "
        f"{time.strftime('%Y-%m-%d')}; server errors seen: {server_errors or 'none'}."
    )
    print(setup)
    print(table)
    if args.write:
        record(REPO / "docs" / "reliability.md", "load", "Load", f"{setup}\n\n{table}")
    if result.bad or duplicates or lost or not all(alive.values()):
        raise SystemExit("the load run found problems (see above)")


if __name__ == "__main__":
    main()

"""Benchmark: conversation affinity across LLM replicas, against round-robin, in one run.

Starts real `okla llm serve` replicas on the bundled model (1 thread each) and sends them, through
the chatbot's own router (`okla.chatbot.llm.router`), 8 interleaved conversations of 10 turns
with growing history, built as the chatbot builds them (`reply/prompt.py`: the dealer's persona,
the history cut to HISTORY_TOKEN_BUDGET, this turn's vehicles from the demo stock last). Three
passes, each on freshly started servers (cold prompt caches):

- single: one replica, the reference (everything a replica could cache, it caches);
- affinity: two replicas, each conversation sent with its session id (consistent hashing with
  bounded load);
- round-robin: two replicas, calls with no affinity (the router takes them in turn).

It reports, per pass, the prompt-cache hit tokens and prompt tokens from the servers' own
`/metrics` (`okla_llm_prompt_cache_hit_tokens_total`, `okla_llm_prompt_tokens_total`), the time
to the first token at turn 10, and where the router sent the calls; the goal is that affinity
keeps >= 90% of the single replica's cache hits.

    .venv/bin/python bench/llm_routing.py [--together] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.processes import ServerProcess, free_port  # noqa: E402
from okla.chatbot.inventory.demo import DEMO_DEALERS  # noqa: E402
from okla.chatbot.inventory.domain import VehicleCard, VehicleFacts  # noqa: E402
from okla.chatbot.llm.router import ReplicaRouter  # noqa: E402
from okla.chatbot.reply.prompt import Turn, build_messages, persona  # noqa: E402
from okla.chatbot.reply.templates import vehicle_line  # noqa: E402
from okla.chatbot.settings import ChatbotSettings  # noqa: E402
from okla.llm_server.model_file import bundled_model_path  # noqa: E402

CONVERSATIONS = 8
TURNS = 10
QUESTIONS = (
    "Hola, ¿qué yipetas tienen?",
    "¿Y en diésel?",
    "¿Cuál es la más barata?",
    "¿La segunda es 4x4?",
    "¿Tienen alguna del 2020 pa' arriba?",
    "¿Cuánto cuesta la Hilux?",
    "¿Y carros pequeños, tipo sedán?",
    "¿Hay alguna automática que no pase de 2 palos?",
    "¿Cuál me recomiendas para la familia?",
    "¿Y de esas cuál gasta menos?",
)
HISTORY_BUDGET = 700  # ChatbotSettings.history_token_budget's default


@dataclass
class Pass:
    """One run of the conversations against one set of replicas."""

    name: str
    replicas: int
    affinity: bool
    hit_tokens: float = 0.0
    prompt_tokens: float = 0.0
    ttft_turn10: list[float] = field(default_factory=list)
    ttft_turn1: list[float] = field(default_factory=list)
    routes: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def hit_share(self) -> float:
        return self.hit_tokens / self.prompt_tokens if self.prompt_tokens else 0.0


def cards() -> list[VehicleCard]:
    """Return the demo dealer's vehicles as the chatbot's cards."""
    names = [f.name for f in dataclasses.fields(VehicleFacts)]
    _, records = DEMO_DEALERS[0]
    return [VehicleCard(**{n: getattr(r, n) for n in names}, id=r.stock_number) for r in records]


def conversation(index: int, stock: Sequence[VehicleCard]) -> list[tuple[str, list[VehicleCard]]]:
    """Return one customer's turns: a question and the vehicles found for it."""
    rng = random.Random(index)
    questions = list(QUESTIONS)
    rng.shuffle(questions)
    return [(q, rng.sample(list(stock), 3)) for q in questions[:TURNS]]


def reply_for(found: Sequence[VehicleCard]) -> str:
    """Return the answer the history holds (the stock's answer, as the templates write it)."""
    lines = "\n".join(f"{i}. {vehicle_line(card)}" for i, card in enumerate(found, 1))
    return f"Tengo estas opciones para ti:\n{lines}\n¿Cuál te interesa?"


def server(model: Path, log_dir: Path) -> ServerProcess:
    port = free_port()
    env = {
        **os.environ,
        "MODEL_PATH": str(model),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "N_THREADS": "1",
        # Room for all 8 conversations in every replica: what differs is only where they go.
        "N_PARALLEL": "8",
        "N_CTX": "2048",
        "MAX_QUEUE": "64",
    }
    command = [sys.executable, "-m", "okla", "llm", "serve", "--log-level", "warning"]
    return ServerProcess.launch(command, env, log_dir / f"llm-{port}.log", port)


def counter(text: str, name: str) -> float:
    found = re.search(rf"^{name} ([0-9.e+]+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def start(spec: Pass, model: Path, log_dir: Path) -> list[ServerProcess]:
    """Start a pass's replicas (cold caches) and wait until each has loaded the model."""
    servers = [server(model, log_dir) for _ in range(spec.replicas)]
    for running in servers:
        running.wait_ready(timeout=600)
    return servers


async def drive(spec: Pass, servers: Sequence[ServerProcess], args: argparse.Namespace) -> None:
    """Hold the conversations through the chatbot's router; read the servers' counters."""
    settings = ChatbotSettings(
        llm_base_url=",".join(f"{s.url}/v1" for s in servers),
        llm_timeout_seconds=1800,
        llm_first_token_seconds=1800,
    )
    router = ReplicaRouter.from_settings(settings)
    stock = cards()
    system = persona("Ana", "Auto Dominicana Premium", "Santo Domingo", "es")
    began = time.perf_counter()

    async def customer(index: int) -> None:
        # The same customers, questions and pauses in every pass.
        session = str(uuid.UUID(int=random.Random(args.seed * 100 + index).getrandbits(128)))
        think = random.Random(args.seed * 1000 + index)
        history: list[Turn] = []
        for turn, (question, found) in enumerate(conversation(index, stock)[: args.turns], 1):
            await asyncio.sleep(think.uniform(0.0, 0.6))  # customers type at their pace
            messages = build_messages(system, history, question, found, HISTORY_BUDGET)
            asked = time.perf_counter()
            first: float | None = None
            async for _ in router.stream(
                messages,
                max_tokens=args.max_tokens,
                temperature=0.0,
                affinity=session if spec.affinity else None,
            ):
                first = first or time.perf_counter() - asked
            if first is not None and turn == args.turns:
                spec.ttft_turn10.append(first)
            if first is not None and turn == 1:
                spec.ttft_turn1.append(first)
            history += [Turn("user", question), Turn("assistant", reply_for(found))]

    try:
        await asyncio.gather(*(customer(i) for i in range(args.conversations)))
    finally:
        await router.close()
    spec.seconds = time.perf_counter() - began
    async with httpx.AsyncClient(timeout=60) as client:
        for running in servers:
            text = (await client.get(f"{running.url}/metrics")).text
            spec.hit_tokens += counter(text, "okla_llm_prompt_cache_hit_tokens_total")
            spec.prompt_tokens += counter(text, "okla_llm_prompt_tokens_total")
    for family in router.metrics.routed.collect():
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.value:
                route = sample.labels["route"]
                spec.routes[route] = spec.routes.get(route, 0) + sample.value
    print(f"{spec.name}: done in {spec.seconds:.0f} s", flush=True)


def run(passes: Sequence[Pass], model: Path, log_dir: Path, args: argparse.Namespace) -> None:
    """Run the passes one after the other, or all at once (`--together`)."""
    if not args.together:
        for spec in passes:
            servers = start(spec, model, log_dir)
            try:
                asyncio.run(drive(spec, servers, args))
            finally:
                for running in servers:
                    running.stop()
        return
    fleets: list[list[ServerProcess]] = []
    try:
        for spec in passes:
            fleets.append(start(spec, model, log_dir))

        async def everything() -> None:
            await asyncio.gather(
                *(drive(spec, servers, args) for spec, servers in zip(passes, fleets, strict=True))
            )

        asyncio.run(everything())
    finally:
        for servers in fleets:
            for running in servers:
                running.stop()


def report(passes: Sequence[Pass], args: argparse.Namespace) -> str:
    single = passes[0]
    lines = [
        f"{args.conversations} conversations of {args.turns} turns, interleaved (each customer "
        "waits 0-0.6 s between turns), prompts built as the chatbot builds them (persona, history "
        f"cut to {HISTORY_BUDGET} tokens, 3 vehicles of the demo stock last); replies "
        f"{args.max_tokens} tokens at temperature 0. Each replica: `okla llm serve`, bundled "
        "SmolLM2-135M, N_THREADS=1, N_PARALLEL=8; every pass on freshly started servers. "
        "Cache-hit and prompt tokens are the servers' own counters. "
        + (
            "The three passes ran at the same time (`--together`), each on its own servers."
            if args.together
            else "The passes ran one after the other."
        ),
        "",
        "| pass | replicas | prompt tokens | cache-hit tokens | hit share | vs single "
        f"| TTFT turn 1 p50 | TTFT turn {args.turns} p50 | routes | wall |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for spec in passes:
        vs = spec.hit_tokens / single.hit_tokens if single.hit_tokens else 0.0
        routes = ", ".join(f"{k} {int(v)}" for k, v in sorted(spec.routes.items()))
        lines.append(
            f"| {spec.name} | {spec.replicas} | {int(spec.prompt_tokens)} "
            f"| {int(spec.hit_tokens)} | {spec.hit_share:.0%} | {vs:.0%} "
            f"| {statistics.median(spec.ttft_turn1) * 1000:.0f} ms "
            f"| {statistics.median(spec.ttft_turn10) * 1000:.0f} ms | {routes} "
            f"| {spec.seconds:.0f} s |"
        )
    affinity = next(p for p in passes if p.name == "affinity")
    ratio = affinity.hit_tokens / single.hit_tokens if single.hit_tokens else 0.0
    verdict = "met" if ratio >= 0.9 else "NOT met"
    lines += [
        "",
        f"Affinity keeps {ratio:.0%} of the cache hits a single replica gets "
        f"(goal >= 90%: {verdict}).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-tokens", type=int, default=16)
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS)
    parser.add_argument("--turns", type=int, default=TURNS, choices=range(1, TURNS + 1))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--note", default="", help="a line about the machine's load")
    parser.add_argument(
        "--together",
        action="store_true",
        help="run the three passes at once (each on its own servers): quicker on a busy "
        "machine, and every pass under the same load",
    )
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    model = bundled_model_path()
    passes = [
        Pass("single", replicas=1, affinity=True),
        Pass("affinity", replicas=2, affinity=True),
        Pass("round-robin", replicas=2, affinity=False),
    ]
    with tempfile.TemporaryDirectory(prefix="okla-routing-") as logs:
        run(passes, model, Path(logs), args)
    body = report(passes, args)
    if args.note:
        body += f"\n\n{args.note}"
    print(body)
    if args.write:
        record(
            REPO / "docs" / "benchmarks.md",
            "llm-routing",
            "LLM replicas: conversation affinity against round-robin (bench/llm_routing.py)",
            body,
        )


if __name__ == "__main__":
    main()

"""Where the LLM server's memory goes, per slot count: Python, the model, KV streams, buffers.

For each N_PARALLEL, a child process measures its resident memory after starting Python and
importing the server (FastAPI, pydantic, llama-cpp-python...), then loads the engine exactly as
`okla llm serve` does and reads llama.cpp's own account of its buffers from its log: the KV
cache (N_PARALLEL streams of N_CTX cells), the output (logits) buffer, the compute buffer and
the model's mapped weights.

    .venv/bin/python bench/memory_accounting.py [--slots 1,8,16] [--n-ctx 2048]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 2**20


def _child(n_parallel: int, n_ctx: int, kv: str, n_batch: int) -> dict[str, float]:
    import asyncio
    from collections import deque

    import psutil

    sys.path.insert(0, str(REPO / "src"))
    process = psutil.Process()
    bare = process.memory_info().rss
    import okla.llm_server.app  # noqa: F401  (everything the server imports)
    from okla.llm_server.engine import _LOG_TAP, LlamaEngine
    from okla.llm_server.settings import LlmServerSettings

    imported = process.memory_info().rss
    _LOG_TAP.lines = deque(maxlen=100_000)  # the whole load's log, not only its last lines
    settings = LlmServerSettings.model_validate(
        {"n_parallel": n_parallel, "n_ctx": n_ctx, "kv_cache_type": kv, "n_batch": n_batch}
    )

    async def load() -> float:
        engine = LlamaEngine(settings)
        await engine.load()
        assert engine.ready, engine.load_error
        loaded = float(process.memory_info().rss)
        await engine.close()
        return loaded

    loaded = asyncio.run(load())
    text = "\n".join(line for _, line in _LOG_TAP.lines)

    def mib(pattern: str) -> float:
        return sum(float(m) for m in re.findall(pattern, text))

    return {
        "n_parallel": n_parallel,
        "python_mib": bare / MIB,
        "imports_mib": (imported - bare) / MIB,
        "kv_mib": mib(r"llama_kv_cache: size = +([0-9.]+) MiB"),
        "output_mib": mib(r"CPU +output buffer size = +([0-9.]+) MiB"),
        "compute_mib": mib(r"CPU compute buffer size = +([0-9.]+) MiB"),
        "model_mib": mib(r"CPU_Mapped model buffer size = +([0-9.]+) MiB"),
        "loaded_mib": loaded / MIB,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", default="1,8,16")
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--kv", default="bf16")
    parser.add_argument(
        "--n-batch", type=int, default=512, help="N_BATCH (sizes the compute buffer)"
    )
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.n_ctx, args.kv, args.n_batch)))
        return
    rows = []
    for n in (int(x) for x in args.slots.split(",")):
        command = [sys.executable, __file__, "--child", str(n), "--n-ctx", str(args.n_ctx),
                   "--kv", args.kv, "--n-batch", str(args.n_batch)]  # fmt: skip
        out = subprocess.run(
            command, check=True, capture_output=True, text=True, env={**os.environ}
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    lines = [
        f"N_CTX={args.n_ctx}, N_BATCH={args.n_batch}, KV cache {args.kv}, "
        f"{time.strftime('%Y-%m-%d')}. MiB: Python and its imports as resident; llama.cpp's "
        "buffers as allocated (its log), which become resident as they are used; the resident "
        "total once the model is loaded.",
        "",
        "| N_PARALLEL | Python | imports | model (mapped) | KV cache | output (logits) | "
        "compute | resident after loading |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_parallel']} | {r['python_mib']:.0f} | {r['imports_mib']:.0f} | "
            f"{r['model_mib']:.0f} | {r['kv_mib']:.0f} | {r['output_mib']:.1f} | "
            f"{r['compute_mib']:.0f} | {r['loaded_mib']:.0f} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.write:
        sys.path.insert(0, str(REPO))
        from bench._docs import record

        record(REPO / "docs" / "benchmarks.md", "memory", "LLM server memory", text)


if __name__ == "__main__":
    main()

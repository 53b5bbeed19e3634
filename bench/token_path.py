"""Where a single stream's time per token goes: llama.cpp, the scheduler, the HTTP stream.

The same greedy reply (a story, end of sequence forbidden, --tokens long, speculation off) is
timed three ways, taking turns, one at a time:

- llama.cpp alone: llama-cpp-python's low-level API, one token a step, the same context set-up
  and sampler chain as okla's (`native.Sampler`, `native.Batch`): the floor;
- okla's engine in this process: the scheduler thread (sampling, detokenizing, stop strings,
  handing events to the event loop), the events read straight from the job, no HTTP;
- `okla llm serve`: the engine plus FastAPI/uvicorn, the OpenAI chunk and SSE framing, and the
  event loop sharing the machine's cores with llama.cpp's threads.

Prints milliseconds per token of each (median time between the first and the last token over
the runs) and the differences, which is what each layer adds per token. The engine and the
server run with N_PARALLEL=1 and SPECULATION=off, so nothing else changes between the three.

    .venv/bin/python bench/token_path.py [--tokens 256] [--reps 5] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.batching_bench import eos_token, first_messages, okla_server, stream_reply  # noqa: E402
from okla.llm_server.engine import LlamaEngine  # noqa: E402
from okla.llm_server.jobs import FinishEvent, SamplingParams, TextEvent  # noqa: E402
from okla.llm_server.model_file import bundled_model_path  # noqa: E402
from okla.llm_server.native import KV_CACHE_TYPES, Batch, Sampler  # noqa: E402
from okla.llm_server.settings import LlmServerSettings  # noqa: E402


def raw_seconds_per_token(engine: LlamaEngine, prompt: list[int], params: SamplingParams) -> float:
    """Decode the reply with the low-level API alone; return seconds per token."""
    import llama_cpp
    from llama_cpp import _internals

    s = engine.settings
    model = _internals.LlamaModel(
        path_model=str(bundled_model_path()),
        params=llama_cpp.llama_model_default_params(),
        verbose=False,
    )
    ctx_params = llama_cpp.llama_context_default_params()
    ctx_params.n_ctx = s.n_ctx
    ctx_params.n_batch = ctx_params.n_ubatch = s.n_batch
    ctx_params.n_seq_max = 1
    ctx_params.n_threads = ctx_params.n_threads_batch = s.n_threads
    ctx_params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
    ctx_params.type_k = ctx_params.type_v = KV_CACHE_TYPES[s.kv_cache_type]
    ctx_params.no_perf = True
    context = _internals.LlamaContext(model=model, params=ctx_params, verbose=False)
    batch, sampler = Batch(s.n_batch), Sampler(params, model.n_vocab())
    try:
        batch.clear()
        for pos, token in enumerate(prompt):
            batch.add(token, pos, 0, pos == len(prompt) - 1)
        assert batch.decode(context.ctx) == 0
        index, pos = batch.n_tokens - 1, len(prompt)
        first = 0.0
        for _ in range(params.max_tokens):
            token = sampler.sample(context.ctx, index)
            first = first or time.perf_counter()
            batch.clear()
            batch.add(token, pos, 0, True)
            pos, index = pos + 1, 0
            assert batch.decode(context.ctx) == 0
        return (time.perf_counter() - first) / (params.max_tokens - 1)
    finally:
        sampler.close()
        batch.close()
        context.close()
        model.close()


async def engine_seconds_per_token(
    engine: LlamaEngine, prompt: list[int], params: SamplingParams
) -> float:
    """Generate through okla's engine, no HTTP; return seconds per token."""
    job = engine.submit(prompt, params)
    first = last = 0.0
    tokens = 0
    async for event in job.events():
        if isinstance(event, TextEvent):
            last = time.perf_counter()
            first = first or last
            tokens += 1
        elif isinstance(event, FinishEvent):
            break
    return (last - first) / (tokens - 1)


def _child(layer: str, tokens: int, threads: int, eos: int) -> float:
    """Measure one layer in this process; return seconds per token."""
    # A process of its own: two llama.cpp contexts in one process slowed each other down
    # (measured: 37 ms a token against 13 ms alone), their thread pools competing.
    settings = LlmServerSettings.model_validate(
        {"n_parallel": 1, "n_threads": threads, "speculation": "off", "max_queue": 1}
    )
    params = SamplingParams(max_tokens=tokens, temperature=0.0, logit_bias=((eos, -100.0),))

    async def run() -> float:
        engine = LlamaEngine(settings)
        await engine.load()
        assert engine.ready, engine.load_error
        try:
            prompt = engine.tokenize_chat(first_messages(0))
            if layer == "engine":
                await engine_seconds_per_token(engine, prompt, params)  # warm-up
                return await engine_seconds_per_token(engine, prompt, params)
        finally:
            await engine.close()
        return raw_seconds_per_token(engine, prompt, params)

    return asyncio.run(run())


def measure(layer: str, tokens: int, threads: int, eos: int) -> float:
    """Run one layer's measurement in a child process; return seconds per token."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", layer, "--tokens",
               str(tokens), "--threads", str(threads), "--eos", str(eos)]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument("--child", choices=["raw", "engine"], help=argparse.SUPPRESS)
    parser.add_argument("--eos", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(_child(args.child, args.tokens, args.threads, args.eos))
        return
    model = bundled_model_path()
    log_dir = Path(os.environ.get("BENCH_LOG_DIR", "/tmp/okla-bench"))
    log_dir.mkdir(parents=True, exist_ok=True)
    server = okla_server(model, args.threads, 1, 2048, args.tokens)
    server.env["SPECULATION"] = "off"
    times: dict[str, list[float]] = {"raw": [], "engine": [], "http": []}
    layers = list(times)

    async def run() -> None:
        server.start(log_dir)
        try:
            server.wait_ready()
            eos = eos_token(server)
            messages = first_messages(0)
            async with httpx.AsyncClient(timeout=600) as client:
                await stream_reply(client, server, messages, 8, eos)  # warm-up
                for rep in range(args.reps):
                    for layer in layers[rep % 3 :] + layers[: rep % 3]:
                        if layer == "http":
                            reply = await stream_reply(client, server, messages, args.tokens, eos)
                            spent = 1 / reply.tokens_per_second
                        else:
                            # The server idles meanwhile: its threads sleep, as in production.
                            spent = await asyncio.to_thread(
                                measure, layer, args.tokens, args.threads, eos
                            )
                        times[layer].append(spent)
                    print(
                        f"rep {rep + 1}: "
                        + ", ".join(f"{k} {v[-1] * 1000:.2f} ms" for k, v in times.items()),
                        flush=True,
                    )
        finally:
            server.stop()

    asyncio.run(run())
    ms = {layer: statistics.median(v) * 1000 for layer, v in times.items()}
    lines = [
        f"Model {model.name}, {args.threads} threads, N_PARALLEL=1, SPECULATION=off, greedy, "
        f"{args.tokens} tokens per reply (end of sequence forbidden), {args.reps} runs each, "
        f"{platform.machine()} with {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}.",
        "",
        "| path | ms per token (median) | adds | tokens/s |",
        "|---|---:|---:|---:|",
        f"| llama.cpp alone (low-level API, okla's sampler chain) | {ms['raw']:.2f} | | "
        f"{1000 / ms['raw']:.1f} |",
        f"| okla's engine in-process (scheduler thread, events) | {ms['engine']:.2f} | "
        f"{ms['engine'] - ms['raw']:+.2f} | {1000 / ms['engine']:.1f} |",
        f"| `okla llm serve` over HTTP (SSE) | {ms['http']:.2f} | "
        f"{ms['http'] - ms['engine']:+.2f} | {1000 / ms['http']:.1f} |",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        record(REPO / "docs" / "benchmarks.md", "token_path",
               "LLM server: where a token's time goes", text)  # fmt: skip


if __name__ == "__main__":
    main()

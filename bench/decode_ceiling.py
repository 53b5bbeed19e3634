"""The decode ceiling: raw batched greedy decoding with llama-cpp-python's low-level API.

One context, the bundled model, no server, no HTTP, no Python beyond filling the batch and a
greedy sampler per sequence: what the machine's llama.cpp can do, for the batching benchmark
to compare a server's aggregate with. The context is set up as okla's (flash attention, one KV
stream of N_CTX cells per sequence, the same KV element type). Runs in a child process so its
memory and threads are gone before the servers are measured.

    .venv/bin/python bench/decode_ceiling.py --sequences 8,16 [--tokens 128]   (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SYSTEM = "You are a helpful assistant for a car dealer in Santo Domingo."
TOPICS = ["a dragon who learns to sail", "a lighthouse keeper", "a lost robot", "a night market"]


@dataclass(frozen=True)
class Ceiling:
    """Raw batched decoding of n sequences: generation alone, and with the prompts."""

    sequences: int
    decode_tokens_per_second: float
    end_to_end_tokens_per_second: float


def measure(
    sequences: Sequence[int], tokens: int, threads: int, n_ctx: int, kv: str
) -> list[Ceiling]:
    """Run the measurement in a child process; return one result per sequence count."""
    command = [sys.executable, str(Path(__file__).resolve()), "--sequences",
               ",".join(map(str, sequences)), "--tokens", str(tokens), "--threads",
               str(threads), "--n-ctx", str(n_ctx), "--kv", kv]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [Ceiling(**row) for row in json.loads(out.strip().splitlines()[-1])]


def _run(n_seq: int, tokens: int, threads: int, n_ctx: int, kv: str) -> Ceiling:
    sys.path.insert(0, str(REPO / "src"))
    import llama_cpp
    from llama_cpp import _internals

    from okla.llm_server.model_file import bundled_model_path
    from okla.llm_server.native import KV_CACHE_TYPES

    model = _internals.LlamaModel(
        path_model=str(bundled_model_path()),
        params=llama_cpp.llama_model_default_params(),
        verbose=False,
    )
    params = llama_cpp.llama_context_default_params()
    params.n_ctx = n_ctx * n_seq
    params.n_batch = params.n_ubatch = 512
    params.n_seq_max = n_seq
    params.n_threads = params.n_threads_batch = threads
    params.kv_unified = False
    params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
    params.type_k = params.type_v = KV_CACHE_TYPES[kv]
    params.no_perf = True
    context = _internals.LlamaContext(model=model, params=params, verbose=False)
    ctx = context.ctx
    eos = model.token_eos()
    prompts = [
        model.tokenize(
            (
                f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\nWrite a story "
                f"about {TOPICS[i % len(TOPICS)]}.<|im_end|>\n<|im_start|>assistant\n"
            ).encode(),
            add_bos=False,
            special=True,
        )
        for i in range(n_seq)
    ]
    samplers = []
    for _ in range(n_seq):
        chain = _internals.LlamaSampler()
        chain.add_logit_bias(model.n_vocab(), {eos: float("-inf")})  # every reply runs to length
        chain.add_greedy()
        samplers.append(chain)
    batch = llama_cpp.llama_batch_init(512, 0, 1)

    def add(i: int, token: int, pos: int, seq: int, logits: bool) -> None:
        batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, pos, 1
        batch.seq_id[i][0], batch.logits[i] = seq, logits

    try:
        start = time.perf_counter()
        sample = llama_cpp.llama_sampler_sample
        last = []
        # One sequence's prompt per decode: the batch holds 512 tokens, 16 prompts don't fit.
        for seq, prompt in enumerate(prompts):
            for pos, token in enumerate(prompt):
                add(pos, token, pos, seq, pos == len(prompt) - 1)
            batch.n_tokens = len(prompt)
            assert llama_cpp.llama_decode(ctx, batch) == 0
            last.append(sample(samplers[seq].sampler, ctx, len(prompt) - 1))
        positions = [len(p) for p in prompts]
        decoding = time.perf_counter()
        for _ in range(tokens - 1):
            for seq in range(n_seq):
                add(seq, last[seq], positions[seq], seq, True)
                positions[seq] += 1
            batch.n_tokens = n_seq
            assert llama_cpp.llama_decode(ctx, batch) == 0
            last = [sample(s.sampler, ctx, i) for i, s in enumerate(samplers)]
        end = time.perf_counter()
    finally:
        llama_cpp.llama_batch_free(batch)
        for chain in samplers:
            chain.close()
        context.close()
        model.close()
    return Ceiling(
        n_seq,
        round(n_seq * (tokens - 1) / (end - decoding), 1),
        round(n_seq * tokens / (end - start), 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", default="8,16")
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-ctx", type=int, default=2048, help="KV cells per sequence")
    parser.add_argument("--kv", default="bf16")
    args = parser.parse_args()
    rows = [
        _run(int(n), args.tokens, args.threads, args.n_ctx, args.kv).__dict__
        for n in args.sequences.split(",")
    ]
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

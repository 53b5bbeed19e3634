"""What prompt-lookup speculation can gain at best on this machine, from real replies and costs.

In one process, with llama-cpp-python's low-level API and the bundled model:

1. measures what a decode step of one sequence costs with 1 to 17 tokens, each with its logits
   (the step that checks a draft of k tokens decodes k + 1), at the context length of the
   chatbot's prompts;
2. generates the greedy replies to the chatbot's prompts and to stories, one token a step;
3. replays each reply with okla's drafter (`NgramDrafter`), step by step as the scheduler
   would: a draft is kept up to its first token that differs from the reply, and the step
   costs what step 1 measured for its size. Three rules for how much to draft: every guess
   whole (SPECULATION_TOKEN_COST=0), okla's (`draft_length`, learning acceptance as it goes,
   the cost share from step 1), and an oracle that knows how much of each guess will be kept.

Prints the speed-up of each rule over one token a step. Greedy replies don't depend on
speculation, so the replay is exact; the oracle is the ceiling of any prompt-lookup drafter
that proposes what this one proposes.

    .venv/bin/python bench/speculation_bound.py [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.chat_prompts import chatbot_messages, story_messages  # noqa: E402
from okla.llm_server.engine import LlamaEngine  # noqa: E402
from okla.llm_server.model_file import bundled_model_path  # noqa: E402
from okla.llm_server.native import KV_CACHE_TYPES, Batch  # noqa: E402
from okla.llm_server.settings import LlmServerSettings  # noqa: E402
from okla.llm_server.speculation import (  # noqa: E402
    Acceptance,
    Guess,
    NgramDrafter,
    SpeculationConfig,
    draft_length,
)

LONGEST = 17  # one token and a draft of up to 16


def prompts() -> dict[str, list[list[int]]]:
    """Return the chat-templated prompt tokens of each kind, as the server builds them."""

    async def build() -> dict[str, list[list[int]]]:
        engine = LlamaEngine(LlmServerSettings.model_validate({"n_parallel": 1}))
        await engine.load()
        assert engine.ready, engine.load_error
        try:
            return {
                "copy": [engine.tokenize_chat(chatbot_messages(i)) for i in range(8)],
                "none": [engine.tokenize_chat(story_messages(i)) for i in range(4)],
            }
        finally:
            await engine.close()

    return asyncio.run(build())


class Model:
    """The bundled model in one context set up as okla's (bf16 KV, flash attention)."""

    def __init__(self, threads: int, n_ctx: int) -> None:
        import llama_cpp
        from llama_cpp import _internals

        self.llama_cpp = llama_cpp
        self.model = _internals.LlamaModel(
            path_model=str(bundled_model_path()),
            params=llama_cpp.llama_model_default_params(),
            verbose=False,
        )
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = n_ctx
        params.n_batch = params.n_ubatch = 512
        params.n_seq_max = 1
        params.n_threads = params.n_threads_batch = threads
        params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
        params.type_k = params.type_v = KV_CACHE_TYPES["bf16"]
        params.no_perf = True
        self.context = _internals.LlamaContext(model=self.model, params=params, verbose=False)
        self.ctx = self.context.ctx
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        self.vocab = llama_cpp.llama_model_get_vocab(self.model.model)
        self.batch = Batch(512)

    def prefill(self, prompt: list[int]) -> None:
        self.llama_cpp.llama_memory_seq_rm(self.memory, 0, -1, -1)
        for start in range(0, len(prompt), 512):
            self.batch.clear()
            for pos in range(start, min(len(prompt), start + 512)):
                self.batch.add(prompt[pos], pos, 0, pos == len(prompt) - 1)
            assert self.batch.decode(self.ctx) == 0

    def step_costs(self, prompt: list[int], reps: int) -> list[float]:
        """Return the median seconds of a step of 1..LONGEST tokens, all with logits."""
        self.prefill(prompt)
        n = len(prompt)
        costs = []
        for k in range(1, LONGEST + 1):
            times = []
            for _ in range(reps):
                self.batch.clear()
                for j in range(k):
                    self.batch.add(prompt[j % n], n + j, 0, True)
                started = time.perf_counter()
                assert self.batch.decode(self.ctx) == 0
                times.append(time.perf_counter() - started)
                self.llama_cpp.llama_memory_seq_rm(self.memory, 0, n, -1)
            costs.append(statistics.median(times))
        return costs

    def greedy(self, prompt: list[int], max_tokens: int) -> list[int]:
        llama_cpp = self.llama_cpp
        self.prefill(prompt)
        sampler = llama_cpp.llama_sampler_init_greedy()
        reply: list[int] = []
        index, pos = self.batch.n_tokens - 1, len(prompt)
        try:
            for _ in range(max_tokens):
                token = llama_cpp.llama_sampler_sample(sampler, self.ctx, index)
                if llama_cpp.llama_vocab_is_eog(self.vocab, token):
                    break
                reply.append(token)
                self.batch.clear()
                self.batch.add(token, pos, 0, True)
                pos, index = pos + 1, 0
                assert self.batch.decode(self.ctx) == 0
        finally:
            llama_cpp.llama_sampler_free(sampler)
        return reply


Rule = Callable[[Guess, list[int], int], int]  # guess, reply, position -> tokens to draft


def replay(
    prompt: list[int], reply: list[int], costs: list[float], rule: Rule, learn: Acceptance | None
) -> tuple[float, float]:
    """Return (seconds one token a step, seconds with the rule) for one reply."""
    config = SpeculationConfig(2, 4, LONGEST - 1, LONGEST - 1)
    drafter = NgramDrafter(prompt + reply[:1], config)
    at, spent = 1, 0.0  # the first token comes from the prompt's step either way
    while at < len(reply):
        guess = drafter.guess(min(LONGEST - 1, len(reply) - at))
        length = rule(guess, reply, at) if guess is not None else 0
        draft = guess.tokens[:length] if guess is not None else []
        kept = 0
        while kept < len(draft) and draft[kept] == reply[at + kept]:
            kept += 1
        if learn is not None and guess is not None:
            # What the scheduler learns from: each checked position, or the first guessed one.
            for i in range(max(1, min(len(draft), kept + 1))):
                learn.record(guess.match + i, guess.tokens[i] == reply[at + i])
        spent += costs[len(draft)]
        for token in reply[at : at + kept + 1]:
            drafter.append(token)
        at += kept + 1
    return costs[0] * (len(reply) - 1), spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--reps", type=int, default=15, help="timings per step size")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    kinds = prompts()
    model = Model(args.threads, 2048)
    costs = model.step_costs(kinds["copy"][0], args.reps)
    share = statistics.median((costs[k] - costs[0]) / k / costs[0] for k in range(1, LONGEST))
    replies = {
        kind: [(p, model.greedy(p, args.max_tokens)) for p in ps] for kind, ps in kinds.items()
    }

    def whole(guess: Guess, reply: list[int], at: int) -> int:
        return len(guess.tokens)

    def oracle(guess: Guess, reply: list[int], at: int) -> int:
        kept = 0
        while kept < len(guess.tokens) and guess.tokens[kept] == reply[at + kept]:
            kept += 1
        return kept

    acceptance = Acceptance()

    def okla(guess: Guess, reply: list[int], at: int) -> int:
        return draft_length(guess, acceptance, share)

    rules: dict[str, tuple[Rule, Acceptance | None]] = {
        "every guess whole": (whole, None),
        "okla (draft_length)": (okla, acceptance),
        "oracle": (oracle, None),
    }
    speedups: dict[str, dict[str, float]] = {name: {} for name in rules}
    # Two passes, the learnt acceptance carried over, as a running server would have it.
    for _ in range(2):
        for name, (rule, learn) in rules.items():
            for kind, pairs in replies.items():
                plain = fast = 0.0
                for prompt, reply in pairs:
                    a, b = replay(prompt, reply, costs, rule, learn)
                    plain, fast = plain + a, fast + b
                speedups[name][kind] = plain / fast

    lines = [
        f"Model {bundled_model_path().name}, {args.threads} threads, greedy replies of at most "
        f"{args.max_tokens} tokens to the chatbot's prompts (8) and to stories (4), "
        f"{platform.machine()} with {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}.",
        "",
        "A decode step of one sequence (at "
        f"{len(kinds['copy'][0])} tokens of context), every token with its logits: "
        + ", ".join(f"{k + 1} tokens {costs[k] * 1000:.1f} ms" for k in (0, 1, 2, 4, 8, 16))
        + f"; a token more costs {share:.2f} of a one-token step (median).",
        "",
        "| drafting rule | the chatbot's prompts | stories |",
        "|---|---:|---:|",
    ]
    for name, by_kind in speedups.items():
        lines.append(f"| {name} | {by_kind['copy']:.2f}x | {by_kind['none']:.2f}x |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        record(REPO / "docs" / "benchmarks.md", "speculation_bound",
               "Speculation from the prompt: the bound", text)  # fmt: skip


if __name__ == "__main__":
    main()

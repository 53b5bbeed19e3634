"""Thin wrappers over llama.cpp's C API (through llama-cpp-python's ctypes bindings)."""

from __future__ import annotations

import ctypes
import random
from typing import Any

from okla.llm_server.jobs import SamplingParams

# ggml type ids of the KV cache types we offer (ggml.h's enum ggml_type).
KV_CACHE_TYPES = {"f32": 0, "f16": 1, "q8_0": 8, "bf16": 30}


class Batch:
    """A reusable llama_batch: tokens of several sequences decoded in one llama_decode call."""

    def __init__(self, capacity: int) -> None:
        import llama_cpp

        self._llama_cpp = llama_cpp
        self.capacity = capacity
        self._batch = llama_cpp.llama_batch_init(capacity, 0, 1)
        self.n_tokens = 0

    def clear(self) -> None:
        """Empty the batch."""
        self.n_tokens = 0

    def add(self, token: int, pos: int, seq: int, logits: bool) -> int:
        """Append one token of sequence `seq` at position `pos`; return its index in the batch."""
        i = self.n_tokens
        b = self._batch
        b.token[i] = token
        b.pos[i] = pos
        b.n_seq_id[i] = 1
        b.seq_id[i][0] = seq
        b.logits[i] = logits
        self.n_tokens = i + 1
        return i

    def decode(self, ctx: Any) -> int:
        """Run the model on the batch; return llama_decode's status (0 is success)."""
        self._batch.n_tokens = self.n_tokens
        status: int = self._llama_cpp.llama_decode(ctx, self._batch)
        return status

    def close(self) -> None:
        """Free the C batch."""
        if self._batch is not None:
            self._llama_cpp.llama_batch_free(self._batch)
            self._batch = None


class PieceReader:
    """Turn one token into its bytes (special tokens render as nothing)."""

    def __init__(self, vocab: Any) -> None:
        import llama_cpp

        self._to_piece = llama_cpp.llama_token_to_piece
        self._vocab = vocab
        self._buffer = ctypes.create_string_buffer(256)

    def __call__(self, token: int) -> bytes:
        n = self._to_piece(self._vocab, token, self._buffer, len(self._buffer), 0, False)
        if n < 0:  # the piece is longer than the buffer: grow it once and retry
            self._buffer = ctypes.create_string_buffer(-n)
            n = self._to_piece(self._vocab, token, self._buffer, len(self._buffer), 0, False)
        return self._buffer.raw[:n]


class Sampler:
    """One sequence's sampler chain: bias, penalties, then greedy or top-p with temperature."""

    def __init__(self, params: SamplingParams, n_vocab: int) -> None:
        import llama_cpp
        from llama_cpp import _internals

        self._sample_c = llama_cpp.llama_sampler_sample
        chain = _internals.LlamaSampler()
        if params.logit_bias:
            chain.add_logit_bias(n_vocab, dict(params.logit_bias))
        if params.presence_penalty or params.frequency_penalty:
            chain.add_penalties(
                n_vocab=n_vocab,
                penalty_last_n=64,
                penalty_repeat=1.0,
                penalty_freq=params.frequency_penalty,
                penalty_present=params.presence_penalty,
            )
        if params.temperature == 0.0:
            chain.add_greedy()
        else:
            seed = params.seed if params.seed is not None else random.getrandbits(32)
            chain.add_top_p(params.top_p, 1)
            chain.add_temp(params.temperature)
            chain.add_dist(seed)
        self._chain = chain

    def sample(self, ctx: Any, index: int) -> int:
        """Sample from the logits of batch entry `index` (and record the token in the chain)."""
        token: int = self._sample_c(self._chain.sampler, ctx, index)
        return token

    def close(self) -> None:
        """Free the C sampler chain."""
        self._chain.close()

"""Thin wrappers over llama.cpp's C API (through llama-cpp-python's ctypes bindings)."""

from __future__ import annotations

import ctypes
import mmap
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


class SequenceMemory:
    """Trim, copy and swap sequences' KV memory (separate streams, through host memory).

    llama.cpp copies a stream into another only whole and only at the next decode, and has no
    swap: swapping two streams that way needs a third, spare one, N_CTX cells of KV memory held
    for nothing most of the time. Going through host memory costs a copy of the cells in use
    (about 23 KB a token for the bundled model), done at once, in memory handed back to the
    system right after.
    """

    def __init__(self, ctx: Any) -> None:
        import llama_cpp

        self._llama_cpp = llama_cpp
        self._ctx = ctx
        self._memory = llama_cpp.llama_get_memory(ctx)

    def copy(self, source: int, target: int) -> None:
        """Make `target` hold what `source` holds (`source` keeps it)."""
        with self._read(source) as state:
            self._write(state, target)

    def move(self, source: int, target: int) -> None:
        """Move `source`'s memory to `target`, leaving `source` empty."""
        self.copy(source, target)
        self.forget(source)

    def swap(self, a: int, b: int) -> None:
        """Exchange the memories of two sequences."""
        with self._read(a) as state_a, self._read(b) as state_b:
            self._write(state_a, b)
            self._write(state_b, a)

    def forget(self, seq: int) -> None:
        """Empty a sequence's memory."""
        self._llama_cpp.llama_memory_seq_rm(self._memory, seq, -1, -1)

    def trim(self, seq: int, start: int) -> bool:
        """Drop a sequence's memory from position `start` on; False if llama.cpp can't."""
        return bool(self._llama_cpp.llama_memory_seq_rm(self._memory, seq, start, -1))

    def _read(self, seq: int) -> mmap.mmap:
        llama_cpp = self._llama_cpp
        size = llama_cpp.llama_state_seq_get_size(self._ctx, seq)
        # An anonymous map, unmapped once used: a malloc'd buffer this large might be kept
        # by the allocator and stay resident, which is what doing without the spare saves.
        area = mmap.mmap(-1, size)
        if llama_cpp.llama_state_seq_get_data(self._ctx, _pointer(area), size, seq) != size:
            area.close()
            raise RuntimeError(f"llama.cpp could not read sequence {seq}'s memory")
        return area

    def _write(self, state: mmap.mmap, seq: int) -> None:
        self.forget(seq)
        if not self._llama_cpp.llama_state_seq_set_data(
            self._ctx, _pointer(state), len(state), seq
        ):
            raise RuntimeError(f"llama.cpp could not write sequence {seq}'s memory")


def _pointer(area: mmap.mmap) -> Any:
    """Return a ctypes view of a map, for one call (the map can't close while a view lives)."""
    return (ctypes.c_uint8 * len(area)).from_buffer(area)

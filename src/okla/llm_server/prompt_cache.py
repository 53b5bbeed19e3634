"""Which slot a new request decodes in: the one whose cached tokens it shares most with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """Return the length of the longest common prefix of two token lists."""
    n = min(len(a), len(b))
    i = 0
    # Comparing slices runs in C; a conversation's prompt is mostly a shared prefix.
    step = 256
    while i + step <= n and a[i : i + step] == b[i : i + step]:
        i += step
    while i < n and a[i] == b[i]:
        i += 1
    return i


# Copying a KV stream costs a memory copy of the whole slot; below this many shared tokens,
# decoding them again is as cheap.
MIN_COPY_TOKENS = 16


@dataclass(frozen=True)
class CachedSlot:
    """A slot as the cache sees it: its tokens in KV memory, when it was last used, if idle."""

    index: int
    tokens: Sequence[int]
    last_used: int
    idle: bool = True


@dataclass(frozen=True)
class SlotChoice:
    """The slot to decode in, how many cached tokens it reuses, and where they come from.

    `copy_from` is None when the slot's own memory holds the reused prefix; otherwise the
    prefix is copied from that slot's memory first.
    """

    index: int
    reuse: int
    copy_from: int | None = None


def choose_slot(prompt: Sequence[int], slots: Sequence[CachedSlot]) -> SlotChoice:
    """Pick the slot for a new request, and the cached prefix it starts from.

    The slot sharing the longest prefix with the prompt holds this conversation when that
    prefix goes well beyond what any other slot shares (a system prompt every conversation
    starts with is not enough): the request continues there, dropping the slot's stale tail
    (the earlier reply as generated, say). Otherwise the request takes the least recently used
    idle slot, an empty one first, and copies the shared prefix into it, so that every other
    conversation keeps its cache. While empty slots remain, a conversation's slot is taken over
    only if at least half of what it holds is reused.
    """
    idle = [slot for slot in slots if slot.idle]
    if not idle:
        raise ValueError("no idle slot to choose from")
    # At least one prompt token must be decoded again to get logits to sample from.
    limit = max(0, len(prompt) - 1)
    shared_by = {slot.index: min(common_prefix(slot.tokens, prompt), limit) for slot in slots}
    # Among equal matches: an idle slot (no copy needed), then the most recently used.
    best = max(slots, key=lambda slot: (shared_by[slot.index], slot.idle, slot.last_used))
    shared = shared_by[best.index]
    runner_up = max((shared_by[s.index] for s in slots if s is not best), default=0)
    empty_left = any(not slot.tokens for slot in idle)
    if (
        best.idle
        and shared >= runner_up + MIN_COPY_TOKENS
        and (not empty_left or 2 * shared >= len(best.tokens))
    ):
        return SlotChoice(best.index, shared)
    victim = min(idle, key=lambda slot: (len(slot.tokens) > 0, slot.last_used))
    own = shared_by[victim.index]
    if own >= shared or shared < MIN_COPY_TOKENS:
        return SlotChoice(victim.index, own)
    return SlotChoice(victim.index, shared, copy_from=best.index)

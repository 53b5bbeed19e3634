"""Which slot a request decodes in: the one whose cached tokens it shares most with.

Also where running requests move so that their slots stay side by side: llama.cpp decodes a
batch over separate KV streams in one pass per run of consecutive sequence ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def choose_slot(
    prompt: Sequence[int], slots: Sequence[CachedSlot], anchor: int | None = None
) -> SlotChoice:
    """Pick the slot for a new request, and the cached prefix it starts from.

    `anchor` is where the prompt's first customer message ends: a slot whose tokens reach it
    holds this very conversation (a follow-up turn), and the request continues there, dropping
    the slot's stale tail (the earlier reply as generated, say). A prefix short of it, such as
    the system prompt every conversation starts with, is copied instead into the least
    recently used idle slot, an empty one first, so every other conversation keeps its cache.
    Without an anchor, a slot counts as this conversation's only if the prompt extends all it
    holds.
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
    own_conversation = min(limit, len(best.tokens) if anchor is None else anchor)
    if best.idle and shared > 0 and shared >= own_conversation:
        return SlotChoice(best.index, shared)
    busy = [slot.index for slot in slots if not slot.idle]
    # An empty slot first, then the least recently used; among empty ones, one next to the
    # running requests, so no slot needs to move to close a gap.
    victim = min(
        idle,
        key=lambda slot: (
            (True, slot.last_used) if slot.tokens else (False, runs([*busy, slot.index]))
        ),
    )
    own = shared_by[victim.index]
    if own >= shared or shared < MIN_COPY_TOKENS:
        return SlotChoice(victim.index, own)
    return SlotChoice(victim.index, shared, copy_from=best.index)


def runs(indices: Iterable[int]) -> int:
    """Return how many runs of consecutive numbers `indices` form ({0, 1, 3} makes 2)."""
    ordered = sorted(set(indices))
    return sum(1 for i, n in enumerate(ordered) if i == 0 or n != ordered[i - 1] + 1)


def plan_compaction(slots: Sequence[CachedSlot]) -> list[tuple[int, int]]:
    """Return the moves (busy slot, idle slot) that put every busy slot side by side.

    The fewest moves win; among as few, the window whose idle slots hold the fewest cached
    tokens (a move swaps the two slots' memories, and an empty one copies for free), then the
    lowest. The busy slots outside the window pair with the idle slots inside, in order.
    """
    busy = [slot.index for slot in slots if not slot.idle]
    if runs(busy) <= 1:
        return []
    by_index = {slot.index: slot for slot in slots}
    order = sorted(by_index)
    width = len(busy)

    def cost(start: int) -> tuple[int, int, int]:
        window = order[start : start + width]
        outside = sum(1 for index in busy if index not in window)
        held = sum(len(by_index[i].tokens) for i in window if by_index[i].idle)
        return outside, held, start

    start = min(range(len(order) - width + 1), key=cost)
    window = order[start : start + width]
    sources = [index for index in busy if index not in window]
    targets = [index for index in window if by_index[index].idle]
    return list(zip(sources, targets, strict=True))

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

    The slot sharing the longest prefix with the prompt is this conversation's own when that
    prefix is at least half of what the slot holds (a follow-up turn): the request continues
    there. Otherwise the shared prefix is generic, such as a system prompt other conversations
    also start with: the request takes the least recently used idle slot (an empty one first)
    and copies the prefix into it, so the other conversation keeps its cache.
    """
    idle = [slot for slot in slots if slot.idle]
    if not idle:
        raise ValueError("no idle slot to choose from")
    # At least one prompt token must be decoded again to get logits to sample from.
    limit = len(prompt) - 1
    best, shared = None, 0
    for slot in slots:
        common = min(common_prefix(slot.tokens, prompt), limit)
        # Among equals, an idle slot (no copy needed), then the most recently used.
        if best is None or (common, slot.idle, slot.last_used) > (
            shared,
            best.idle,
            best.last_used,
        ):
            best, shared = slot, common
    assert best is not None
    if best.idle and shared > 0 and 2 * shared >= len(best.tokens):
        return SlotChoice(best.index, shared)
    victim = min(idle, key=lambda slot: (len(slot.tokens) > 0, slot.last_used))
    if victim.index == best.index:
        return SlotChoice(victim.index, shared)
    if shared >= MIN_COPY_TOKENS:
        return SlotChoice(victim.index, shared, copy_from=best.index)
    return SlotChoice(victim.index, min(common_prefix(victim.tokens, prompt), limit))

"""A consistent-hash ring: each key has a home node and a fixed order of the others after it.

Nodes are placed by hashing their names (the replicas' URLs), not their positions in a list,
so every chatbot process with the same LLM_BASE_URL, in any order, agrees on a conversation's
home; adding or removing a replica moves only the conversations whose home it is.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence

# Points per node on the ring: enough that two or three nodes share keys within a few
# percent of evenly, few enough that building the ring costs nothing.
POINTS_PER_NODE = 160


def _point(text: str) -> int:
    """Place a text on the ring (64 bits of BLAKE2b: stable across processes and runs)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class HashRing:
    """Map keys to nodes; a key's order of nodes changes only when nodes come or go."""

    def __init__(self, nodes: Sequence[str], points_per_node: int = POINTS_PER_NODE) -> None:
        if not nodes:
            raise ValueError("a ring needs at least one node")
        if len(set(nodes)) < len(nodes):
            raise ValueError("the ring's nodes must be distinct")
        self.nodes = tuple(nodes)
        placed = sorted(
            (_point(f"{node}#{i}"), index)
            for index, node in enumerate(self.nodes)
            for i in range(points_per_node)
        )
        self._points = [point for point, _ in placed]
        self._owners = [index for _, index in placed]

    def order(self, key: str) -> tuple[int, ...]:
        """Return every node's index, the key's home first, then as met going round the ring."""
        start = bisect.bisect(self._points, _point(key))
        seen: dict[int, None] = {}
        for step in range(len(self._owners)):
            seen.setdefault(self._owners[(start + step) % len(self._owners)])
            if len(seen) == len(self.nodes):
                break
        return tuple(seen)

    def home(self, key: str) -> int:
        """Return the index of the key's home node."""
        return self.order(key)[0]

"""The consistent-hash ring: stable homes, an even spread, few moves when replicas change."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest

from okla.chatbot.llm.ring import HashRing

A, B, C = "http://llm-a:8000/v1", "http://llm-b:8000/v1", "http://llm-c:8000/v1"
KEYS = [str(uuid.UUID(int=i * 7919 + 1)) for i in range(3000)]


def test_a_key_has_the_same_home_in_every_ring_of_the_same_replicas() -> None:
    # Another chatbot process, its list written in another order, agrees on every home.
    one, other = HashRing([A, B, C]), HashRing([C, A, B])
    for key in KEYS[:300]:
        assert one.nodes[one.home(key)] == other.nodes[other.home(key)]
        assert one.home(key) == one.home(key)


def test_the_order_holds_every_replica_once_home_first() -> None:
    ring = HashRing([A, B, C])
    orders = {ring.order(key) for key in KEYS[:300]}
    assert all(sorted(order) == [0, 1, 2] for order in orders)
    assert len({order[0] for order in orders}) == 3
    assert all(ring.home(key) == ring.order(key)[0] for key in KEYS[:50])


@pytest.mark.parametrize("nodes", [[A, B], [A, B, C]])
def test_many_keys_spread_evenly(nodes: list[str]) -> None:
    ring = HashRing(nodes)
    homes = Counter(ring.home(key) for key in KEYS)
    share = len(KEYS) / len(nodes)
    assert set(homes) == set(range(len(nodes)))
    for count in homes.values():
        assert abs(count - share) / share < 0.12, homes


def test_adding_a_replica_moves_only_the_keys_it_takes() -> None:
    before, after = HashRing([A, B]), HashRing([A, B, C])
    moved = 0
    for key in KEYS:
        old, new = before.nodes[before.home(key)], after.nodes[after.home(key)]
        if old != new:
            moved += 1
            assert new == C, "a key moves only to the new replica"
    assert 0.2 < moved / len(KEYS) < 0.45  # about a third


def test_a_ring_needs_distinct_nodes() -> None:
    with pytest.raises(ValueError, match="at least one"):
        HashRing([])
    with pytest.raises(ValueError, match="distinct"):
        HashRing([A, A])

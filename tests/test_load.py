"""A short load run against the whole stack: no crash, no 5xx, nothing lost or duplicated."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psutil
import pytest

from bench.load_client import run, stored_user_messages
from bench.processes import Stack

pytestmark = pytest.mark.integration


def test_concurrent_customers_on_the_whole_stack(tmp_path: Path) -> None:
    # Every simulated customer comes from this one address: lift the cap on its open streams.
    stack = Stack(tmp_path, {"MAX_QUEUE": "4", "MAX_STREAMS_PER_CLIENT": "1000"})
    started = stack.okla("up")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        pids = stack.pids()
        result = asyncio.run(run(stack.gateway, stack.llm, customers=12, turns=2, seconds=90,
                                 think=0.5))  # fmt: skip
        assert result.bad == []
        assert {s for s in result.statuses if s >= 500} <= {503}
        assert result.turns >= 12
        assert result.max_llm_queue <= result.llm_queue_bound == 4
        for name, pid in pids.items():
            assert psutil.pid_exists(pid), f"{name} crashed"
        stored = stored_user_messages(stack.database)
        sent = {m for messages in result.acknowledged.values() for m in messages}
        everything = [m for messages in stored.values() for m in messages]
        assert len(everything) == len(set(everything)), "a message was stored twice"
        assert sent <= set(everything), "an acknowledged message was lost"
    finally:
        stopped = stack.okla("down")
        assert stopped.returncode == 0, stopped.stderr

"""How many model calls this process has running: a turn that finds none free doesn't queue.

The LLM server decodes N_PARALLEL requests at once and queues the rest; a customer queued
behind others waits seconds for a first token the templates could have given at once. So a
turn takes a slot only if one is free now (`try_take`), and the count matches the server's
N_PARALLEL. The count is kept here rather than read from the server's `/health`
(`slots_busy`): a poll is stale by the time a turn reads it and costs a request per interval,
an external API has no such route, and with one chatbot process in front of the LLM server
its own count is exact. Other clients of the same server are caught by its immediate 503
`queue_full`, which the client reports as busy too (`LlmBusyError`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# How often a waiting exam turn looks for a free slot: customers' turns, which never wait,
# take a slot freed in between first.
_POLL_SECONDS = 0.05


class LlmSlots:
    """Count the model calls running from this process, up to a limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0

    def try_take(self) -> bool:
        """Take a slot if one is free now; never wait."""
        if self.in_use >= self.limit:
            return False
        self.in_use += 1
        return True

    def release(self) -> None:
        """Give back a slot taken with `try_take`."""
        self.in_use = max(0, self.in_use - 1)

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold a slot for a caller that may wait (the exam): customers come first."""
        while not self.try_take():
            await asyncio.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            self.release()

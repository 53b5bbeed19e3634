"""Turn a reply's token bytes into text, holding back what could still become a stop string."""

from __future__ import annotations

import codecs
from collections.abc import Sequence


class ReplyText:
    """Decode UTF-8 incrementally and cut the reply at the first stop string."""

    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def push(self, piece: bytes) -> tuple[str, bool]:
        """Add a token's bytes; return the text safe to show and whether a stop string ended it."""
        pending = self._pending + self._decoder.decode(piece)
        hold = 0
        if self._stops:
            cut = _find_stop(pending, self._stops)
            if cut is not None:
                self._pending = ""
                return pending[:cut], True
            hold = _held_back(pending, self._stops)
        ready = len(pending) - hold
        self._pending = pending[ready:]
        return pending[:ready], False

    def flush(self) -> str:
        """Return what is still held back once the reply ends without a stop string."""
        rest = self._pending + self._decoder.decode(b"", final=True)
        self._pending = ""
        return rest


def _find_stop(text: str, stops: Sequence[str]) -> int | None:
    positions = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(positions) if positions else None


def _held_back(text: str, stops: Sequence[str]) -> int:
    """Return how many trailing characters could start a stop sequence."""
    hold = 0
    for stop in stops:
        for k in range(min(len(stop) - 1, len(text)), hold, -1):
            if text.endswith(stop[:k]):
                hold = k
                break
    return hold

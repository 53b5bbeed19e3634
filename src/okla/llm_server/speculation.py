"""Prompt-lookup speculation: draft a reply's next tokens from what its context already holds.

A sales reply copies a lot from its prompt (vehicle lines, prices, the dealer's name). When the
last few tokens of a sequence appeared earlier in its prompt or reply, the tokens that followed
them there are a cheap guess of what comes next. The scheduler decodes the guess together with
the sequence's next token in one batch and keeps the longest prefix the sampler agrees with;
see `Scheduler` for the verification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class SpeculationMode(StrEnum):
    """How the scheduler guesses tokens ahead of the model."""

    OFF = "off"
    NGRAM = "ngram"


@dataclass(frozen=True)
class SpeculationConfig:
    """Prompt-lookup parameters: n-gram sizes, draft length per sequence and per step."""

    ngram_min: int
    ngram_max: int
    draft_max: int
    step_budget: int


class NgramDrafter:
    """Index a sequence's tokens by the n-grams before them; propose what followed last time."""

    def __init__(self, tokens: Sequence[int], config: SpeculationConfig) -> None:
        self.tokens: list[int] = list(tokens)
        self._sizes = range(config.ngram_max, config.ngram_min - 1, -1)
        # n-gram -> index of the token that followed its latest occurrence (keys of different
        # sizes never collide: tuples of different lengths differ).
        self._next: dict[tuple[int, ...], int] = {}
        for end in range(1, len(self.tokens)):
            self._index(end)

    def _index(self, end: int) -> None:
        tokens, index = self.tokens, self._next
        for n in self._sizes:
            if end >= n:
                index[tuple(tokens[end - n : end])] = end

    def append(self, token: int) -> None:
        """Record a token the sequence now holds."""
        self.tokens.append(token)
        self._index(len(self.tokens) - 1)

    def draft(self, limit: int) -> list[int]:
        """Return up to `limit` tokens that followed the longest earlier match of the tail."""
        if limit <= 0:
            return []
        tokens = self.tokens
        size = len(tokens)
        for n in self._sizes:
            if size <= n:
                continue
            start = self._next.get(tuple(tokens[size - n :]))
            if start is not None:
                return tokens[start : start + limit]
        return []

"""Prompt-lookup speculation: draft a reply's next tokens from what its context already holds.

A sales reply copies a lot from its prompt (vehicle lines, prices, the dealer's name). When the
last few tokens of a sequence appeared earlier in its prompt or reply, the tokens that followed
them there are a cheap guess of what comes next. The scheduler decodes the guess together with
the sequence's next token in one batch and keeps the longest prefix the sampler agrees with;
see `Scheduler` for the verification.

A guess is not free: on a CPU each drafted token costs about half a one-token step (measured:
13.5 ms for one token of the bundled model on 2 threads, +7 ms per token more), so a rejected
draft slows the reply down. How long to draft is therefore decided per guess: the longer the
match a guess comes from, the likelier the model copies it (learned as replies go, in
`Acceptance`), and a token is drafted only while the chance that it is kept is worth its cost
(measured as steps go, in `StepCost`).
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
    """Prompt-lookup parameters: n-gram sizes, draft lengths, and the cost of a drafted token.

    `token_cost` is a drafted token's cost as a share of a one-token step; None measures it.
    """

    ngram_min: int
    ngram_max: int
    draft_max: int
    step_budget: int
    token_cost: float | None = None


@dataclass(frozen=True)
class Guess:
    """What followed the latest earlier occurrence of a sequence's tail, and how long it matched."""

    tokens: list[int]
    match: int  # tokens of the tail equal to those before the guess (at least ngram_min)


# Matches longer than this are as good as each other for telling whether a guess is copied.
_LONGEST_MATCH = 16


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

    def guess(self, limit: int) -> Guess | None:
        """Return up to `limit` tokens that followed the longest earlier match of the tail."""
        if limit <= 0:
            return None
        tokens = self.tokens
        size = len(tokens)
        for n in self._sizes:
            if size <= n:
                continue
            start = self._next.get(tuple(tokens[size - n :]))
            if start is not None:
                match = n
                # How far back the match goes: the n-gram index only knows its last n tokens.
                while (
                    match < min(start, _LONGEST_MATCH)
                    and tokens[start - match - 1] == tokens[size - match - 1]
                ):
                    match += 1
                return Guess(tokens[start : start + limit], match)
        return None


class Acceptance:
    """How often the model takes a drafted token, by the length of the match it was copied on.

    Shared by every sequence of a server (it is a property of the model and its prompts);
    older outcomes fade, so it follows a change of traffic. A token kept at position i of a
    draft extends the match by one, so position i is judged by the match length plus i.
    """

    def __init__(self, decay: float = 0.99) -> None:
        self._decay = decay
        # Start from one kept out of two: an even chance until outcomes are seen.
        self._kept = [1.0] * (_LONGEST_MATCH + 1)
        self._seen = [2.0] * (_LONGEST_MATCH + 1)

    def rate(self, match: int) -> float:
        """Return the chance that a token guessed on a match this long is the model's."""
        i = min(match, _LONGEST_MATCH)
        return self._kept[i] / self._seen[i]

    def record(self, match: int, kept: bool) -> None:
        """Count one verified guess."""
        i = min(match, _LONGEST_MATCH)
        self._kept[i] = self._kept[i] * self._decay + kept
        self._seen[i] = self._seen[i] * self._decay + 1.0


class StepCost:
    """The cost of one more token in a decode step, as a share of a one-token step.

    Measured from the engine's own single-sequence steps (smoothed): a GPU decodes a few more
    tokens almost for free, a CPU pays for each. Until both kinds of steps were seen, assume
    half, what the bundled model costs on a 2-core CPU.
    """

    def __init__(self, fixed: float | None = None, smoothing: float = 0.05) -> None:
        self._fixed = fixed
        self._smoothing = smoothing
        self._single: float | None = None  # seconds for a one-token step
        self._extra: float | None = None  # seconds per token beyond the first

    @property
    def share(self) -> float:
        """Return a drafted token's cost relative to a one-token step."""
        if self._fixed is not None:
            return self._fixed
        if self._single is None or self._extra is None:
            return 0.5
        return max(0.0, self._extra / self._single)

    def record(self, tokens: int, seconds: float) -> None:
        """Take the duration of a step that decoded `tokens` tokens of one sequence."""
        a = self._smoothing
        if tokens == 1:
            self._single = (
                seconds if self._single is None else self._single + a * (seconds - self._single)
            )
        elif self._single is not None:
            extra = (seconds - self._single) / (tokens - 1)
            self._extra = extra if self._extra is None else self._extra + a * (extra - self._extra)


def draft_length(guess: Guess, acceptance: Acceptance, share: float) -> int:
    """Return how many of a guess's tokens are worth drafting.

    The i-th drafted token saves a step if it and all before it are kept, and costs `share`
    of a step either way: draft it while the chance of the first i being kept is above that.
    """
    chance, length = 1.0, 0
    for i in range(len(guess.tokens)):
        chance *= acceptance.rate(guess.match + i)
        if chance <= share:
            break
        length = i + 1
    return length

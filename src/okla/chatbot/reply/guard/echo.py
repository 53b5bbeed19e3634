"""Text that repeats instead of answering: the instructions, the question, itself."""

from __future__ import annotations

import re

from okla.chatbot.text.fold import fold, words

_ECHO_RUN = 6  # words in a row shared with the instructions that count as leaking them
_ECHO_SHARE = 0.8  # share of the reply's words taken from the question that is parroting it
_LOOP_RUN = 5  # words in a row that, said twice in one sentence, make it a loop
_LIST_PREFIX = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•·])\s+")


def _runs(said: list[str] | tuple[str, ...], length: int) -> list[tuple[str, ...]]:
    return [tuple(said[i : i + length]) for i in range(len(said) - length + 1)]


class Echo:
    """The instructions and the question of one turn, which the reply must not repeat."""

    def __init__(self, system_prompt: str, question: str) -> None:
        found = re.split(r"(?<=[.!?])\s+", system_prompt.strip())
        # Who the assistant is ("Eres Ana, asistente de ventas de ...") is no secret: the
        # reply may introduce itself the same way.
        if len(found) > 1 and re.match(r"(eres|you are|soy|i am)\b", fold(found[0])):
            found = found[1:]
        self.prompt_runs = set(_runs(words(" ".join(found)), _ECHO_RUN))
        self.question = set(words(question))

    def echoes(self, text: str) -> bool:
        """Tell whether the reply leaks the instructions or parrots the question."""
        said = words(text)
        if set(_runs(said, _ECHO_RUN)) & self.prompt_runs:
            return True
        if len(self.question) < 3 or not said:
            return False
        return sum(w in self.question for w in said) / len(said) >= _ECHO_SHARE


class Repeats:
    """The sentences of one reply so far, to spot one said again or one that loops."""

    def __init__(self) -> None:
        self.said: set[tuple[str, ...]] = set()

    def repeats(self, sentence: str) -> bool:
        """Tell whether a sentence (or list item) was said already or repeats itself."""
        # Small models loop: the same sentence (or list item) again adds nothing.
        said = tuple(words(_LIST_PREFIX.sub("", sentence)))
        runs = _runs(said, _LOOP_RUN)
        repeated = said in self.said or len(set(runs)) < len(runs)
        self.said.add(said)
        return repeated

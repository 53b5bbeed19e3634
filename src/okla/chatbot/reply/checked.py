"""The model's reply as it streams: shown sentence by sentence, as far as it passes the guard."""

from __future__ import annotations

from okla.chatbot.reply.guard import GuardContext, GuardResult, Reason, check_reply

# A reply none of whose first sentences may be shown is given up on, and the LLM slot it
# holds serves the next customer instead: after 20 words if it answers in another language or
# repeats the prompt (the checks judge the language over the whole reply, and later text
# rarely undoes that), after 40 if its sentences state what the stock doesn't hold or repeat
# themselves. A reply that so far only hasn't named a vehicle yet goes on.
_LOST_REASONS = frozenset({Reason.WRONG_LANGUAGE, Reason.ECHO})
_LOST_WORDS = 20
_WRONG_WORDS = 40


def off_course(text: str, reasons: frozenset[Reason]) -> bool:
    """Tell whether the model's reply so far is unlikely to turn into one that may be shown."""
    words = len(text.split())
    if _LOST_REASONS & reasons:
        return words >= _LOST_WORDS
    return words >= _WRONG_WORDS and any(reason != Reason.NO_ANSWER for reason in reasons)


def complete_sentences(text: str) -> str | None:
    """Return the text up to its last finished sentence, or None if none is finished."""
    cut = max(text.rfind(mark) for mark in (". ", "! ", "? ", "\n", ".\n", "!\n", "?\n"))
    if cut < 0:
        return None
    return text[: cut + 1].rstrip()


class CheckedReply:
    """Collect a streamed reply; release the part that passed the checks, and judge the rest."""

    def __init__(self, guard: GuardContext) -> None:
        self.guard = guard
        self.raw = ""
        self.shown = ""
        self.lost = False  # nothing shown, and what came is unlikely to turn out showable

    def add(self, piece: str) -> str:
        """Take the next piece of the reply; return the text that has just become showable."""
        self.raw += piece
        complete = complete_sentences(self.raw)
        if complete is None:
            return ""
        verdict = check_reply(complete, self.guard)
        if verdict.ok and verdict.text.startswith(self.shown) and verdict.text != self.shown:
            new = verdict.text[len(self.shown) :]
            self.shown = verdict.text
            return new
        if not self.shown and off_course(complete, verdict.reasons):
            self.lost = True
        return ""

    def verdict(self) -> GuardResult:
        """Check the whole reply as it ended."""
        return check_reply(self.raw, self.guard)

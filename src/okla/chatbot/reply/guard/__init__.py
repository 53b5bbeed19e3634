"""The guard: what of a model's reply the customer may see, split by what it checks.

sentences (split and rejoin), facts (prices, years, mileage, attributes), names (makes and
models), safety (promises, markup, links, contacts, meta talk), echo (instructions, question,
loops); check ties them together per sentence, and verdict says what was found.
"""

from okla.chatbot.reply.guard.check import GuardContext, check_reply
from okla.chatbot.reply.guard.sentences import split_sentences
from okla.chatbot.reply.guard.verdict import GuardResult, Problem, Reason

__all__ = [
    "GuardContext",
    "GuardResult",
    "Problem",
    "Reason",
    "check_reply",
    "split_sentences",
]

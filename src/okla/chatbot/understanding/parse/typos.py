"""Typos: the catalogue's names and the vocabulary's words that a misspelt word may stand for.

The correcting itself is text/spelling.py; this module gives it the words to correct towards
(the dealer's makes and models as names.py reads them, and the vocabulary's typo words) and
the words it must leave alone (those another pass reads). Rewrites the message before any
pass reads it; blanks nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from okla.chatbot.inventory.domain import Catalog
from okla.chatbot.text import spelling
from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.fold import fold
from okla.chatbot.understanding.parse.attributes import SORT_WORDS
from okla.chatbot.understanding.parse.names import distinctive_words, needs_make


def _model_words(catalog: Catalog) -> dict[str, str]:
    """Map each catalogue word a typo may stand for to the spelling the name passes read."""
    words: dict[str, str] = {}
    for make in catalog.makes:
        if len(vocab.name_parts(make)) == 1:
            words[vocab.name_key(make)] = fold(make)
        for alias in vocab.MAKE_ALIASES.get(vocab.name_key(make), ()):
            if alias.isalnum():
                words[alias] = alias
    for model in catalog.models:
        parts = vocab.name_parts(model)
        # "RAV4" is typed as one word ("rab4"); "Land Cruiser Prado" is read by its words.
        if not needs_make(model) and len(parts) <= 2 and not all(p.isdigit() for p in parts):
            words.setdefault(vocab.name_key(model), vocab.name_key(model))
    for word in distinctive_words(catalog):
        words.setdefault(word, word)
    # "lancruiser", "santafe": two words of a longer name run together.
    for model in catalog.models:
        parts = vocab.name_parts(model)
        for first, second in zip(parts, parts[1:], strict=False):
            if first.isalpha() and second.isalpha() and min(len(first), len(second)) >= 2:
                words.setdefault(first + second, f"{first} {second}")
    return words


def _known_words() -> re.Pattern[str]:
    """Return a pattern for the words the vocabulary already reads: they are no typos."""
    patterns = [
        *(p for p, _ in vocab.BODY_WORDS),
        *(p for p, _ in vocab.LOOSE_BODY_WORDS),
        vocab.CAR_WORDS,
        *(p for p, _ in vocab.FUEL_WORDS),
        *(p for p, _ in vocab.GEAR_WORDS),
        *(p for p, _ in vocab.DRIVETRAIN_WORDS),
        *(p for p, _ in vocab.MAKE_ORIGINS),
        *(p for p, _ in SORT_WORDS),
        "|".join(vocab.COLOR_WORDS),
    ]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_KNOWN = _known_words()


@lru_cache(maxsize=64)
def _lexicon(makes: frozenset[str], models: tuple[tuple[str, str], ...]) -> spelling.Lexicon:
    """Build the words a catalogue's typos are corrected towards (cached: one per catalogue)."""
    catalog = Catalog(makes, dict(models))
    names = _model_words(catalog)
    words = {**{w: w for w in vocab.TYPO_WORDS}, **names}
    near: dict[str, frozenset[str]] = {}
    for model, make in catalog.models.items():
        make_words = {vocab.name_key(make), *vocab.MAKE_ALIASES.get(vocab.name_key(make), ())}
        for word in (vocab.name_key(model), *vocab.name_parts(model)):
            near[word] = near.get(word, frozenset()) | make_words
    return spelling.Lexicon(words, _KNOWN, near, frozenset(names))


def correct_typos(text: str, catalog: Catalog) -> str:
    """Rewrite the sure typos of a folded message ("toyta", "yipetta") as the word meant."""
    key = tuple(sorted(catalog.models.items()))
    return spelling.correct(text, _lexicon(frozenset(catalog.makes), key))

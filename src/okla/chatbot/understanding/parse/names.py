"""The dealer's makes and models as a customer writes them: where a message names which.

A model is found by its name ("RAV4"), with its make when the name alone says too little
("Mazda 3"), by a word only it has ("prado"), or by the end of a longer name ("i10"). Reads
the message but blanks nothing: the vehicle pass (vehicles.py) chooses among the places
found, and the typo pass (typos.py) corrects towards the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from okla.chatbot.inventory.domain import Catalog
from okla.chatbot.text import vocabulary as vocab


def needs_make(model: str) -> bool:
    """Tell whether a model name is too short or common to count without its make."""
    parts = vocab.name_parts(model)
    if len(parts) != 1:
        return False
    word = parts[0]
    return word.isdigit() or len(word) <= 2 or word in vocab.COMMON_MODEL_WORDS


def distinctive_words(catalog: Catalog) -> dict[str, str]:
    """Map words that name one multi-word model on their own ('prado') to that model."""
    owners: dict[str, set[str]] = {}
    for model in catalog.models:
        for part in vocab.name_parts(model):
            owners.setdefault(part, set()).add(model)
    make_words = {part for make in catalog.makes for part in vocab.name_parts(make)}
    make_words |= {w for aliases in vocab.MAKE_ALIASES.values() for a in aliases for w in a.split()}
    words: dict[str, str] = {}
    for model in catalog.models:
        parts = vocab.name_parts(model)
        if len(parts) < 2:
            continue
        for part in parts:
            if (
                part.isalpha()
                and len(part) >= 3
                and part not in vocab.COMMON_MODEL_WORDS
                and part not in make_words
                and owners[part] == {model}
            ):
                words[part] = model
    return words


@dataclass(frozen=True)
class Hit:
    """A place in the message that names a make, or a model and its make."""

    start: int
    end: int
    make: str
    model: str | None
    exact: bool  # by the full name, not by one distinctive word or a short name


def _spans(name: str, text: str) -> list[tuple[int, int]]:
    """Return where a name is said, plural included ("las corollas")."""
    pattern = vocab.name_pattern(name, plural=True)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def vehicle_hits(text: str, catalog: Catalog) -> list[Hit]:
    """Find every place the message names a make or model of the catalogue, overlaps included."""
    hits: list[Hit] = []
    for make in catalog.makes:
        aliases = vocab.MAKE_ALIASES.get(vocab.name_key(make), ())
        for name in (make, *aliases):
            hits += [Hit(*span, make, None, True) for span in _spans(name, text)]
    for model, make in catalog.models.items():
        name = f"{make} {model}" if needs_make(model) else model
        hits += [Hit(*span, make, model, True) for span in _spans(name, text)]
    for word, model in distinctive_words(catalog).items():
        owner = catalog.models[model]
        hits += [Hit(*span, owner, model, False) for span in _spans(word, text)]
    for short, model in _short_names(catalog).items():
        owner = catalog.models[model]
        hits += [Hit(*span, owner, model, False) for span in _spans(short, text)]
    return hits


def _short_names(catalog: Catalog) -> dict[str, str]:
    """Map the letters-and-digits end of a longer name ('i10' of 'Grand i10') to its model."""
    owners: dict[str, set[str]] = {}
    for model in catalog.models:
        parts = vocab.name_parts(model)
        if len(parts) >= 3 and parts[-2].isalpha() and parts[-1].isdigit():
            owners.setdefault(parts[-2] + parts[-1], set()).add(model)
    taken = {vocab.name_key(model) for model in catalog.models}
    return {
        short: next(iter(models))
        for short, models in owners.items()
        if len(models) == 1 and short not in taken
    }

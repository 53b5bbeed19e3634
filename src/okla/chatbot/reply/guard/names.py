"""Makes and models a reply names: each must be one of this turn's vehicles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.reply.guard.verdict import Problem, Reason
from okla.chatbot.text.fold import fold_chars, squash
from okla.chatbot.text.vocabulary import (
    EVERYDAY_NAMES,
    NOT_MODEL_WORDS,
    name_key,
    name_parts,
    name_pattern,
)


@dataclass(frozen=True)
class Name:
    """A make or model name, ready to be found in folded text."""

    name: str
    key: str  # see name_key: "CR-V", "CRV" and "cr v" share "crv"
    pattern: re.Pattern[str]
    everyday: bool
    numeric: bool


@lru_cache(maxsize=8192)
def compile_name(name: str) -> Name | None:
    """Prepare a name for matching; None for one without letters or digits."""
    pattern = name_pattern(name)
    if pattern is None:
        return None
    key = name_key(name)
    everyday = len(name_parts(name)) == 1 and key in EVERYDAY_NAMES
    return Name(name, key, pattern, everyday=everyday, numeric=key.isdigit())


def _compiled(names: Iterable[str]) -> list[Name]:
    compiled = (compile_name(n) for n in sorted(names))
    return [n for n in compiled if n is not None]


# Replies are checked against every known model: squashing the sentence once is a cheap test.
_squashed = lru_cache(maxsize=256)(squash)


@dataclass(frozen=True)
class Mention:
    """Where a text names a make or model."""

    name: Name
    start: int
    end: int


@dataclass(frozen=True)
class Subjects:
    """The vehicles named in a sentence, by where they are named."""

    spots: list[tuple[int, list[VehicleCard]]]
    sentence: list[VehicleCard]

    def at(self, offset: int) -> list[VehicleCard]:
        """Return the vehicles a fact at `offset` is said of."""
        before = [cards for start, cards in self.spots if start < offset]
        return before[-1] if before else self.sentence


class Vehicles:
    """The makes and models of one turn, prepared once to check every sentence of a reply."""

    def __init__(
        self, cards: Sequence[VehicleCard], known_makes: Iterable[str], known_models: Iterable[str]
    ) -> None:
        self.cards = list(cards)
        card_makes = {c.make for c in self.cards}
        card_models = {c.model for c in self.cards}
        self.makes = _compiled(set(known_makes) | card_makes)
        self.card_make_keys = {n.key for n in _compiled(card_makes)}
        self.card_model_names = _compiled(card_models)
        self.card_model_keys = {n.key for n in self.card_model_names}
        self.models = _compiled(set(known_models) | card_models)
        self.pairs: set[tuple[str, str]] = set()
        self.model_words: dict[str, set[str]] = {}
        for card in self.cards:
            make, model = compile_name(card.make), compile_name(card.model)
            if make is None or model is None:
                continue
            self.pairs.add((make.key, model.key))
            stocked = self.model_words.setdefault(make.key, set())
            stocked.add(model.key)
            stocked.update(name_parts(card.model))
        make_patterns = "|".join(n.pattern.pattern for n in self.makes)
        self.after_make = re.compile(rf"(?:{make_patterns})[\s\-]+$") if make_patterns else None

    def mentions(self, name: Name, plain: str, text: str) -> list[Mention]:
        """Return where the text names `name`."""
        found: list[Mention] = []
        if name.key not in _squashed(plain):
            return found
        for match in name.pattern.finditer(plain):
            start = match.start()
            if name.numeric or (name.everyday and not text[start].isupper()):
                # "3" is a Mazda 3, and "fit" a Honda Fit, only right after the make.
                if not (self.after_make and self.after_make.search(plain[:start])):
                    continue
            found.append(Mention(name, start, match.end()))
        return found

    def mentions_a_card(self, text: str) -> bool:
        """Tell whether the text names one of this turn's vehicles (by make or model)."""
        plain = fold_chars(text)
        names = self.card_model_names + [n for n in self.makes if n.key in self.card_make_keys]
        return any(self.mentions(n, plain, text) for n in names)

    def subjects(self, plain: str, text: str) -> Subjects:
        """Find which vehicles each part of a sentence talks about."""
        spots: list[tuple[int, list[VehicleCard]]] = []
        for name in self.card_model_names:
            cards = [c for c in self.cards if name_key(c.model) == name.key]
            spots.extend((m.start, cards) for m in self.mentions(name, plain, text))
        by_model = [c for c in self.cards if any(c in cards for _, cards in spots)]
        by_make: list[VehicleCard] = []
        for name in self.makes:
            if name.key in self.card_make_keys and (found := self.mentions(name, plain, text)):
                cards = [c for c in self.cards if name_key(c.make) == name.key]
                spots.extend((m.start, cards) for m in found)
                by_make.extend(cards)
        spots.sort(key=lambda spot: spot[0])
        return Subjects(spots, by_model or by_make or self.cards)

    def problems(self, plain: str, text: str) -> list[Problem]:
        """Name every make, model or make+model the sentence states that isn't in stock."""
        problems: list[Problem] = []
        card_spans = [
            (m.start, m.end)
            for n in self.card_model_names
            for m in self.mentions(n, plain, text)
        ]  # fmt: skip
        for name in self.models:
            if name.key in self.card_model_keys or len(name.key) < 2 or name.numeric:
                continue
            for m in self.mentions(name, plain, text):
                # "Land Cruiser" inside a stocked "Land Cruiser Prado" is that vehicle.
                if not any(s <= m.start and m.end <= e for s, e in card_spans):
                    problems.append(Problem(Reason.UNKNOWN_VEHICLE, name.name))
        for make in self.makes:
            for m in self.mentions(make, plain, text):
                if make.key not in self.card_make_keys:
                    problems.append(Problem(Reason.UNKNOWN_VEHICLE, make.name))
                elif said := self._model_after_make(m, plain, text):
                    problems.append(Problem(Reason.UNKNOWN_VEHICLE, said))
        return problems

    def _model_after_make(self, make: Mention, plain: str, text: str) -> str | None:
        """Return the unstocked name said right after a stocked make: 'Toyota Carnival'."""
        gap = re.match(r"[ \t]+", plain[make.end :])
        if gap is None:
            return None
        at = make.end + gap.end()
        said = make.name.name
        longest: tuple[Name, int] | None = None
        ahead = _squashed(plain[at:])
        for model in self.models:
            if not ahead.startswith(model.key):
                continue
            match = model.pattern.match(plain, at)
            if match and (longest is None or match.end() > longest[1]):
                longest = (model, match.end())
        if longest is not None:
            model, end = longest
            if (make.name.key, model.key) in self.pairs:
                return None
            return f"{said} {text[at:end]}"
        token = re.match(r"[a-z0-9][a-z0-9\-]*", plain[at:])
        if token is None:
            return None
        shown = text[at : at + len(token.group(0).rstrip("-"))]
        key = re.sub(r"-", "", token.group(0))
        looks_like_a_model = shown[:1].isupper() or any(ch.isdigit() for ch in key)
        if (
            not looks_like_a_model
            or key.isdigit()
            or key in NOT_MODEL_WORDS
            or re.fullmatch(r"\d+x\d+", key)
            or any(n.key == key for n in self.makes)
        ):
            return None
        stocked = self.model_words.get(make.name.key, set())
        if key in stocked or any(len(key) >= 2 and m.startswith(key) for m in stocked):
            return None  # "Toyota Prado" for a Land Cruiser Prado, "Ford Bronco" for Sport
        return f"{said} {shown}"

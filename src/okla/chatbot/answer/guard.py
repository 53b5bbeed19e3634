"""Check a model's reply against the retrieved stock before a customer may see it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from okla.chatbot.answer.language import is_mostly_language
from okla.chatbot.inventory.domain import VehicleCard, format_price


@dataclass(frozen=True)
class GuardContext:
    """What the reply may talk about, and in which language."""

    cards: Sequence[VehicleCard]
    known_makes: frozenset[str]
    known_models: frozenset[str]
    question: str
    language: Literal["es", "en"]
    system_prompt: str = ""


@dataclass(frozen=True)
class GuardResult:
    """The verdict: ok with the text to show (perhaps repaired), or not ok and why."""

    ok: bool
    text: str
    reasons: tuple[str, ...]
    repaired: bool


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _squash(text: str) -> str:
    return re.sub(r"[\s\-]+", "", _plain(text))


_MONEY = re.compile(
    r"(?P<cur>rd\$|us\$|\$)\s?(?P<num>\d[\d.,]*)(?:\s*(?P<unit>millones|millon|million|mm|m|mil|k)"
    r"(?![a-z]))?"
    r"|(?P<num2>\d+(?:[.,]\d+)?)\s*(?P<unit2>millones|millon|million|mm|mil)(?![a-z])"
    r"|(?P<num3>\d[\d.,]*\d)\s*(?P<unit3>m|k)(?![a-z0-9])"
    r"|(?P<num4>\d{1,3}(?:[.,]\d{3}){1,3}|\d{5,})(?!\s*(?:km|kilometros|millas|miles))"
)
_YEAR = re.compile(r"(?<![\d$.,])(19[89]\d|20[0-3]\d)(?![\d.,]*\d)")
_PROMISES = re.compile(
    r"\b(descuentos?|rebajas?|te lo dejo|te la dejo|precio especial|oferta vinculante|"
    r"legalmente vinculante|vinculante|garantizad[oa]s?|garantizamos|sin inicial|"
    r"aprobad[oa]|tasa de|cuotas? de|inicial de|1 peso|un peso|gratis|regalamos|"
    r"discounts?|binding|guarantee[ds]?|interest rate|monthly payments? of|financing at|"
    r"for free|free of charge|\d+ ?%)"
)
_MARKUP = re.compile(r"<\s*/?\s*[a-z!][^>]*>|javascript:|\[[^\]]*\]\([^)]*\)|on\w+\s*=", re.I)


def _amount(match: re.Match[str]) -> int | None:
    num = match.group("num") or match.group("num2") or match.group("num3") or match.group("num4")
    unit = match.group("unit") or match.group("unit2") or match.group("unit3")
    if num is None:
        return None
    if unit in ("millones", "millon", "million", "mm", "m"):
        try:
            return round(float(num.replace(",", ".")) * 1_000_000)
        except ValueError:
            return None
    if unit in ("mil", "k"):
        try:
            return round(float(num.replace(",", ".")) * 1_000)
        except ValueError:
            return None
    digits = re.sub(r"[.,]", "", num)
    if not digits.isdigit():
        return None
    value = int(digits)
    if match.group("cur") is None and 1980 <= value <= 2035:
        return None  # a year, not a price
    return value


def split_sentences(text: str) -> list[str]:
    """Split a reply into sentences and list items, keeping their punctuation."""
    parts = re.split(r"(?<=[.!?])\s+(?=[^\d\s])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


class _Checker:
    def __init__(self, ctx: GuardContext) -> None:
        self.ctx = ctx
        self.prices = {c.price for c in ctx.cards}
        self.years = {c.year for c in ctx.cards} | {int(y) for y in _YEAR.findall(ctx.question)}
        self.card_makes = {_plain(c.make) for c in ctx.cards}
        self.card_models = {_squash(c.model) for c in ctx.cards}
        self.pairs = {(_plain(c.make), _squash(c.model)) for c in ctx.cards}
        self.models_by_make: dict[str, set[str]] = {}
        for card in ctx.cards:
            self.models_by_make.setdefault(_plain(card.make), set()).add(_squash(card.model))
        self.known_models = {_squash(m): m for m in ctx.known_models if len(_squash(m)) >= 2}
        self.known_makes = {_plain(m) for m in ctx.known_makes}
        words = re.findall(r"[a-z0-9ñ]+", _plain(ctx.system_prompt))
        self.prompt_grams = {" ".join(words[i : i + 8]) for i in range(max(0, len(words) - 7))}

    def named_cards(self, plain: str, squashed: str) -> list[VehicleCard]:
        """Return the cards a sentence talks about (by model, else by make)."""
        by_model = [c for c in self.ctx.cards if _squash(c.model) in squashed]
        if by_model:
            return by_model
        return [
            c for c in self.ctx.cards
            if re.search(rf"(?<![a-z0-9]){re.escape(_plain(c.make))}(?![a-z0-9])", plain)
        ]  # fmt: skip

    def sentence_problems(self, sentence: str) -> list[str]:
        problems: list[str] = []
        plain = _plain(sentence)
        squashed = _squash(sentence)
        # Facts in a sentence that names a vehicle must be that vehicle's facts.
        named = self.named_cards(plain, squashed) or list(self.ctx.cards)
        prices = {c.price for c in named}
        years = {c.year for c in named} | (self.years - {c.year for c in self.ctx.cards})
        for match in _MONEY.finditer(plain):
            value = _amount(match)
            if value is not None and value not in prices:
                problems.append(f"price_not_in_stock:{format_price(value)}")
        for year in _YEAR.findall(plain):
            if int(year) not in years:
                problems.append(f"year_not_in_stock:{year}")
        for km in re.findall(r"(\d[\d.,]*)\s*(?:km|kilometros)\b", plain):
            value = int(re.sub(r"[.,]", "", km))
            if value not in {c.mileage_km or 0 for c in named}:
                problems.append(f"mileage_not_in_stock:{value}")
        for word, kinds in _ATTRIBUTES.items():
            if re.search(rf"(?<![a-z]){word}(?![a-z])", plain):
                if not any(kinds & {c.fuel.value, c.body_type.value, c.transmission.value}
                           for c in named):  # fmt: skip
                    problems.append(f"attribute_not_in_stock:{word}")
        mentioned_makes = [
            m for m in self.known_makes
            if re.search(rf"(?<![a-z0-9]){re.escape(m)}(?![a-z0-9])", plain)
        ]  # fmt: skip
        for make in mentioned_makes:
            if make not in self.card_makes:
                problems.append(f"unknown_vehicle:{make}")
        for key, model in self.known_models.items():
            pattern = rf"(?<![a-z0-9]){re.escape(_plain(model))}(?![a-z0-9])"
            if re.search(pattern, plain) or (
                len(key) >= 4 and key in squashed and any(ch.isdigit() or ch == "-" for ch in model)
            ):
                if key not in self.card_models:
                    problems.append(f"unknown_vehicle:{model}")
        # "Honda CR-Z": a stocked make followed by a name that is none of its models here.
        for make in mentioned_makes:
            if make not in self.card_makes:
                continue
            for follow in re.finditer(
                rf"(?<![a-z0-9]){re.escape(make)}\s+([a-z0-9][a-z0-9\-]*(?:\s+[a-z0-9\-]+)?)",
                plain,
            ):
                words = follow.group(1).split()
                first = re.sub(r"[\s\-]+", "", words[0])
                candidates = {first, re.sub(r"[\s\-]+", "", follow.group(1))}
                if candidates & self.models_by_make[make]:
                    continue
                if any(m.startswith(first) for m in self.models_by_make[make]) and len(first) > 2:
                    continue
                if first in _COMMON_WORDS or first.isdigit():
                    continue
                problems.append(f"unknown_vehicle:{make} {words[0]}")
        for key, model in self.known_models.items():
            if key in self.card_models:
                for make in mentioned_makes:
                    near = re.search(
                        rf"{re.escape(make)}\s+{re.escape(_plain(model))}(?![a-z0-9])", plain
                    )
                    if near and (make, key) not in self.pairs:
                        problems.append(f"unknown_vehicle:{make} {model}")
        if promise := _PROMISES.search(plain):
            problems.append(f"promise:{promise.group(0)}")
        if _MARKUP.search(sentence):
            problems.append("markup")
        return problems

    def echoes(self, text: str) -> bool:
        words = re.findall(r"[a-z0-9ñ]+", _plain(text))
        grams = {" ".join(words[i : i + 8]) for i in range(max(0, len(words) - 7))}
        if grams & self.prompt_grams:
            return True
        question = re.findall(r"[a-z0-9ñ]+", _plain(self.ctx.question))
        if len(question) >= 4 and words:
            shared = sum(1 for w in words if w in set(question))
            return shared / len(words) > 0.8
        return False

    def mentions_a_card(self, text: str) -> bool:
        plain = _plain(text)
        squashed = _squash(text)
        return any(m in squashed for m in self.card_models if len(m) >= 2) or any(
            re.search(rf"(?<![a-z0-9]){re.escape(m)}(?![a-z0-9])", plain) for m in self.card_makes
        )


# Words that state a vehicle's fuel, body or transmission, and what they claim.
_ATTRIBUTES: dict[str, set[str]] = {
    "gasolina": {"Gasoline"},
    "gasoline": {"Gasoline"},
    "diesel": {"Diesel"},
    "hibrid[oa]": {"Hybrid"},
    "hybrid": {"Hybrid"},
    "electric[oa]": {"Electric"},
    "electric": {"Electric"},
    "glp": {"LPG"},
    "hatchback": {"Hatchback"},
    "sedan": {"Sedan"},
    "minivan": {"Minivan"},
    "pickup": {"Pickup"},
    "guagua": {"Van"},
    "yipeta": {"SUV"},
    "suv": {"SUV"},
    "automatica": {"Automatic"},
    "automatic": {"Automatic"},
    "manual": {"Manual"},
    "coupe": {"Coupe"},
    "convertible": {"Convertible"},
}

_COMMON_WORDS = {
    "es", "y", "de", "del", "con", "en", "que", "por", "para", "la", "el", "un", "una", "is",
    "and", "with", "the", "a", "for", "at", "esta", "tiene", "cuesta", "le", "te", "muy",
}  # fmt: skip


def check_reply(text: str, ctx: GuardContext) -> GuardResult:
    """Return what of the reply may be shown, or why none of it may."""
    if not text or not text.strip():
        return GuardResult(False, "", ("empty",), False)
    if not ctx.cards:
        return GuardResult(False, "", ("no_cards",), False)
    checker = _Checker(ctx)
    if checker.echoes(text):
        return GuardResult(False, "", ("echo",), False)
    kept: list[str] = []
    reasons: list[str] = []
    for sentence in split_sentences(text):
        problems = checker.sentence_problems(sentence)
        if problems:
            reasons.extend(problems)
        else:
            kept.append(sentence)
    remaining = "\n".join(_join_lines(kept))
    repaired = len(kept) < len(split_sentences(text))
    if len(re.findall(r"\w+", remaining)) < 3:
        return GuardResult(False, "", (*reasons, "no_answer"), repaired)
    if not is_mostly_language(remaining, ctx.language):
        return GuardResult(False, "", (*reasons, "wrong_language"), repaired)
    if not checker.mentions_a_card(remaining):
        return GuardResult(False, "", (*reasons, "no_answer"), repaired)
    return GuardResult(True, remaining, tuple(reasons), repaired)


def _join_lines(sentences: list[str]) -> list[str]:
    """Keep list items on their own lines and run-on sentences together."""
    lines: list[str] = []
    for sentence in sentences:
        if (
            lines
            and not re.match(r"^(\d+[.)]|[-*•])\s", sentence)
            and not re.match(r"^(\d+[.)]|[-*•])\s", lines[-1])
        ):
            lines[-1] = f"{lines[-1]} {sentence}"
        else:
            lines.append(sentence)
    return lines

"""Score how well the chatbot understands customers: the development corpus, turn by turn.

Runs every conversation of `tests/corpus/*.toml` (the format is in the module below and in
`tests/corpus/README.md`) against the chatbot app in-process: SQLite in memory, the demo
dealers, no Redis, answers from templates (ANSWER_MODE=template where the setting exists; an
unreachable LLM otherwise), at a fixed moment (CORPUS_NOW, or the conversation's `now`). Each
conversation is one chat session; each turn's reply is graded with every check of its
`expect`, and a turn is handled when all of them hold. Prints the
share of turns handled, per category (the file's name, or a conversation's `category`), and
each failure with what was replied. With --write, records the score in docs/benchmarks.md.

    .venv/bin/python bench/understanding.py [--only ID] [--corpus DIR] [--write]
"""

from __future__ import annotations

import argparse
import logging
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Literal, TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from fastapi.testclient import TestClient  # noqa: E402

from bench._docs import record  # noqa: E402
from okla.chatbot.app import create_app  # noqa: E402
from okla.chatbot.chat.domain import SessionStatus  # noqa: E402
from okla.chatbot.inventory.demo import DEFAULT_DEALER_SLUG, DEMO_DEALERS  # noqa: E402
from okla.chatbot.inventory.domain import (  # noqa: E402
    BodyType,
    Color,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleRecord,
)
from okla.chatbot.reply.templates import other_reply  # noqa: E402
from okla.chatbot.settings import ChatbotSettings  # noqa: E402
from okla.chatbot.text.fold import fold  # noqa: E402
from okla.chatbot.text.language import detect_language  # noqa: E402
from okla.chatbot.text.vocabulary import MARKET_MAKES, color_of, name_key, name_pattern  # noqa: E402

CORPUS_DIR = REPO / "tests" / "corpus"
# When the corpus is played, unless a conversation says `now`: a Monday morning at the demo
# dealers (the demo's holidays are those of the year after it), so answers about opening hours
# don't depend on the day the benchmark runs.
CORPUS_NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone(timedelta(hours=-4)))
E = TypeVar("E", bound=StrEnum)


class CorpusError(ValueError):
    """A corpus file that doesn't follow the format: the message says where and why."""


# ---------------------------------------------------------------------------------------------
# What a reply is, as the grader sees it


@dataclass(frozen=True)
class Card:
    """A vehicle card of a reply, with the seats its stock record lists (cards don't show them)."""

    title: str
    make: str
    model: str
    year: int
    price: int
    body: str
    mileage_km: int | None
    fuel: str
    transmission: str
    color: str | None
    drivetrain: str | None
    seats: int | None


@dataclass(frozen=True)
class Reply:
    """What one turn got back: the text, the cards, and the session's status after it."""

    content: str
    cards: tuple[Card, ...]
    status: str


@dataclass(frozen=True)
class Dealer:
    """A demo dealer: its phone (desk answers) and its whole stock (names and seats)."""

    slug: str
    phone: str
    stock: tuple[VehicleRecord, ...]

    def seats(self, make: str, model: str, year: int) -> int | None:
        """Return the seats of the stock's vehicle with this name and year, if listed."""
        for vehicle in self.stock:
            if (vehicle.make, vehicle.model, vehicle.year) == (make, model, year):
                return vehicle.seats
        return None

    def model(self, name: str) -> str | None:
        """Return the stock's spelling of a model name ("crv" -> "CR-V"), if it has it."""
        key = name_key(name)
        return next((r.model for r in self.stock if name_key(r.model) == key), None)

    def make(self, name: str) -> str | None:
        """Return the stock's or the market's spelling of a make, if it is one."""
        key = name_key(name)
        makes = {r.make for r in self.stock} | MARKET_MAKES
        return next((m for m in makes if name_key(m) == key), None)


DEALERS: dict[str, Dealer] = {
    seed.slug: Dealer(seed.slug, seed.phone, records) for seed, records in DEMO_DEALERS
}

# ---------------------------------------------------------------------------------------------
# The checks: each key of a turn's `expect` becomes a judge, which returns a problem or None.

Judge = Callable[[Reply, Dealer], str | None]


@dataclass(frozen=True)
class Check:
    """One expectation of a turn: its key and value as written, and how to judge a reply."""

    key: str
    value: object
    judge: Judge

    def __str__(self) -> str:
        return f"{self.key} = {self.value!r}"


def _strings(key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) and value:
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(str(v) for v in value)
    raise CorpusError(f"{key} takes a string or a list of strings, not {value!r}")


def _count(key: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise CorpusError(f"{key} takes a whole number >= 0, not {value!r}")


def _members(kind: type[E], key: str, value: object) -> frozenset[E]:
    """Read enum values however they are cased ("suv", "SUV"; "4x4"; "white")."""
    by_name = {fold(m.value): m for m in kind} | {fold(m.name): m for m in kind}
    found = set()
    for word in _strings(key, value):
        member = by_name.get(fold(word))
        if member is None:
            known = ", ".join(m.value for m in kind)
            raise CorpusError(f"{key}: {word!r} is not one of {known}")
        found.add(member)
    return frozenset(found)


def _models(dealer: Dealer, key: str, value: object) -> tuple[str, ...]:
    """Read model names, which must be in the dealer's stock (a corpus typo is an error)."""
    models = []
    for name in _strings(key, value):
        model = dealer.model(name)
        if model is None:
            raise CorpusError(f"{key}: {dealer.slug} has no {name!r} in its stock")
        models.append(model)
    return tuple(models)


def _makes(dealer: Dealer, key: str, value: object) -> tuple[str, ...]:
    makes = []
    for name in _strings(key, value):
        make = dealer.make(name)
        if make is None:
            raise CorpusError(f"{key}: {name!r} is no make the market or {dealer.slug} knows")
        makes.append(make)
    return tuple(makes)


def _named(cards: Sequence[Card]) -> str:
    return ", ".join(c.title for c in cards) or "no cards"


def _every_card(key: str, test: Callable[[Card], bool], wanted: str) -> Judge:
    """Judge that every card passes `test` (a reply without cards passes: pair with `cards`)."""

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        wrong = [c for c in reply.cards if not test(c)]
        return f"{key}: {_named(wrong)} not {wanted}" if wrong else None

    return judge


def _same_name(name: str, names: Sequence[str]) -> bool:
    return name_key(name) in {name_key(n) for n in names}


def _card_check(key: str, value: object, dealer: Dealer) -> Judge:
    """Build a per-card check: every card of the reply must satisfy it."""
    match key:
        case "make" | "not_make":
            makes = _makes(dealer, key, value)
            keep = key == "make"
            return _every_card(key, lambda c: _same_name(c.make, makes) == keep, str(makes))
        case "model" | "not_model":
            models = _models(dealer, key, value)
            keep = key == "model"
            return _every_card(key, lambda c: _same_name(c.model, models) == keep, str(models))
        case "body":
            bodies = {b.value for b in _members(BodyType, key, value)}
            return _every_card(key, lambda c: c.body in bodies, str(sorted(bodies)))
        case "fuel":
            fuels = {f.value for f in _members(Fuel, key, value)}
            return _every_card(key, lambda c: c.fuel in fuels, str(sorted(fuels)))
        case "transmission":
            gears = {t.value for t in _members(Transmission, key, value)}
            return _every_card(key, lambda c: c.transmission in gears, str(sorted(gears)))
        case "drivetrain":
            wheels = {d.value for d in _members(Drivetrain, key, value)}
            return _every_card(key, lambda c: c.drivetrain in wheels, str(sorted(wheels)))
        case "color":
            colors = _members(Color, key, value)
            return _every_card(key, lambda c: color_of(c.color) in colors, str(sorted(colors)))
        case "price_max":
            top = _count(key, value)
            return _every_card(key, lambda c: c.price <= top, f"<= RD${top:,}")
        case "price_min":
            bottom = _count(key, value)
            return _every_card(key, lambda c: c.price >= bottom, f">= RD${bottom:,}")
        case "year_min":
            low = _count(key, value)
            return _every_card(key, lambda c: c.year >= low, f"from {low}")
        case "year_max":
            high = _count(key, value)
            return _every_card(key, lambda c: c.year <= high, f"up to {high}")
        case "mileage_max":
            cap = _count(key, value)
            return _every_card(
                key, lambda c: c.mileage_km is not None and c.mileage_km <= cap, f"<= {cap:,} km"
            )
        case "seats_min":
            least = _count(key, value)
            return _every_card(
                key, lambda c: c.seats is not None and c.seats >= least, f"{least}+ seats"
            )
    raise AssertionError(key)


CARD_CHECKS = frozenset(
    """make not_make model not_model body fuel transmission drivetrain color price_max
    price_min year_min year_max mileage_max seats_min""".split()
)


def _cards(key: str, value: object, _dealer: Dealer) -> Judge:
    if value in ("some", "none"):
        some = value == "some"

        def judge_any(reply: Reply, _dealer: Dealer) -> str | None:
            if bool(reply.cards) == some:
                return None
            return f"cards: expected {value}, got {len(reply.cards)} ({_named(reply.cards)})"

        return judge_any
    if isinstance(value, str):
        raise CorpusError(f"cards takes 'some', 'none' or a number, not {value!r}")
    count = _count(key, value)

    def judge_count(reply: Reply, _dealer: Dealer) -> str | None:
        if len(reply.cards) == count:
            return None
        return f"cards: expected {count}, got {len(reply.cards)} ({_named(reply.cards)})"

    return judge_count


def _first_model(key: str, value: object, dealer: Dealer) -> Judge:
    (model,) = _models(dealer, key, value) if isinstance(value, str) else ("",)
    if not model:
        raise CorpusError(f"first_model takes one model name, not {value!r}")

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        if reply.cards and _same_name(reply.cards[0].model, [model]):
            return None
        first = reply.cards[0].title if reply.cards else "no cards"
        return f"first_model: expected {model}, got {first}"

    return judge


def _model_set(key: str, value: object, dealer: Dealer) -> Judge:
    wanted = {name_key(m): m for m in _models(dealer, key, value)}
    exact = key == "models"

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        shown = {name_key(c.model) for c in reply.cards}
        missing = [m for k, m in wanted.items() if k not in shown]
        extra = [c.title for c in reply.cards if name_key(c.model) not in wanted]
        if missing or (exact and extra):
            gap = f"missing {missing}" + (f", extra {extra}" if exact and extra else "")
            return f"{key}: {gap} (shown: {_named(reply.cards)})"
        return None

    return judge


SortName = Literal["price_asc", "price_desc", "newest", "mileage_asc"]
_SORT_KEYS: dict[SortName, Callable[[Card], float]] = {
    "price_asc": lambda c: c.price,
    "price_desc": lambda c: -c.price,
    "newest": lambda c: -c.year,
    "mileage_asc": lambda c: float("inf") if c.mileage_km is None else c.mileage_km,
}


def _sorted(key: str, value: object, _dealer: Dealer) -> Judge:
    order = next((s for s in _SORT_KEYS if s == value), None)
    if order is None:
        raise CorpusError(f"sorted takes one of {', '.join(_SORT_KEYS)}, not {value!r}")
    rank = _SORT_KEYS[order]

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        # At least one card: an empty list is in every order, and says nothing.
        ranks = [rank(c) for c in reply.cards]
        if ranks and ranks == sorted(ranks):
            return None
        return f"sorted: not {order}: {_named(reply.cards)}"

    return judge


@dataclass(frozen=True)
class Focus:
    """The one vehicle a reply is about: its name and the colour the dealer writes."""

    model: str
    colors: frozenset[Color | None]


def focus_of(reply: Reply, dealer: Dealer) -> Focus | str:
    """Return the one vehicle the reply is about (its one card, or the one model its text
    names), or why there is none."""
    if len(reply.cards) == 1:
        card = reply.cards[0]
        return Focus(card.model, frozenset({color_of(card.color)}))
    if reply.cards:
        return f"{len(reply.cards)} cards, not one ({_named(reply.cards)})"
    text = fold(reply.content)
    named = {
        r.model
        for r in dealer.stock
        if (pattern := name_pattern(r.model)) is not None and pattern.search(text)
    }
    if len(named) != 1:
        return f"no cards, and the text names {sorted(named) or 'no vehicle'}"
    (model,) = named
    return Focus(model, frozenset(color_of(r.color) for r in dealer.stock if r.model == model))


def _focus(key: str, value: object, dealer: Dealer) -> Judge:
    if key == "focus_model":
        (model,) = _models(dealer, key, value) if isinstance(value, str) else ("",)
        if not model:
            raise CorpusError(f"focus_model takes one model name, not {value!r}")

        def right(focus: Focus) -> bool:
            return _same_name(focus.model, [model])

    else:
        if not isinstance(value, str):
            raise CorpusError(f"focus_color takes one colour, not {value!r}")
        (color,) = _members(Color, key, value)

        def right(focus: Focus) -> bool:
            return color in focus.colors

    def judge(reply: Reply, dealer: Dealer) -> str | None:
        focus = focus_of(reply, dealer)
        if isinstance(focus, str):
            return f"{key}: {focus}"
        return None if right(focus) else f"{key}: the reply is about the {focus.model}"

    return judge


def _says(key: str, value: object, _dealer: Dealer) -> Judge:
    phrases = _strings(key, value)
    folded = [fold(p) for p in phrases]

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        text = fold(reply.content)
        found = [p for p, f in zip(phrases, folded, strict=True) if f in text]
        if key == "says":
            missing = [p for p in phrases if p not in found]
            return f"says: missing {missing}" if missing else None
        if key == "says_any":
            return None if found else f"says_any: none of {list(phrases)}"
        return f"never: said {found}" if found else None

    return judge


# The generic prompt a message that is not understood gets ("dime el tipo, la marca...").
_GENERIC = tuple(fold(other_reply(lang)) for lang in ("es", "en"))
_ADVISOR = ("asesor", "advisor")


def _digits_pattern(phone: str) -> re.Pattern[str]:
    """Match a phone number however it is spaced or punctuated: 809-555-0100, (809) 5550100."""
    digits = re.sub(r"\D", "", phone)
    return re.compile(r"(?<!\d)" + r"[\s().-]*".join(digits) + r"(?!\d)")


def _desk(key: str, value: object, _dealer: Dealer) -> Judge:
    if value is not True:
        raise CorpusError(f"desk takes true, not {value!r}")

    def judge(reply: Reply, dealer: Dealer) -> str | None:
        text = fold(reply.content)
        if reply.cards:
            return f"desk: showed cards ({_named(reply.cards)})"
        if any(generic in text for generic in _GENERIC):
            return "desk: the generic search prompt"
        if not _digits_pattern(dealer.phone).search(text) and not any(a in text for a in _ADVISOR):
            return "desk: neither the dealer's phone nor an advisor"
        return None

    return judge


# A time of day as the booking replies write it: "10:00 a. m.", "3:00 PM".
_HOUR = r"\b\d{1,2}:\d{2} ?(?:a\. ?m\.|p\. ?m\.|am\b|pm\b)"
# Free times listed to pick from: "1. sábado 5 de diciembre, 10:00 a. m.".
_TIMES_OFFERED = re.compile(rf"^\s*\d+\.\s[^\n]*{_HOUR}", re.MULTILINE)
# The question when the customer comes: "¿qué día y a qué hora te queda bien?".
_ASKS_WHEN = re.compile(r"\bque (?:otro )?dia\b|\bwhat (?:other )?day\b|\bwhen would\b")
# A time found free, held until the customer gives a name and phone.
_TIME_HELD = re.compile(rf"{_HOUR}.*(?:tu nombre y tu telefono|name and phone)", re.DOTALL)


def _books(key: str, value: object, _dealer: Dealer) -> Judge:
    if value is not True:
        raise CorpusError(f"books takes true, not {value!r}")

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        if reply.cards:
            return f"books: showed cards ({_named(reply.cards)})"
        text = fold(reply.content)  # on one line: the list of times is read in the reply's lines
        if _TIMES_OFFERED.search(reply.content.lower()) or any(
            p.search(text) for p in (_ASKS_WHEN, _TIME_HELD)
        ):
            return None
        return "books: offers no times to pick and doesn't ask when"

    return judge


def _handoff(key: str, value: object, _dealer: Dealer) -> Judge:
    if not isinstance(value, bool):
        raise CorpusError(f"handoff takes true or false, not {value!r}")

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        if (reply.status == SessionStatus.PENDING_TRANSFER) == value:
            return None
        return f"handoff: the session is {reply.status}"

    return judge


def _language(key: str, value: object, _dealer: Dealer) -> Judge:
    if value not in ("es", "en"):
        raise CorpusError(f"language takes 'es' or 'en', not {value!r}")

    def judge(reply: Reply, _dealer: Dealer) -> str | None:
        found = detect_language(reply.content)
        return None if found == value else f"language: expected {value}, read {found}"

    return judge


CHECKS: dict[str, Callable[[str, object, Dealer], Judge]] = {
    **dict.fromkeys(CARD_CHECKS, lambda k, v, d: _card_check(k, v, d)),
    "cards": _cards,
    "first_model": _first_model,
    "models": _model_set,
    "includes_models": _model_set,
    "sorted": _sorted,
    "focus_model": _focus,
    "focus_color": _focus,
    "says": _says,
    "says_any": _says,
    "never": _says,
    "desk": _desk,
    "books": _books,
    "handoff": _handoff,
    "language": _language,
}

# ---------------------------------------------------------------------------------------------
# The corpus


@dataclass(frozen=True)
class Turn:
    """What the customer says, and what the reply must satisfy."""

    say: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Conversation:
    """One chat session of the corpus."""

    id: str
    dealer: Dealer
    category: str
    turns: tuple[Turn, ...]
    now: datetime = CORPUS_NOW  # the moment the conversation happens (opening hours)


_CONVERSATION_KEYS = frozenset({"id", "dealer", "category", "turn", "now"})
_TURN_KEYS = frozenset({"say", "expect"})


def _unknown(keys: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise CorpusError(f"{where}: unknown key {extra} (known: {', '.join(sorted(allowed))})")


def _turn(raw: object, dealer: Dealer, where: str) -> Turn:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: a turn is a table with say and expect")
    _unknown(raw, _TURN_KEYS, where)
    say, expect = raw.get("say"), raw.get("expect", {})
    if not isinstance(say, str) or not say.strip():
        raise CorpusError(f"{where}: say must be a non-empty string")
    if not isinstance(expect, dict):
        raise CorpusError(f"{where}: expect must be a table of checks")
    _unknown(expect, frozenset(CHECKS), f"{where} expect")
    try:
        checks = tuple(Check(k, v, CHECKS[k](k, v, dealer)) for k, v in expect.items())
    except CorpusError as exc:
        raise CorpusError(f"{where}: {exc}") from None
    return Turn(say, checks)


def _conversation(raw: object, category: str, where: str) -> Conversation:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: a conversation is a table")
    _unknown(raw, _CONVERSATION_KEYS, where)
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        raise CorpusError(f"{where}: id must be a non-empty string")
    where = f"{where} ({ident})"
    slug = raw.get("dealer", DEFAULT_DEALER_SLUG)
    if not isinstance(slug, str) or slug not in DEALERS:
        raise CorpusError(f"{where}: dealer must be one of {', '.join(DEALERS)}, not {slug!r}")
    category = raw.get("category", category)
    if not isinstance(category, str) or not category:
        raise CorpusError(f"{where}: category must be a non-empty string")
    turns = raw.get("turn")
    if not isinstance(turns, list) or not turns:
        raise CorpusError(f"{where}: a conversation needs at least one [[conversation.turn]]")
    now = raw.get("now", CORPUS_NOW)
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise CorpusError(f"{where}: now must be a date and time with its offset, not {now!r}")
    dealer = DEALERS[slug]
    parsed = tuple(_turn(t, dealer, f"{where} turn {n}") for n, t in enumerate(turns, 1))
    return Conversation(ident, dealer, category, parsed, now)


def load_file(path: Path) -> tuple[Conversation, ...]:
    """Read one corpus file; its conversations' category defaults to the file's name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path.name}: {exc}") from None
    _unknown(data, frozenset({"conversation"}), path.name)
    raws = data.get("conversation")
    if not isinstance(raws, list) or not raws:
        raise CorpusError(f"{path.name}: no [[conversation]]")
    return tuple(
        _conversation(raw, path.stem, f"{path.name} conversation {n}")
        for n, raw in enumerate(raws, 1)
    )


def load_corpus(directory: Path = CORPUS_DIR) -> tuple[Conversation, ...]:
    """Read every `*.toml` of a corpus directory; conversation ids must be unique."""
    conversations = tuple(c for path in sorted(directory.glob("*.toml")) for c in load_file(path))
    seen: set[str] = set()
    for conversation in conversations:
        if conversation.id in seen:
            raise CorpusError(f"conversation id {conversation.id!r} is used twice")
        seen.add(conversation.id)
    return conversations


# ---------------------------------------------------------------------------------------------
# Running it


@dataclass(frozen=True)
class TurnResult:
    """How one turn went."""

    conversation: str
    category: str
    number: int
    turn: Turn
    reply: Reply
    problems: tuple[str, ...]

    @property
    def handled(self) -> bool:
        """Tell whether every check of the turn held."""
        return not self.problems


@dataclass(frozen=True)
class Score:
    """The corpus's results."""

    results: tuple[TurnResult, ...]
    seconds: float

    @property
    def handled(self) -> int:
        """Return how many turns were handled."""
        return sum(r.handled for r in self.results)

    @property
    def share(self) -> float:
        """Return the share of turns handled (0 to 1)."""
        return self.handled / len(self.results) if self.results else 0.0

    def by_category(self) -> dict[str, tuple[int, int]]:
        """Return (handled, turns) per category, in the order they first appear."""
        rows: dict[str, tuple[int, int]] = {}
        for r in self.results:
            handled, total = rows.get(r.category, (0, 0))
            rows[r.category] = (handled + r.handled, total + 1)
        return rows


def chat_settings() -> ChatbotSettings:
    """Settings of the app under test: in memory, templated answers, no limits in the way."""
    values: dict[str, object] = {
        "database_url": "sqlite+aiosqlite:///:memory:",
        "redis_url": None,
        # Nothing listens there: if the model path is ever taken, it fails at once.
        "llm_base_url": "http://127.0.0.1:9/v1",
        "llm_timeout_seconds": 2,
        "llm_first_token_seconds": 1,
        "rate_limit_messages": "1000000/minute",
        "rate_limit_sessions": "1000000/minute",
        "rate_limit_token_misses": "1000000/minute",
    }
    if "answer_mode" in ChatbotSettings.model_fields:
        values["answer_mode"] = "template"
    # model_validate, not the constructor: the environment must not change what is measured.
    return ChatbotSettings.model_validate(values)


def _card(data: Mapping[str, object], dealer: Dealer) -> Card:
    def text(key: str) -> str:
        return str(data.get(key) or "")

    def number(key: str) -> int | None:
        value = data.get(key)
        return value if isinstance(value, int) else None

    make, model, year = text("make"), text("model"), number("year") or 0
    title = " ".join(p for p in (make, model, str(year), text("trim")) if p)
    return Card(
        title=title,
        make=make,
        model=model,
        year=year,
        price=number("price") or 0,
        body=text("bodyType"),
        mileage_km=number("mileageKm"),
        fuel=text("fuel"),
        transmission=text("transmission"),
        color=text("color") or None,
        drivetrain=text("drivetrain") or None,
        seats=dealer.seats(make, model, year),
    )


def _reply(response: object, dealer: Dealer) -> Reply:
    if not isinstance(response, dict):
        return Reply("", (), "")
    status = str(response.get("sessionStatus", ""))
    reply = response.get("reply")
    if not isinstance(reply, dict):
        return Reply("", (), status)
    vehicles = reply.get("vehicles")
    cards = tuple(
        _card(v, dealer)
        for v in (vehicles if isinstance(vehicles, list) else [])
        if isinstance(v, dict)
    )
    return Reply(str(reply.get("content", "")), cards, status)


def _grade(turn: Turn, reply: Reply, dealer: Dealer) -> tuple[str, ...]:
    return tuple(p for check in turn.checks if (p := check.judge(reply, dealer)) is not None)


@dataclass
class _Clock:
    """The app's clock: each conversation's moment, set before it is played."""

    now: datetime = CORPUS_NOW

    def __call__(self) -> datetime:
        return self.now


def run(conversations: Sequence[Conversation]) -> Score:
    """Play every conversation against a fresh app and grade each turn."""
    started = time.perf_counter()
    results: list[TurnResult] = []
    clock = _Clock()
    app = create_app(chat_settings(), demo_data=True, clock=clock)
    # A bug in the app fails its turn (HTTP 500) instead of stopping the run.
    with TestClient(app, raise_server_exceptions=False) as client:
        for conversation in conversations:
            clock.now = conversation.now
            session = client.post(
                "/api/chat/start",
                json={"dealerId": conversation.dealer.slug, "sessionType": "WebChat"},
            )
            session.raise_for_status()
            token = session.json()["sessionToken"]
            for number, turn in enumerate(conversation.turns, 1):
                response = client.post(
                    "/api/chat/message", json={"sessionToken": token, "message": turn.say}
                )
                if response.status_code == 200:
                    reply = _reply(response.json(), conversation.dealer)
                    problems = _grade(turn, reply, conversation.dealer)
                else:
                    reply = Reply(response.text, (), "")
                    problems = (f"HTTP {response.status_code}",)
                results.append(
                    TurnResult(
                        conversation.id, conversation.category, number, turn, reply, problems
                    )
                )
    return Score(tuple(results), time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# Reporting


def _short(text: str, limit: int = 240) -> str:
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def failures(score: Score) -> str:
    """Describe every turn that wasn't handled: what was said, expected and replied."""
    blocks = []
    for r in score.results:
        if r.handled:
            continue
        blocks.append(
            "\n".join(
                [
                    f"FAIL {r.conversation} turn {r.number} [{r.category}]: {r.turn.say!r}",
                    f"  expect:  {', '.join(str(c) for c in r.turn.checks)}",
                    *(f"  failed:  {p}" for p in r.problems),
                    f"  replied: {_short(r.reply.content)!r}",
                    f"  cards:   {_named(r.reply.cards)}",
                ]
            )
        )
    return "\n".join(blocks)


def table(score: Score) -> str:
    """Return the score per category as a Markdown table."""
    lines = ["| category | turns | handled | share |", "|---|---:|---:|---:|"]
    for category, (handled, total) in score.by_category().items():
        lines.append(f"| {category} | {total} | {handled} | {handled / total:.0%} |")
    total = len(score.results)
    lines.append(f"| **all** | {total} | {score.handled} | {score.share:.0%} |")
    return "\n".join(lines)


def _commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit} with uncommitted changes" if git("status", "--porcelain") else commit


def summary(score: Score, conversations: int, corpus: Path = CORPUS_DIR) -> str:
    """Describe the run and its score in a sentence."""
    where = corpus.resolve()
    shown = where.relative_to(REPO) if where.is_relative_to(REPO) else where
    mode = "ANSWER_MODE=template"
    if "answer_mode" not in ChatbotSettings.model_fields:
        mode = "templated answers (no LLM reachable)"
    return (
        f"Corpus `{shown}/` ({conversations} conversations, "
        f"{len(score.results)} customer turns), the demo dealers' stock, {mode}, SQLite in "
        f"memory; commit {_commit()}, {time.strftime('%Y-%m-%d')}, {score.seconds:.1f} s. "
        f"**{score.handled} of {len(score.results)} turns handled ({score.share:.1%}).**"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", metavar="ID", help="run this conversation only")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="corpus directory")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    if args.write and (args.only or args.corpus.resolve() != CORPUS_DIR):
        raise SystemExit("--write records the whole development corpus only")
    try:
        conversations = load_corpus(args.corpus)
    except CorpusError as exc:
        raise SystemExit(f"corpus error: {exc}") from None
    if args.only:
        conversations = tuple(c for c in conversations if c.id == args.only)
        if not conversations:
            raise SystemExit(f"no conversation {args.only!r} in {args.corpus}")
    # The app logs the unreachable LLM and each request; the report is what matters here.
    logging.disable(logging.WARNING)
    score = run(conversations)
    found = failures(score)
    if found:
        print(found, end="\n\n")
    text = f"{summary(score, len(conversations), args.corpus)}\n\n{table(score)}"
    print(text)
    if args.write:
        record(
            REPO / "docs" / "benchmarks.md",
            "understanding",
            "Understanding customers (development corpus)",
            text,
        )


if __name__ == "__main__":
    main()

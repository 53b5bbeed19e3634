"""Typos: read a misspelt word as the name or word it was meant to be ("toyta", "yipetta").

A word is corrected only when it is no word already: not one of the names or words it could
become, not a frequent Spanish or English word (`vocabulary.COMMON_WORDS`: "Sunday" is no
Hyundai, "manda" no Mazda, "hondo" no Honda), not a word another reader knows (`known`);
right after the make of the name it resembles, though, "kia carnaval" is the Carnival.
Then it must be long enough (five letters, or four with a digit: "rab4"; four right after
its make: "suzuki swit"), start like the word
it becomes (or with a letter that sounds the same: "llipeta", "jeepeta"), keep its digits, and
be one edit away from exactly one candidate (two for a word of nine letters or more); an
edit is an insertion, a deletion, a substitution or two neighbours swapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from okla.chatbot.text.vocabulary import COMMON_WORDS

_TOKEN = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9]*(?![a-z0-9])")
_DIGITS = re.compile(r"\d+")
# First letters that sound alike in Dominican spelling: "yipeta"/"jeepeta"/"llipeta",
# "camioneta"/"kamioneta", "bolvo"/"volvo", "wolkswagen", "wawa"/"guagua".
_SOUND_ALIKE = (
    frozenset("yjl"),
    frozenset("ckq"),
    frozenset("szc"),
    frozenset("bvw"),
    frozenset("gjhw"),
)
_MIN_LETTERS = 5
_MIN_WITH_DIGIT = 4
_LONG = 9  # from this length a word may be two edits away


@dataclass(frozen=True)
class Lexicon:
    """What a typo may be read as: one folded word each, and the word to write instead.

    `near` lifts the common-word guard beside a word: "kia carnaval" is the Carnival, though
    "carnaval" on its own is the feast.
    """

    words: Mapping[str, str]  # misspellable word -> what to write ("hyundai" -> "hyundai")
    known: re.Pattern[str] | None = None  # words that already mean something: never changed
    near: Mapping[str, frozenset[str]] = field(default_factory=dict)  # word -> its make words


def lexicon(
    words: Iterable[str],
    *,
    known: re.Pattern[str] | None = None,
    near: Mapping[str, frozenset[str]] | None = None,
) -> Lexicon:
    """Build a lexicon of folded single words, each read as itself."""
    return Lexicon({w: w for w in words if w.isalnum()}, known, near or {})


def _sound_alike(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _SOUND_ALIKE)


def _candidate(word: str, target: str, distance: float) -> bool:
    if _DIGITS.findall(word) != _DIGITS.findall(target):
        return False  # "rav5" is no RAV4
    if distance > (2 if min(len(word), len(target)) >= _LONG else 1):
        return False
    if word[0] == target[0]:
        return True
    return _sound_alike(word[0], target[0]) and len(word) >= 6 and distance == 1


def _long_enough(word: str) -> bool:
    if any(c.isdigit() for c in word):
        return len(word) >= _MIN_WITH_DIGIT and sum(c.isalpha() for c in word) >= 3
    return len(word) >= _MIN_LETTERS


def _is_word(word: str, lex: Lexicon) -> bool:
    """Tell whether a word means something as it is."""
    if word in lex.words or word in COMMON_WORDS:
        return True
    for plural in (word[:-1], word[:-2]):
        if word.endswith("s") and (plural in lex.words or plural in COMMON_WORDS):
            return True
    return lex.known is not None and lex.known.fullmatch(word) is not None


@lru_cache(maxsize=4096)
def _choices(words: tuple[str, ...], word: str) -> tuple[str, ...]:
    found = process.extract(
        word, words, scorer=DamerauLevenshtein.distance, score_cutoff=2, limit=None
    )
    return tuple(target for target, distance, _ in found if _candidate(word, target, distance))


def best(word: str, lex: Lexicon, *, previous: str = "") -> str | None:
    """Return what a misspelt word was meant to be, or None if it is no sure typo."""
    if word in lex.words or len(word) < _MIN_WITH_DIGIT:
        return None
    if not _long_enough(word) or _is_word(word, lex):
        # A short or common word stays itself, unless right after the make of what it
        # resembles: "suzuki swit", "nissan kiks", "kia carnaval".
        targets = [t for t in _choices(tuple(lex.words), word) if previous in lex.near.get(t, ())]
    else:
        targets = list(_choices(tuple(lex.words), word))
    if not targets:
        return None
    closest = min(DamerauLevenshtein.distance(word, t) for t in targets)
    meant = {lex.words[t] for t in targets if DamerauLevenshtein.distance(word, t) == closest}
    return meant.pop() if len(meant) == 1 else None


def correct(text: str, lex: Lexicon) -> str:
    """Rewrite each sure typo of the folded text as the word it was meant to be."""
    pieces: list[str] = []
    last = 0
    previous = ""
    for match in _TOKEN.finditer(text):
        word = match.group()
        meant = best(word, lex, previous=previous)
        if meant is not None:
            pieces += [text[last : match.start()], meant]
            last = match.end()
        previous = word
    return "".join(pieces) + text[last:] if pieces else text

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

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from okla.chatbot.text.vocabulary import COMMON_MODEL_WORDS, COMMON_WORDS

_TOKEN = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9]*(?![a-z0-9])")
_DIGITS = re.compile(r"\d+")
_NUMBER_AFTER = re.compile(r"[\s-](\d{1,2})(?![\d.,]?\d)(?![a-z])")
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
    # The names a word said by ear may stand for ("sivic", "taho", "corolita"); words of the
    # trade inflect ("reservada", "millas"), so only names are heard this way.
    names: frozenset[str] = frozenset()


def lexicon(
    words: Iterable[str],
    *,
    known: re.Pattern[str] | None = None,
    near: Mapping[str, frozenset[str]] | None = None,
    names: Iterable[str] = (),
) -> Lexicon:
    """Build a lexicon of folded single words, each read as itself."""
    return Lexicon({w: w for w in words if w.isalnum()}, known, near or {}, frozenset(names))


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


# How a word sounds, as Dominicans spell by ear: "sivic" is the Civic, "jilux" the Hilux,
# "yundai" the Hyundai ("ch" is kept apart from the c and the h it is made of).
_SOUNDS = (
    ("ch", "0"),
    ("ph", "f"),
    ("ou", "au"),
    ("qu", "k"),
    ("q", "k"),
    ("ce", "se"),
    ("ci", "si"),
    ("c", "k"),
    ("z", "s"),
    ("v", "b"),
    ("w", "u"),
    ("ll", "i"),
    ("y", "i"),
    ("j", ""),
    ("h", ""),
    ("0", "ch"),
)
_DOUBLE = re.compile(r"([a-z])\1")
# Diminutives and their stems: "corolita" -> corol, "civiquito" -> civic, "yarisito" -> yaris,
# "toyotica" -> toyot (-ico and -ica are as Dominican as -ito).
_DIMINUTIVE = re.compile(r"(?:(?P<qu>qu)|(?:e?[cs])?)i[tc][oa]s?$")
_SHORTEST_STEM = 4
_CUT = 3  # at most this many letters cut off the end of a name: "taho", "hilu", "toyo"
_SAID_RIGHT = 6  # letters, and share of the name, said right before its end is garbled
_SAID_RIGHT_SHARE = 0.75


def sound_key(word: str) -> str:
    """Return a word as it sounds: the letters Dominican spelling mixes up made one."""
    for letters, sound in _SOUNDS:
        word = word.replace(letters, sound)
    return _DOUBLE.sub(r"\1", word)


_LEADING_E = re.compile(r"^es(?=[^aeiou])")


def _stems(word: str) -> list[str]:
    """Return the word, and its stem if it is a diminutive ("civiquito" -> civic).

    A Spanish e before an s and a consonant goes too: "esportage" is the Sportage.
    """
    words = [word, _LEADING_E.sub("s", word)] if _LEADING_E.match(word) else [word]
    m = _DIMINUTIVE.search(word)
    if m is None or m.start() < _SHORTEST_STEM - 1:
        return words
    stem = word[: m.start()] + ("c" if m.group("qu") else "")
    return [*words, stem] if len(stem) >= _SHORTEST_STEM else words


@lru_cache(maxsize=64)
def _sound_keys(words: tuple[str, ...]) -> dict[str, frozenset[str]]:
    keys: dict[str, set[str]] = {}
    for target in words:
        if target.isalpha():
            keys.setdefault(sound_key(target), set()).add(target)
    return {key: frozenset(targets) for key, targets in keys.items()}


def _heard(word: str, lex: Lexicon) -> set[str]:
    """Return the names a word said by ear may be, unless it is a word or part of a name."""
    if not word.isalpha() or word in lex.near or word in COMMON_MODEL_WORDS:
        return set()  # "sport" is part of "Bronco Sport", no Sportage cut short
    return _by_ear(word, tuple(sorted(lex.names)))


def _by_ear(word: str, words: tuple[str, ...]) -> set[str]:
    """Find what a word said by ear names: a sound-alike, a name cut short, a diminutive.

    "sivic" and "jilux" sound like the Civic and the Hilux; "taho", "yari" and "toyo" are the
    Tahoe, the Yaris and Toyota cut short (by three letters at most, and never to fewer than
    four); "corolita" and "civiquito" are the Corolla and the Civic said fondly; "sportach"
    says most of the Sportage right.
    """
    keys = _sound_keys(words)
    for stem in _stems(word):
        if len(stem) < _SHORTEST_STEM or not stem.isalpha():
            continue
        if stem in words:
            return {stem}
        heard = sound_key(stem)
        if len(heard) >= _SHORTEST_STEM and (found := keys.get(heard)):
            return set(found)
        cut = {t for t in words if 0 < len(t) - len(stem) <= _CUT and t.startswith(stem)}
        if cut:
            return cut
    # "sportach": the start of a name said right, its last letters as heard.
    return {
        t
        for t in words
        if len(t) == len(word)
        and len(os.path.commonprefix([word, t])) >= max(_SAID_RIGHT, _SAID_RIGHT_SHARE * len(t))
        and DamerauLevenshtein.distance(word, t) <= 2
    }


def best(word: str, lex: Lexicon, *, previous: str = "") -> str | None:
    """Return what a misspelt word was meant to be, or None if it is no sure typo."""
    if word in lex.words or len(word) < _MIN_WITH_DIGIT:
        return None
    if not _long_enough(word) or _is_word(word, lex):
        # A short or common word stays itself, unless right after the make of what it
        # resembles: "suzuki swit", "nissan kiks", "kia carnaval".
        targets = [t for t in _choices(tuple(lex.words), word) if previous in lex.near.get(t, ())]
        if not targets and not _is_word(word, lex):
            targets = list(_heard(word, lex))
    else:
        targets = list(_choices(tuple(lex.words), word)) or list(_heard(word, lex))
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
        if match.start() < last:
            continue  # the number of "raf 4", already read with its word
        word = match.group()
        end = match.end()
        meant = best(word, lex, previous=previous)
        number = _NUMBER_AFTER.match(text, end)
        if meant is None and number is not None and word.isalpha() and not _is_word(word, lex):
            # "raf 4", "rab 4": a name with its number said apart.
            meant = best(word + number.group(1), lex, previous=previous)
            end = number.end() if meant is not None else end
        if meant is not None:
            pieces += [text[last : match.start()], meant]
            last = end
        previous = word
    return "".join(pieces) + text[last:] if pieces else text

"""Check a model's reply against this turn's vehicles before the customer may see it.

The model only writes prose. Every price, year, mileage, make, model and attribute it states
must belong to one of the retrieved vehicles; it may promise nothing, link nowhere, echo no
instructions, and must write in the customer's language. Sentences that break a rule are
dropped; when what is left no longer answers, the caller shows the templated answer instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from okla.chatbot.answer.language import Lang, detect_language, is_mostly_language
from okla.chatbot.inventory.domain import VehicleCard, format_price


@dataclass(frozen=True)
class GuardContext:
    """What the reply may talk about, and in which language."""

    cards: Sequence[VehicleCard]
    known_makes: frozenset[str]
    known_models: frozenset[str]
    question: str
    language: Lang
    system_prompt: str = ""


@dataclass(frozen=True)
class GuardResult:
    """The verdict: ok with the text to show (perhaps repaired), or not ok and why."""

    ok: bool
    text: str
    reasons: tuple[str, ...]
    repaired: bool


# Text folding


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    return unicodedata.normalize("NFD", lower)[0]


def _plain(text: str) -> str:
    """Lower-case and drop accents, one character for one, so offsets still match `text`."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=256)
def _squashed(plain: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", plain)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _plain(text))


# Sentences

_LIST_MARKER = re.compile(r"(?:\d{1,2}[.)]|[-*•·])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class _Sentence:
    text: str
    starts_line: bool


def _sentences(text: str) -> list[_Sentence]:
    found: list[_Sentence] = []
    for line in text.split("\n"):
        marker = ""
        first = True
        for piece in _SENTENCE_END.split(line.strip()):
            if not piece:
                continue
            # "1." alone is the number of the list item that follows, not a sentence.
            if _LIST_MARKER.fullmatch(piece):
                marker += piece + " "
                continue
            found.append(_Sentence(marker + piece, first))
            marker = ""
            first = False
        if marker:
            found.append(_Sentence(marker.strip(), first))
    return found


def split_sentences(text: str) -> list[str]:
    """Split a reply into sentences and list items, keeping their punctuation."""
    return [s.text for s in _sentences(text)]


def _rejoin(sentences: Sequence[_Sentence], keep: Sequence[bool]) -> str:
    """Join the kept sentences, keeping a line break wherever one was, even before a gap."""
    parts: list[str] = []
    pending_break = False
    for sentence, kept in zip(sentences, keep, strict=True):
        pending_break = pending_break or sentence.starts_line
        if not kept:
            continue
        if parts:
            parts.append("\n" if pending_break else " ")
        parts.append(sentence.text)
        pending_break = False
    return "".join(parts).strip()


# Money, years, mileage

_MILLIONS = frozenset({"millones", "millon", "million", "millions", "mm", "m"})
_THOUSANDS = frozenset({"mil", "k"})
_SPELLED = {
    "un": 1.0, "uno": 1.0, "una": 1.0, "dos": 2.0, "tres": 3.0, "cuatro": 4.0, "cinco": 5.0,
    "seis": 6.0, "siete": 7.0, "ocho": 8.0, "nueve": 9.0, "diez": 10.0, "medio": 0.5,
    "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0,
    "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "half a": 0.5,
}  # fmt: skip
_SPELLED_ALTERNATIVES = "|".join(sorted(_SPELLED, key=len, reverse=True))
_MONEY = re.compile(
    r"(?<![\w$.,])"
    r"(?:(?P<cur>rd\s?\$|us\s?\$|u\$s|usd|dop|\$)\s*)?"
    rf"(?P<num>\d+(?:[.,]\d+)*|(?:{_SPELLED_ALTERNATIVES})(?![a-z]))"
    r"(?:\s*(?P<unit>millones|millon|millions?|mm|m|mil|k)(?![a-z0-9]))?"
    r"(?:\s*(?:de\s+)?(?P<word>pesos|dolares|dollars|usd|dop)(?![a-z]))?"
)
# A number followed by one of these measures something other than money.
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:km|kms|kilometros?|kilometers?|kilometres?|millas|miles|cc|hp|caballos|lbs?|"
    r"libras|kg|kilos|rpm|pulgadas|puertas|pasajeros|asientos|seats|doors|cilindros|"
    r"cylinders|%|por\s?ciento|percent|x\d|meses|months|anos|years|dias|days|horas|hours)"
    r"(?![a-z])"
)
_BIG_BARE_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d{5,}")
_YEAR = re.compile(r"(?<![\w$.,/])(19[89]\d|20[0-3]\d)(?!\w|[.,]\d)")
_MILEAGE = re.compile(
    r"(?<![\w.,])(?P<num>\d+(?:[.,]\d{3})*)\s*(?P<unit>mil|k)?\s*"
    r"(?:km|kms|kilometros?|kilometers?|kilometres?)(?![a-z])"
)


@dataclass(frozen=True)
class _Amount:
    value: int
    currency: str | None  # None when the text doesn't say ("$", "5.8 millones")
    span: tuple[int, int]

    def label(self) -> str:
        return format_price(self.value, self.currency or "DOP")


def _number(num: str, unit: str | None) -> int | None:
    scale = 1_000_000 if unit in _MILLIONS else 1_000 if unit in _THOUSANDS else 1
    groups = re.split(r"[.,]", num)
    if len(groups) == 1:
        return int(num) * scale
    if scale > 1 and len(groups) == 2:
        # "5.8 millones", "5,8 millones", "3.3M": one separator before a unit is a decimal.
        return round(float(f"{groups[0]}.{groups[1]}") * scale)
    whole, cents = groups, ""
    if len(groups) > 2 and len(groups[-1]) <= 2:
        whole, cents = groups[:-1], groups[-1]  # "2,700,000.00"
    if len(whole[0]) <= 3 and all(len(g) == 3 for g in whole[1:]):
        value = int("".join(whole)) * scale
        return value + (1 if cents and int(cents) else 0)
    if len(groups) == 2:
        return round(float(f"{groups[0]}.{groups[1]}") * scale)
    return None


def _currency(cur: str | None, word: str | None) -> str | None:
    for said in (cur, word):
        if said is None:
            continue
        said = said.replace(" ", "")
        if said in ("rd$", "dop", "pesos"):
            return "DOP"
        if said in ("us$", "u$s", "usd", "dolares", "dollars"):
            return "USD"
    return None


def _amounts(plain: str) -> Iterator[_Amount]:
    """Yield every amount of money the text states, whatever the spelling."""
    for match in _MONEY.finditer(plain):
        if _NOT_MONEY_AFTER.match(plain, match.end()):
            continue
        cur, num, unit, word = match.group("cur", "num", "unit", "word")
        if num[0].isdigit():
            value = _number(num, unit)
            said_money = bool(cur or unit or word)
            if not said_money and not _BIG_BARE_NUMBER.fullmatch(num):
                continue  # "3 opciones", "7 pasajeros"
        elif unit in _MILLIONS and unit not in ("m", "mm"):
            value = round(_SPELLED[re.sub(r"\s+", " ", num)] * 1_000_000)
        else:
            continue  # "una yipeta"
        if value is not None:
            yield _Amount(value, _currency(cur, word), match.span())


# Vehicle names

# Models and makes that are also everyday words count only when capitalized or after a make,
# so "a good fit" or "feel free to ask about the seat" don't name a Honda Fit or a SEAT.
_EVERYDAY = frozenset(
    """
    fit note edge escape focus insight journey accent venue crown legacy element rogue march
    spark pilot passport compass discovery defender clarity mirage eclipse ranger explorer
    frontier patriot charger challenger atlas beetle golf polo up one leaf soul rio creta
    versa sonic traverse odyssey ascent outback optima expedition colorado tahoe durango
    city express transit voyager sierra canyon terrain envoy seat smart mini ram genesis jeep
    jaguar dodge lincoln mercury saturn sport cross prime
    """.split()
)
# Capitalized words that may follow a make without being a model name.
_NOT_MODELS = frozenset(
    """
    i a an the and or y o e u de del en es el la los las con por para que su sus this that
    is was has have suv suvs pickup pickups sedan sedanes hatchback van vans minivan yipeta
    yipetas jeepeta camioneta camionetas guagua guaguas carro carros car cars truck trucks
    hybrid hibrido hibrida diesel electric electrico electrica gasolina gasoline automatic
    automatica automatico manual new nuevo nueva usado usada used motors motor
    """.split()
)


@dataclass(frozen=True)
class _Name:
    name: str
    key: str  # lower-case letters and digits only: "CR-V", "CRV" and "cr v" share "crv"
    pattern: re.Pattern[str]
    everyday: bool
    numeric: bool


@lru_cache(maxsize=8192)
def _compile_name(name: str) -> _Name | None:
    tokens = re.findall(r"[a-z]+|\d+", _plain(name))
    if not tokens:
        return None
    body = r"[\s\-]*".join(re.escape(t) for t in tokens)
    key = "".join(tokens)
    return _Name(
        name=name,
        key=key,
        pattern=re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"),
        everyday=len(tokens) == 1 and key in _EVERYDAY,
        numeric=key.isdigit(),
    )


def _names(names: frozenset[str] | set[str]) -> list[_Name]:
    compiled = (_compile_name(n) for n in sorted(names))
    return [n for n in compiled if n is not None]


@dataclass(frozen=True)
class _Mention:
    name: _Name
    start: int
    end: int


# Promises, markup, leaks

_PROMISE = re.compile(
    r"(?<![a-z0-9])(?:"
    r"descuentos?|rebajas?|rebajar\w*|rebajamos|te (?:lo|la) dejo|se (?:lo|la) dejo|"
    r"precio especial|oferta especial|en oferta|vinculantes?|garantiz\w*|garantias?|"
    r"negociable|sin inicial|inicial de|(?:pre-?)?aprobad[oa]s?|tasas? de|cuotas? de|"
    r"cuotas? mensual(?:es)?|mensualidad(?:es)?|pagos? mensual(?:es)?|al mes|por mes|"
    r"plazo de|a \d+ meses|1 peso|un peso|gratis|regal\w*|sin costo|acepto|trato hecho|"
    r"cerr\w+ el trato|me comprometo|nos comprometemos|se compromete|prometo|prometemos|"
    r"por escrito|"
    r"discounts?|binding|guarantee\w*|warrant(?:y|ies)|interest rates?|apr|"
    r"monthly payments?|per month|down payment|no money down|financing at|"
    r"(?:pre-?)?approved|(?<!feel )free(?! to)|i agree|it'?s a deal|we have a deal|"
    r"deal done|we promise|i promise|in writing|on sale|special offer|negotiable|"
    r"\d+(?:[.,]\d+)?\s?%|\d+(?:[.,]\d+)? (?:por ciento|percent)"
    r")(?![a-z0-9])"
)
_MARKUP = re.compile(
    r"<\s*/?\s*[a-z!?][^<>]*>|<\s*(?:script|iframe|img|svg|object|embed|style|link|meta)\b|"
    r"&lt;|&#\d|javascript\s*:|vbscript\s*:|data\s*:\s*text/html|\bon[a-z]+\s*=|```",
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*([^)\s]*)[^)]*\)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"'\]]+", re.IGNORECASE)
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|"
    r"(?<!\d)(?:\+?1[\s.-]?)?\(?8[024]9\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)|"
    r"(?<!\d)\d{3}-\d{7}-\d(?!\d)"
)
# Talk about itself, its instructions or "the question" (small models love "La pregunta es
# ...") is never what a customer asked for.
_META = re.compile(
    r"(?<![a-z])(?:modelo de lenguaje|language model|inteligencia artificial|as an ai|"
    r"soy una ia|system prompt|prompt|mis instrucciones|my instructions|instrucciones|"
    r"instructions|(?:la|esta|esa|tu|su) pregunta|(?:the|this|your) question)(?![a-z])"
)
# A sentence that says what is NOT in stock may name an attribute no vehicle has.
_NEGATION = re.compile(
    r"(?<![a-z])(?:no (?:tengo|tenemos|hay|contamos|disponemos)|"
    r"(?:don'?t|do not|no longer) have|we have no)(?![a-z])"
)
# Words that state a vehicle's fuel, body or transmission, and the values they claim.
_ATTRIBUTES: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = tuple(
    (label, re.compile(rf"(?<![a-z])(?:{pattern})(?![a-z])"), frozenset(values))
    for label, pattern, values in (
        ("gasolina", "gasolina", {"Gasoline"}),
        ("gasoline", "gasoline", {"Gasoline"}),
        ("diesel", "diesel", {"Diesel"}),
        ("hibrido", "hibrid[oa]", {"Hybrid"}),
        ("hybrid", "hybrid", {"Hybrid"}),
        ("electrico", "electric[oa]", {"Electric"}),
        ("electric", "electric", {"Electric"}),
        ("glp", "glp|lpg", {"LPG"}),
        ("automatica", "automatic[oa]", {"Automatic"}),
        ("automatic", "automatic", {"Automatic"}),
        ("manual", "manual", {"Manual"}),
        ("yipeta", "yipeta|jeepeta", {"SUV"}),
        ("suv", "suv", {"SUV"}),
        ("sedan", "sedan", {"Sedan"}),
        ("hatchback", "hatchback", {"Hatchback"}),
        ("coupe", "coupe", {"Coupe"}),
        ("convertible", "convertible", {"Convertible"}),
        ("pickup", "pick-?up|truck", {"Pickup"}),
        ("minivan", "minivan", {"Minivan"}),
        ("guagua", "guagua", {"Van", "Minivan"}),
    )
)
_OR = re.compile(r"\s*(?:o|u|or|/)\s*")
_LIST_PREFIX = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•·])\s+")
_LOOP_RUN = 5  # words in a row that, said twice in one sentence, make it a loop
_MIN_WORDS = 3
_ECHO_RUN = 6  # words in a row shared with the instructions that count as leaking them
_ECHO_SHARE = 0.8  # share of the reply's words taken from the question that is parroting it


class _Checker:
    """The facts of one turn, prepared once for checking every sentence of a reply."""

    def __init__(self, ctx: GuardContext) -> None:
        self.ctx = ctx
        self.cards = list(ctx.cards)
        card_makes = {c.make for c in self.cards}
        card_models = {c.model for c in self.cards}
        self.makes = _names(set(ctx.known_makes) | card_makes)
        self.card_make_keys = {n.key for n in _names(card_makes)}
        self.card_model_names = _names(card_models)
        self.card_model_keys = {n.key for n in self.card_model_names}
        self.models = _names(set(ctx.known_models) | card_models)
        self.pairs: set[tuple[str, str]] = set()
        self.model_words: dict[str, set[str]] = {}
        for card in self.cards:
            make, model = _compile_name(card.make), _compile_name(card.model)
            if make is None or model is None:
                continue
            self.pairs.add((make.key, model.key))
            words = self.model_words.setdefault(make.key, set())
            words.add(model.key)
            words.update(re.findall(r"[a-z]+|\d+", _plain(card.model)))
        make_bodies = "|".join(n.pattern.pattern for n in self.makes)
        self.after_make = re.compile(rf"(?:{make_bodies})[\s\-]+$") if make_bodies else None
        self.question_years = {int(y) for y in _YEAR.findall(_plain(ctx.question))}
        self.card_years = {c.year for c in self.cards}
        self.urls = {u.rstrip("/") for c in self.cards for u in (c.url, c.image_url) if u}
        self.prompt_runs = self._prompt_runs(ctx.system_prompt)

    @staticmethod
    def _prompt_runs(prompt: str) -> set[tuple[str, ...]]:
        sentences = re.split(r"(?<=[.!?])\s+", prompt.strip())
        # Who the assistant is ("Eres Ana, asistente de ventas de ...") is no secret: the
        # reply may introduce itself the same way.
        if len(sentences) > 1 and re.match(r"(eres|you are|soy|i am)\b", _plain(sentences[0])):
            sentences = sentences[1:]
        words = _words(" ".join(sentences))
        return {tuple(words[i : i + _ECHO_RUN]) for i in range(len(words) - _ECHO_RUN + 1)}

    # Whole reply

    def echoes(self, text: str) -> bool:
        """Tell whether the reply leaks the instructions or parrots the question."""
        words = _words(text)
        runs = {tuple(words[i : i + _ECHO_RUN]) for i in range(len(words) - _ECHO_RUN + 1)}
        if runs & self.prompt_runs:
            return True
        question = set(_words(self.ctx.question))
        if len(question) < 3 or not words:
            return False
        return sum(w in question for w in words) / len(words) >= _ECHO_SHARE

    def mentions_a_card(self, text: str) -> bool:
        """Tell whether the text names one of this turn's vehicles (by make or model)."""
        plain = _plain(text)
        names = self.card_model_names + [n for n in self.makes if n.key in self.card_make_keys]
        return any(self.mentions(n, plain, text) for n in names)

    # Names

    def mentions(self, name: _Name, plain: str, text: str) -> list[_Mention]:
        """Return where the text names `name`."""
        found: list[_Mention] = []
        if name.key not in _squashed(plain):
            return found  # a cheap test first: replies are checked against every known model
        for match in name.pattern.finditer(plain):
            start = match.start()
            if name.numeric or (name.everyday and not text[start].isupper()):
                # "3" is a Mazda 3, and "fit" a Honda Fit, only right after the make.
                if not (self.after_make and self.after_make.search(plain[:start])):
                    continue
            found.append(_Mention(name, start, match.end()))
        return found

    def subjects(self, plain: str, text: str) -> _Subjects:
        """Find which vehicles each part of a sentence talks about."""
        spots: list[tuple[int, list[VehicleCard]]] = []
        for name in self.card_model_names:
            cards = [c for c in self.cards if _key(c.model) == name.key]
            spots.extend((m.start, cards) for m in self.mentions(name, plain, text))
        by_model = [c for c in self.cards if any(c in cards for _, cards in spots)]
        by_make: list[VehicleCard] = []
        for name in self.makes:
            if name.key in self.card_make_keys and (found := self.mentions(name, plain, text)):
                cards = [c for c in self.cards if _key(c.make) == name.key]
                spots.extend((m.start, cards) for m in found)
                by_make.extend(cards)
        spots.sort(key=lambda spot: spot[0])
        return _Subjects(spots, by_model or by_make or self.cards)

    def vehicle_problems(self, plain: str, text: str) -> list[str]:
        """Name every make, model or make+model the sentence states that isn't in stock."""
        problems: list[str] = []
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
                    problems.append(f"unknown_vehicle:{name.name}")
        for make in self.makes:
            for m in self.mentions(make, plain, text):
                if make.key not in self.card_make_keys:
                    problems.append(f"unknown_vehicle:{make.name}")
                elif problem := self.model_after_make(m, plain, text):
                    problems.append(problem)
        return problems

    def model_after_make(self, make: _Mention, plain: str, text: str) -> str | None:
        """Check the name right after a stocked make: 'Toyota Carnival', 'Honda CR-Z'."""
        gap = re.match(r"[ \t]+", plain[make.end :])
        if gap is None:
            return None
        at = make.end + gap.end()
        said = make.name.name
        longest: tuple[_Name, int] | None = None
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
            return f"unknown_vehicle:{said} {text[at:end]}"
        token = re.match(r"[a-z0-9][a-z0-9\-]*", plain[at:])
        if token is None:
            return None
        shown = text[at : at + len(token.group(0).rstrip("-"))]
        key = re.sub(r"-", "", token.group(0))
        looks_like_a_model = shown[:1].isupper() or any(ch.isdigit() for ch in key)
        if (
            not looks_like_a_model
            or key.isdigit()
            or key in _NOT_MODELS
            or re.fullmatch(r"\d+x\d+", key)
            or any(n.key == key for n in self.makes)
        ):
            return None
        stocked = self.model_words.get(make.name.key, set())
        if key in stocked or any(len(key) >= 2 and m.startswith(key) for m in stocked):
            return None  # "Toyota Prado" for a Land Cruiser Prado, "Ford Bronco" for Sport
        return f"unknown_vehicle:{said} {shown}"

    def attribute_problems(self, plain: str, subjects: _Subjects) -> list[str]:
        """Name every fuel, body or transmission claimed of a vehicle that doesn't have it."""
        said = sorted(
            (match.start(), match.end(), label, values)
            for label, pattern, values in _ATTRIBUTES
            for match in pattern.finditer(plain)
        )
        problems: list[str] = []
        # "diésel o eléctrica" claims one of the two: the group is true if either is.
        group: list[str] = []
        group_ok = False
        for i, (start, end, label, values) in enumerate(said):
            group.append(label)
            group_ok = group_ok or any(values & _facts(c) for c in subjects.at(start))
            following = said[i + 1][0] if i + 1 < len(said) else None
            if following is not None and _OR.fullmatch(plain[end:following]):
                continue
            if not group_ok:
                problems.extend(f"attribute_not_in_stock:{g}" for g in group)
            group, group_ok = [], False
        return problems

    # One sentence

    def sentence_problems(self, sentence: str) -> list[str]:
        """Return why a sentence may not be shown (empty when it may)."""
        plain = _plain(sentence)
        problems: list[str] = []
        # A fact is said of the vehicle named last before it ("la Kia Carnival cuesta X y la
        # Ford Bronco Sport Y"), else of the vehicles the sentence names, else of any.
        subjects = self.subjects(plain, sentence)
        money_spans: list[tuple[int, int]] = []
        for amount in _amounts(plain):
            money_spans.append(amount.span)
            prices = {
                c.price
                for c in subjects.at(amount.span[0])
                if amount.currency is None or c.currency.upper() == amount.currency
            }
            if amount.value not in prices:
                problems.append(f"price_not_in_stock:{amount.label()}")
        # The customer's own years may be repeated ("no tengo yipetas 2019"), unless they are
        # another stocked vehicle's year.
        asked = self.question_years - self.card_years
        for match in _YEAR.finditer(plain):
            if any(s <= match.start() < e for s, e in money_spans):
                continue
            year = int(match.group(1))
            if year not in asked and year not in {c.year for c in subjects.at(match.start())}:
                problems.append(f"year_not_in_stock:{year}")
        for match in _MILEAGE.finditer(plain):
            km = int(re.sub(r"[.,]", "", match.group("num")))
            km *= 1000 if match.group("unit") else 1
            if km not in {c.mileage_km for c in subjects.at(match.start())}:
                problems.append(f"mileage_not_in_stock:{km}")
        if not _NEGATION.search(plain):
            problems.extend(self.attribute_problems(plain, subjects))
        problems.extend(self.vehicle_problems(plain, sentence))
        for match in _PROMISE.finditer(plain):
            problems.append(f"promise:{match.group(0)}")
        if _MARKUP.search(sentence):
            problems.append("markup")
        for match in _MARKDOWN_LINK.finditer(sentence):
            if match.group(1).rstrip("/") not in self.urls:
                problems.append("markup")
        for match in _URL.finditer(sentence):
            if match.group(0).rstrip(".,;:!?").rstrip("/") not in self.urls:
                problems.append("link")
        if _CONTACT.search(sentence):
            problems.append("contact")
        if _META.search(plain):
            problems.append("meta")
        other = detect_language(sentence)
        if other is not None and other != self.ctx.language:
            problems.append("wrong_language")
        return problems


@dataclass(frozen=True)
class _Subjects:
    """The vehicles named in a sentence, by where they are named."""

    spots: list[tuple[int, list[VehicleCard]]]
    sentence: list[VehicleCard]

    def at(self, offset: int) -> list[VehicleCard]:
        """Return the vehicles a fact at `offset` is said of."""
        before = [cards for start, cards in self.spots if start < offset]
        return before[-1] if before else self.sentence


def _facts(card: VehicleCard) -> set[str]:
    return {card.fuel.value, card.body_type.value, card.transmission.value}


def _key(name: str) -> str:
    compiled = _compile_name(name)
    return compiled.key if compiled else ""


def _loops(words: tuple[str, ...]) -> bool:
    """Tell whether a run of words comes back within one sentence ('es un X, es un X')."""
    runs = [words[i : i + _LOOP_RUN] for i in range(len(words) - _LOOP_RUN + 1)]
    return len(set(runs)) < len(runs)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def check_reply(text: str, ctx: GuardContext) -> GuardResult:
    """Return what of the reply may be shown, or why none of it may."""
    if not text or not text.strip():
        return GuardResult(False, "", ("empty",), False)
    if not ctx.cards:
        # With nothing retrieved the template says so; the model would only improvise.
        return GuardResult(False, "", ("no_cards",), False)
    checker = _Checker(ctx)
    if checker.echoes(text):
        return GuardResult(False, "", ("echo",), False)
    sentences = _sentences(text)
    reasons: list[str] = []
    keep: list[bool] = []
    said: set[tuple[str, ...]] = set()
    for sentence in sentences:
        problems = checker.sentence_problems(sentence.text)
        # Small models loop: the same sentence (or list item) again adds nothing.
        words = tuple(_words(_LIST_PREFIX.sub("", sentence.text)))
        if words in said or _loops(words):
            problems.append("repeated")
        said.add(words)
        reasons.extend(problems)
        keep.append(not problems)
    repaired = not all(keep)
    remaining = _rejoin(sentences, keep) if repaired else text.strip()
    if len(re.findall(r"[^\W\d_]+", remaining)) < _MIN_WORDS:
        return GuardResult(False, "", _unique([*reasons, "no_answer"]), repaired)
    if not is_mostly_language(remaining, ctx.language):
        return GuardResult(False, "", _unique([*reasons, "wrong_language"]), repaired)
    if not checker.mentions_a_card(remaining):
        return GuardResult(False, "", _unique([*reasons, "no_answer"]), repaired)
    return GuardResult(True, remaining, _unique(reasons), repaired)

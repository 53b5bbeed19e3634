"""What a reply may say about the dealership: only what the dealer's profile says.

A time of day must be one of its opening or closing times, a street address its address, a
phone number its phone or WhatsApp, and a term (a percentage, so many months, years, days or
weeks, kilometres of warranty) one its policy texts state. A word of promise the guard refuses
elsewhere ("garantía", "inicial de") may be said when the dealer's own policies say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.reply.guard.safety import PROMISE
from okla.chatbot.reply.guard.verdict import Problem, Reason
from okla.chatbot.text.fold import fold, fold_chars, words

# A time of day, as a reply would write one: "8:00 a. m.", "6 pm", "18:00", "a las 6",
# "hasta la 1 de la tarde", "at 9". A bare number counts only after an article of the hour.
_MERIDIEM = r"[ap]\.?\s?m\b\.?"
_TIME = re.compile(
    rf"(?<![\d.,:$])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?\s*(?P<ampm>{_MERIDIEM})"
    r"|(?<![\d.,:$])(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)(?![\d:])"
    r"|(?:(?<![a-z])(?:a|hasta|desde|de|entre|y) las?|(?<![a-z])(?:at|until|till))\s+"
    r"(?P<h3>[01]?\d|2[0-3])(?::(?P<m3>[0-5]\d))?(?![\w.,:%])"
    r"(?!\s*(?:%|mil\b|millon|million|anos?\b|years?\b|meses\b|months?\b|dias\b|days?\b|km\b|"
    r"pasajeros\b|asientos\b|puertas\b|personas\b|seats?\b|people\b|doors\b|cilindros\b|"
    r"cylinders?\b|veces\b|times\b|filas?\b|rows?\b))"
    rf"(?:\s*(?P<ampm3>{_MERIDIEM})|\s+(?P<part>de la (?:manana|tarde|noche)|"
    r"in the (?:morning|afternoon|evening)|o'?clock))?"
)
# A street address: a kind of road and its name ("Av. Abraham Lincoln 1052", "calle El Conde").
_ADDRESS = re.compile(
    r"(?i:\b(?:avenida|av\.|ave\.|calle|c/|autopista|carretera|esquina|esq\.|avenue|street|"
    r"boulevard|bulevar)\s+)"
    r"(?P<name>[A-ZÁÉÍÓÚÑ0-9][\w.'-]*(?:\s+(?:de|del|la|las|los|y|[A-ZÁÉÍÓÚÑ0-9][\w.'-]*))*)"
)
_FILLER = frozenset({"de", "del", "la", "las", "los", "y", "no", "num"})
_NUMBER_WORDS = {
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "quince": 15, "veinte": 20,
    "treinta": 30, "cuarenta": 40, "sesenta": 60, "one": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "sixty": 60,
}  # fmt: skip
_AMOUNT = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNITS = {
    "%": "percent", "por ciento": "percent", "percent": "percent",
    "mes": "month", "meses": "month", "month": "month", "months": "month",
    "ano": "year", "anos": "year", "year": "year", "years": "year",
    "dia": "day", "dias": "day", "day": "day", "days": "day",
    "semana": "week", "semanas": "week", "week": "week", "weeks": "week",
}  # fmt: skip
# A term: an amount and its unit ("20%", "60 meses", "tres meses", "30-day", "2 años").
_TERM = re.compile(
    rf"(?<![\w.,])(?P<amount>{_AMOUNT})(?:\s?-\s?|\s)?"
    r"(?P<unit>%|por ciento|percent|meses|mes|months?|anos?|years?|dias?|days?|semanas?|weeks?)"
    # "2 años de uso", "un año 2022": the vehicle's age, not a term.
    r"(?![a-z])(?!\s+(?:de (?:uso|antiguedad|edad|vida)|old\b|\d{4}))"
)
_KM = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d{3})*)\s*(?:km|kms|kilometros?|kilometers?)(?![a-z])")
_DIGITS = re.compile(r"\D")


def _term(amount: str, unit: str) -> tuple[float, str]:
    value = _NUMBER_WORDS.get(amount)
    number = float(value) if value is not None else float(amount.replace(",", "."))
    return number, _UNITS[unit]


def _phone_key(text: str) -> str:
    """The last ten digits of a number: 809-555-0100, +1 (809) 555-0100 are the same."""
    return _DIGITS.sub("", text)[-10:]


@dataclass(frozen=True)
class DeskFacts:
    """The profile's facts a reply may repeat, prepared once per check."""

    times: frozenset[tuple[int, int]]
    address_words: frozenset[str]
    phones: frozenset[str]
    policy_text: str  # every policy text, folded, for promise words
    terms: frozenset[tuple[float, str]]
    kilometres: frozenset[int]

    @classmethod
    def of(cls, profile: DealerProfile | None) -> DeskFacts:
        """Read the facts of a profile (none without one: then nothing may be said)."""
        if profile is None:
            return cls(frozenset(), frozenset(), frozenset(), "", frozenset(), frozenset())
        openings = [o for day in profile.hours.values() for o in day]
        openings += [o for closure in profile.closures for o in closure.hours]
        times = {(t.hour, t.minute) for o in openings for t in (o.opens, o.closes)}
        place = " ".join(p for p in (profile.address, profile.city) if p)
        phones = {_phone_key(p) for p in (profile.phone, profile.whatsapp) if p}
        policy = " ".join(fold(text) for text in profile.policy_texts())
        terms = {_term(m.group("amount"), m.group("unit")) for m in _TERM.finditer(policy)}
        kilometres = {int(_DIGITS.sub("", m.group(1))) for m in _KM.finditer(policy)}
        return cls(
            frozenset(times),
            frozenset(words(place)),
            frozenset(k for k in phones if len(k) >= 7),
            policy,
            frozenset(terms),
            frozenset(kilometres),
        )

    def allows_phone(self, written: str) -> bool:
        """Tell whether a phone number is the dealer's phone or WhatsApp."""
        return _phone_key(written) in self.phones

    def backs(self, promise: str) -> bool:
        """Tell whether the policies say what a word of promise says ("garantía", "20%")."""
        found = [_term(m.group("amount"), m.group("unit")) for m in _TERM.finditer(promise)]
        if found:
            return all(term in self.terms for term in found)
        return (
            bool(self.policy_text)
            and re.search(rf"(?<![a-z0-9]){re.escape(promise)}(?![a-z0-9])", self.policy_text)
            is not None
        )

    def allows_kilometres(self, km: int) -> bool:
        """Tell whether a distance is one the policies state (a warranty's 5,000 km)."""
        return km in self.kilometres

    def problems(self, sentence: str, plain: str) -> list[Problem]:
        """Name every time, address and term of a sentence that the profile doesn't state."""
        problems = [
            Problem(Reason.TIME_NOT_IN_PROFILE, m.group(0).strip())
            for m in _TIME.finditer(plain)
            if not self._known_time(m)
        ]
        for match in _ADDRESS.finditer(sentence):
            said = [w for w in words(match.group("name")) if w not in _FILLER]
            if not said or not set(said) <= self.address_words:
                problems.append(
                    Problem(Reason.ADDRESS_NOT_IN_PROFILE, match.group(0).rstrip(".,;"))
                )
        promised = [m.span() for m in PROMISE.finditer(plain)]
        for match in _TERM.finditer(plain):
            if any(start <= match.start() < end for start, end in promised):
                continue  # a word of promise: checked with the promises
            if _term(match.group("amount"), match.group("unit")) not in self.terms:
                problems.append(Problem(Reason.TERM_NOT_IN_PROFILE, match.group(0)))
        return problems

    def _known_time(self, match: re.Match[str]) -> bool:
        hour = int(match.group("h") or match.group("h2") or match.group("h3"))
        minute = int(match.group("m") or match.group("m2") or match.group("m3") or 0)
        said = match.group("ampm") or match.group("ampm3") or match.group("part") or ""
        marker = fold_chars(said)
        if marker.startswith("p") or any(w in marker for w in ("tarde", "noche", "afternoon")):
            hours = {hour % 12 + 12}
        elif marker.startswith("a") or any(w in marker for w in ("manana", "morning")):
            hours = {hour % 12}
        elif "evening" in marker:
            hours = {hour % 12 + 12}
        else:
            hours = {hour, (hour + 12) % 24} if hour <= 12 else {hour}
        return any((h, minute) in self.times for h in hours)

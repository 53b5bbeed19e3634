"""What the guard says of a reply: shown (perhaps repaired) or not, and every problem found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a reply, or a sentence of it, may not be shown."""

    EMPTY = "empty"
    NO_CARDS = "no_cards"
    ECHO = "echo"
    NO_ANSWER = "no_answer"
    WRONG_LANGUAGE = "wrong_language"
    REPEATED = "repeated"
    PRICE_NOT_IN_STOCK = "price_not_in_stock"
    YEAR_NOT_IN_STOCK = "year_not_in_stock"
    MILEAGE_NOT_IN_STOCK = "mileage_not_in_stock"
    ATTRIBUTE_NOT_IN_STOCK = "attribute_not_in_stock"
    UNKNOWN_VEHICLE = "unknown_vehicle"
    TIME_NOT_IN_PROFILE = "time_not_in_profile"
    ADDRESS_NOT_IN_PROFILE = "address_not_in_profile"
    TERM_NOT_IN_PROFILE = "term_not_in_profile"
    PROMISE = "promise"
    MARKUP = "markup"
    LINK = "link"
    CONTACT = "contact"
    META = "meta"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a reply, and what exactly ("RD$1,000,000", "Honda CR-Z")."""

    reason: Reason
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        """Return a JSON-friendly dict, as stored with the message."""
        return {"reason": self.reason.value, "detail": self.detail}


@dataclass(frozen=True)
class GuardResult:
    """The verdict: ok with the text to show (perhaps repaired), or not ok and why."""

    ok: bool
    text: str
    problems: tuple[Problem, ...]
    repaired: bool

    @property
    def reasons(self) -> frozenset[Reason]:
        """Return the kinds of problem found."""
        return frozenset(problem.reason for problem in self.problems)

"""What a reply may never do: promise, carry markup or foreign links, give contacts, talk shop.

Prices, terms and contacts come only from the dealer's people (its profile's policies and
phones, see desk.py); the widget shows the text as it is, so markup and links to anywhere but
the vehicle's own pages are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set

from okla.chatbot.reply.guard.verdict import Problem, Reason

PROMISE = re.compile(
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


def _never(_text: str) -> bool:
    return False


def safety_problems(
    sentence: str,
    plain: str,
    urls: Set[str],
    *,
    backed: Callable[[str], bool] = _never,
    own_phone: Callable[[str], bool] = _never,
) -> list[Problem]:
    """Name every promise, piece of markup, foreign link, contact or meta talk in a sentence.

    `plain` is the sentence folded (fold_chars); `urls` are the vehicles' own pages. A word of
    promise the dealer's policies say (`backed`) and the dealer's own phone numbers
    (`own_phone`) may be said.
    """
    problems = [
        Problem(Reason.PROMISE, m.group(0))
        for m in PROMISE.finditer(plain)
        if not backed(m.group(0))
    ]
    if _MARKUP.search(sentence):
        problems.append(Problem(Reason.MARKUP))
    for match in _MARKDOWN_LINK.finditer(sentence):
        if match.group(1).rstrip("/") not in urls:
            problems.append(Problem(Reason.MARKUP))
    for match in _URL.finditer(sentence):
        if match.group(0).rstrip(".,;:!?").rstrip("/") not in urls:
            problems.append(Problem(Reason.LINK))
    if any("@" in m.group(0) or not own_phone(m.group(0)) for m in _CONTACT.finditer(sentence)):
        problems.append(Problem(Reason.CONTACT))
    if _META.search(plain):
        problems.append(Problem(Reason.META))
    return problems

"""Tell what a customer wants from a message: a greeting, an advisor, financing, a search."""

from __future__ import annotations

import re
from enum import StrEnum

from okla.chatbot.inventory.domain import Catalog, VehicleQuery
from okla.chatbot.text.fold import fold
from okla.chatbot.understanding.query import parse_query


class Intent(StrEnum):
    """What the customer wants from this message."""

    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HUMAN = "human"
    FINANCING = "financing"
    DISCOUNT = "discount"
    SEARCH = "search"
    OTHER = "other"
    # Questions about the dealership rather than its stock (the dealer's desk answers them).
    LOCATION = "location"  # where the dealer is, how to get there
    HOURS = "hours"  # opening hours, open today/now
    CONTACT = "contact"  # phone, WhatsApp, email
    VISIT = "visit"  # booking a visit or a test drive
    TRADE_IN = "trade_in"  # their car as part of the payment
    WARRANTY = "warranty"
    DOCUMENTS = "documents"  # placa, marbete, traspaso, matrícula
    DELIVERY = "delivery"  # shipping to another city, delivery at home
    RESERVATION = "reservation"  # holding a vehicle with a deposit
    PAYMENT = "payment"  # paying in dollars, by card or transfer
    BOT = "bot"  # "are you a bot?"
    MOTORCYCLE = "motorcycle"  # pasolas and motorcycles, which the dealer doesn't sell


# Questions the dealer's desk answers (address, hours, policies): never a stock search.
DESK_INTENTS = frozenset(
    {
        Intent.LOCATION,
        Intent.HOURS,
        Intent.CONTACT,
        Intent.VISIT,
        Intent.TRADE_IN,
        Intent.WARRANTY,
        Intent.DOCUMENTS,
        Intent.DELIVERY,
        Intent.RESERVATION,
        Intent.PAYMENT,
        Intent.BOT,
        Intent.MOTORCYCLE,
    }
)


_PEOPLE = (
    r"asesor[a]?|vendedor[a]?|agente|persona|humano|representante|gerente|encargad[oa]|"
    r"ejecutiv[oa]|alguien|human|agent|person|someone|somebody|salesperson|salesman|"
    r"sales ?rep|representative|manager|rep"
)
_INTENT_PATTERNS: dict[Intent, tuple[str, ...]] = {
    Intent.GREETING: (
        # "buenas" alone only greets at the start: "en buenas condiciones" does not.
        r"^\W*(?:buenas|ola|saludos|klk|qlq|hey|hi|hello)\b",
        r"\b(?:hola+|holi|buen dia|buen(?:os|as) (?:dias|tardes|noches)|"
        r"good (?:morning|afternoon|evening))\b",
    ),
    Intent.THANKS: (
        r"\b(?:gracias|grax|thanks|thank you|thx|te agradezco|le agradezco|agradecid[oa]|"
        r"muy amable|appreciate it)\b",
    ),
    Intent.GOODBYE: (
        r"\b(?:adios|chao|chau|bye|goodbye|good bye|hasta luego|hasta pronto|hasta manana|"
        r"nos vemos|nos hablamos|see you|see ya|cuidate)\b",
    ),
    Intent.HUMAN: (
        rf"\b(?:hablar|hable|comunicarme|contactar|conversar|chatear|pasame|pasenme|ponme|"
        rf"comunicame|comuniquenme|atienda|transferir|transfiereme)\b[^.?!]{{0,25}}?"
        rf"\b(?:{_PEOPLE})\b",
        rf"\b(?:talk|speak|chat|connect|transfer|put me through)\b[^.?!]{{0,25}}?"
        rf"\b(?:{_PEOPLE})\b",
        r"\b(?:asesor[a]?|humano|persona real|real person|human agent|live agent|"
        r"representante|llamenme|llamame|llameme|que me llamen|que me llame|call me|"
        r"me (?:pueden|puede|puedes|podrian|podria) llamar)\b",
    ),
    Intent.FINANCING: (
        r"\b(?:financ\w*|a plazos?|en plazos|a credito|credito|cuotas?|mensualidad(?:es)?|"
        r"pago inicial|inicial|prestamos?|interes(?:es)?|tasa|loans?|monthly payments?|"
        r"down payment|installments?|credit|interest rate)\b",
    ),
    Intent.DISCOUNT: (
        r"\b(?:descuentos?|rebaj\w*|me (?:lo|la) (?:deja|dejas|dejan|dejaria|dejarias|"
        r"puede dejar|puedes dejar|pueden dejar)|dejamel[oa]|mejor precio|ultimo precio|"
        r"negociable|negociar|se negocia|ofertas?|discounts?|lower (?:the )?price|"
        r"best price|better price|better deal|negotiable|negotiate|vendemel[oa]|"
        r"por (?:1|un) peso|regalamel[oa])\b",
    ),
    Intent.SEARCH: (
        r"\b(?:vehiculos?|vehicles?|carros?|carritos?|autos?|cars?|inventario|inventory|"
        r"stock|disponibles?|available|en venta|for sale|modelos?|models?|marcas?|brands?|"
        r"opciones|options|catalogo|catalog|muestrame|ensename|show me|"
        r"que (?:tienes|tienen|tiene|hay|venden|ofrecen)|(?:tienes|tienen|hay) algo|"
        r"what (?:do you|have you|you) (?:have|got|sell))\b",
    ),
}
_INTENTS = {
    intent: tuple(re.compile(p) for p in patterns) for intent, patterns in _INTENT_PATTERNS.items()
}
# Any year works for telling whether a message names a constraint at all.
_FAR_FUTURE = 2100


def detect_intents(text: str) -> set[Intent]:
    """Return every intent the message shows, or {OTHER} when it shows none."""
    plain = fold(text)
    found = {
        intent for intent, patterns in _INTENTS.items() if any(p.search(plain) for p in patterns)
    }
    if parse_query(text, Catalog(), today_year=_FAR_FUTURE) != VehicleQuery():
        found.add(Intent.SEARCH)
    return found or {Intent.OTHER}

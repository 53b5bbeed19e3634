"""Seats: how many people the vehicle must carry ("7 pasajeros", "que quepan 8", "para 7").

Reads a count of seats or passengers, or a third row or room for many (seven seats), and
blanks it, so that no later pass reads the count as a price or a year. Counts outside 2 to 20
are no seats.
"""

from __future__ import annotations

from okla.chatbot.text.fold import word_pattern
from okla.chatbot.text.money import NUMBER_WORDS
from okla.chatbot.understanding.parse.scan import take

_COUNTS = {word: n for word, n in NUMBER_WORDS.items() if n >= 2}
_COUNT = rf"\d{{1,2}}|{'|'.join(_COUNTS)}"
_SEATS = (
    word_pattern(
        rf"(?P<n>{_COUNT})[\s-]*(?:pasajeros|asientos|plazas|puestos|personas|seats?|"
        r"seaters?|people|passengers)"
    ),
    # "que quepan 8", "caben 12", "fits 7".
    word_pattern(
        rf"(?:quepan|quepa|caben|cabe|entren|fits?|seats?|sienta) (?P<n>{_COUNT})(?![.,]?\d)"
    ),
    # "para 7", unless it goes on as money or time: "para 2 millones", "para 5 años".
    word_pattern(
        rf"para (?P<n>{_COUNT})(?![.,]?\d| ?(?:mil|millon|millones|mm?|k|%|anos?|meses|"
        r"dias|de|palos?|palitos?)(?![a-z]))"
    ),
)
# A third row, or room for many, is seven seats: "yipeta de tre fila" (the s dropped),
# "mientras más asientos mejor", "somos muchos en la casa".
_THIRD_ROW = word_pattern(
    r"tercera fila|3ra fila|3era fila|(?:3|tres|tre) filas?|third row|3rd row|(?:3|three) rows|"
    r"(?:mientras mas|muchos|bastantes|hartos|full de|con mas|lots of|many|plenty of|more) "
    r"(?:asientos|pasajeros|puestos|plazas|seats|passengers)|"
    r"familias? (?:grandes?|numerosas?)|big family|large family|somos? muchos?|we are many"
)


def read_seats(text: str) -> tuple[int | None, str]:
    """Return the most seats asked for, and the text with every count of seats blanked."""
    counts: list[int] = []
    for pattern in _SEATS:
        found, text = take(pattern, text)
        for m in found:
            n = m.group("n")
            counts.append(int(n) if n.isdigit() else _COUNTS[n])
    found, text = take(_THIRD_ROW, text)
    counts += [7] * len(found)
    valid = [n for n in counts if 2 <= n <= 20]
    return (max(valid) if valid else None), text

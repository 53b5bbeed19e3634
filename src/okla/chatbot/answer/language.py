"""Tell Spanish from English in short customer messages and in model replies."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

_SPANISH = set(
    "que de el la los las un una unos unas y o en por para con sin del al es son esta estan "
    "tienes tiene tienen hay quiero busco buscando necesito precio cuanto cuesta vale hola "
    "gracias si no mas menos muy tambien pero como donde cuando cual cuales yipeta yipetas "
    "guagua guaguas carro carros camioneta camionetas millones mil disponible disponibles "
    "tenemos puedo puede te le lo nuestro nuestra excelente opcion opciones vehiculo "
    "vehiculos buenas buenos dias tardes noches favor asesor ese esa este estos estas "
    "ano anos nuevo nueva usado usada interesa gustaria claro cuenta".split()
)
_ENGLISH = set(
    "the a an and or in for with without of to is are this that these those what which do "
    "does you your have has want looking need price how much cost hello hi thanks thank "
    "please yes not more less very also but where when car cars truck trucks vehicle "
    "vehicles under over available we can our great option options it its would like any "
    "some there here i me my from by be been new used good".split()
)


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"[a-z]+", plain)


def _scores(text: str) -> tuple[float, float]:
    words = _words(text)
    es = sum(1 for w in words if w in _SPANISH)
    en = sum(1 for w in words if w in _ENGLISH)
    # Letters English doesn't use are strong evidence of Spanish.
    es += 2 * len(re.findall(r"[ñáéíóú¿¡]", text.lower()))
    return es, en


def detect_language(text: str) -> Literal["es", "en"] | None:
    """Return the message's language, or None when there is too little to tell."""
    es, en = _scores(text)
    if es == en or max(es, en) < 1:
        return None
    return "es" if es > en else "en"


def is_mostly_language(text: str, language: Literal["es", "en"]) -> bool:
    """Tell whether a reply is clearly written in `language`."""
    letters = sum(c.isalpha() for c in text)
    if letters < 0.5 * max(1, len(text.strip())):
        return False
    es, en = _scores(text)
    ours, theirs = (es, en) if language == "es" else (en, es)
    return ours >= 2 and ours >= 2 * theirs

"""Tell Spanish from English in short customer messages and in model replies."""

from __future__ import annotations

import re
from typing import Literal

from okla.chatbot.text.fold import fold

Lang = Literal["es", "en"]

# Words that are frequent in one language and rare in the other. Words both languages use
# ("a", "me", "no", "son", "sedan", "SUV", makes and models) are left out on purpose: they
# would make every car question look bilingual.
_SPANISH = frozenset(
    """
    que de del el la los las un una unos unas y o en por para con sin al es son esta estan
    este estos estas ese esa esos esas eso hay tienes tiene tienen tenemos tengo quiero quieres
    busco buscando buscas necesito necesitas precio precios cuanto cuesta cuestan vale valen
    hola gracias si mas menos muy tambien pero como donde cuando cual cuales quien yipeta
    yipetas jeepeta jeepetas guagua guaguas carro carros camioneta camionetas vehiculo
    vehiculos millones millon mil disponible disponibles puedo puedes puede pueden te le lo
    les nos nuestro nuestra nuestros nuestras excelente opcion opciones buenas buenos bueno
    buena dias tardes noches favor asesor asesores ano anos nuevo nueva nuevos nuevas usado
    usada usados usadas interesa interesan gustaria claro cuenta desde hasta entre ahora
    mismo tambien algo alguno alguna ninguno ninguna todo todos todas otro otra otros otras
    ver verlo verla aqui alli ya muchas mucho poco familia presupuesto kilometraje ustedes
    usted tu tus su sus mi mis ayudar ayudo ayuda modelo modelos marca marcas estoy estas
    soy eres fue sera seria hace tiempo dime dame digame venden vendo compra comprar
    """.split()
)
_ENGLISH = frozenset(
    """
    the an and or in on at for with without of to is are was were be been this that these
    those what which who do does did you your yours have has had want wants looking look need
    needs price prices how much many cost costs hello hi hey thanks thank please yes not
    more less very also but where when car cars truck trucks vehicle vehicles under over
    below above available we our ours can could would should will it its it's i i'm i'd
    me my like any some there here from by new used good great best cheap cheaper budget
    about between than sure help show tell just only got get buy sell selling family
    seats mileage year years brand model models dollars offer offers doesn't
    don't isn't we're you're they're
    """.split()
)
_SPANISH_LETTERS = re.compile(r"[ñáéíóúü¿¡]")
# Contractions are strong evidence of English and never occur in Spanish.
_CONTRACTION = re.compile(r"\b\w+'(?:s|t|m|re|ve|ll|d)\b")
# Words as evidence of a language: letters only (digits belong to no language; "i5" is no
# "i"), and English contractions kept whole ("don't"), whichever apostrophe they are typed with.
_SPOKEN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _scores(text: str) -> tuple[int, int]:
    """Return (Spanish, English) evidence counts."""
    plain = fold(text.replace("’", "'"))
    words = _SPOKEN_WORD.findall(plain)
    es = sum(1 for w in words if w in _SPANISH)
    en = sum(1 for w in words if w in _ENGLISH)
    es += len(_SPANISH_LETTERS.findall(text.lower()))
    en += len(_CONTRACTION.findall(plain))
    return es, en


def detect_language(text: str) -> Lang | None:
    """Return the text's language, or None when there is too little signal to tell."""
    es, en = _scores(text)
    if es == en:
        return None
    return "es" if es > en else "en"


def is_mostly_language(text: str, lang: Lang) -> bool:
    """Tell whether `text` is clearly written in `lang` (and is mostly words, not symbols)."""
    visible = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    if not visible or letters < 0.5 * len(visible):
        return False
    es, en = _scores(text)
    ours, theirs = (es, en) if lang == "es" else (en, es)
    # Twice the other language's evidence: names, trims and loanwords ("Sport", "Premium")
    # put a little English into every Spanish reply about cars.
    return ours >= 2 and ours >= 2 * theirs

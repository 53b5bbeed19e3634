"""Contact details as customers write them: Dominican phone numbers, emails and names."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from okla.chatbot.text.fold import fold_chars

REGION = "DO"  # numbers without a country code are Dominican (809, 829, 849)

# A run of digits, with the separators people type inside a phone number.
_PHONE_LIKE = re.compile(r"(?<![\w@])\+?\(?\d[\d\s().\-]{5,}\d(?![\w@])")
_EMAIL_LIKE = re.compile(r"[^\s@,;:<>()]+@[^\s@,;:<>()]+\.[^\s@,;:<>().]+")


@dataclass(frozen=True)
class PhoneFound:
    """A phone number in a message: valid (with its E.164 form) or not."""

    written: str
    e164: str | None  # None: it looks like a phone number but isn't a valid one


def normalize_phone(text: str, region: str = REGION) -> str | None:
    """Return a phone number in E.164 form, or None if it is not a valid number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_phone(text: str, region: str = REGION) -> PhoneFound | None:
    """Return the first phone-like number in a message, with its E.164 form if it is valid."""
    for match in _PHONE_LIKE.finditer(text):
        written = match.group().strip()
        digits = re.sub(r"\D", "", written)
        if len(digits) < 7:
            continue
        return PhoneFound(written, normalize_phone(written, region))
    return None


def normalize_email(text: str) -> str | None:
    """Return an email address in normal form, or None if its syntax is not valid."""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def find_email(text: str) -> str | None:
    """Return the first email-like word of a message as written (valid or not)."""
    match = _EMAIL_LIKE.search(text)
    return match.group() if match else None


@dataclass(frozen=True)
class EmailFound:
    """An email address in a message: valid (in normal form) or not."""

    written: str
    normalized: str | None  # None: it has an @ but isn't a valid address


@dataclass(frozen=True)
class ContactInText:
    """The contact details a customer wrote in one message."""

    name: str | None
    phone: PhoneFound | None
    email: EmailFound | None
    # The name was introduced ("me llamo Ana", "soy Juan") or written beside a valid phone
    # number, so it is surely a name; a bare "Juan" is only one when nothing else reads the message.
    sure_name: bool = False

    @property
    def empty(self) -> bool:
        """Tell whether the message gives no contact detail at all."""
        return self.name is None and self.phone is None and self.email is None


def display_phone(e164: str) -> str:
    """Write an E.164 number as customers read it: 809-555-1234 at home, +34 612... abroad."""
    number = phonenumbers.parse(e164, None)
    if phonenumbers.region_code_for_number(number) == REGION:
        digits = str(number.national_number)
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def find_email_written(text: str) -> EmailFound | None:
    """Return the first word of a message that means to be an email address, checked."""
    written = find_email(text)
    if written is None:
        at = _AT_WORD.search(text)
        if at is None:
            return None
        written = at.group().rstrip(".,;:!?")
    return EmailFound(written, normalize_email(written))


def read_contact(text: str) -> ContactInText:
    """Read a name, a phone number and an email address from a message, as customers write
    them: "Juan Pérez 809-555-1234", "me llamo Ana, mi cel es 829 555 1234", "8095551234"."""
    phone = find_phone(text)
    email = find_email_written(text)
    rest = text
    for found in (phone.written if phone else None, email.written if email else None):
        if found:
            rest = rest.replace(found, " , ")
    introduced = find_introduced_name(rest)
    if introduced is not None:
        return ContactInText(introduced, phone, email, sure_name=True)
    name = _bare_name(rest)
    beside_phone = phone is not None and phone.e164 is not None
    return ContactInText(name, phone, email, sure_name=name is not None and beside_phone)


def find_introduced_name(text: str) -> str | None:
    """Return the name a customer introduces: "me llamo Ana", "soy Juan Pérez", "my name is"."""
    folded = fold_chars(text)
    for match in _INTRODUCED.finditer(folded):
        words = _name_words(text[match.end() :], folded[match.end() :])
        if words:
            return _tidy_name(words)
    return None


def _bare_name(text: str) -> str | None:
    """Return a part of the message made only of name-like words ("Juan Pérez", "Ana")."""
    folded = fold_chars(text)
    for start, end in _segments(folded):
        words = _name_words(text[start:end], folded[start:end], whole=True)
        if words:
            return _tidy_name(words)
    return None


def _segments(folded: str) -> list[tuple[int, int]]:
    """Split a message at punctuation and at "y", the way names are set apart."""
    found: list[tuple[int, int]] = []
    start = 0
    for cut in _SEPARATOR.finditer(folded):
        found.append((start, cut.start()))
        start = cut.end()
    found.append((start, len(folded)))
    return found


def _name_words(text: str, folded: str, *, whole: bool = False) -> list[str]:
    """Return the name at the start of `text` (after any filler): up to four name words.

    With `whole`, everything but fillers must be the name, or there is none.
    """
    tokens = [(m.group(), folded[m.start() : m.end()]) for m in _TOKEN.finditer(text)]
    words: list[str] = []
    for index, (word, plain) in enumerate(tokens):
        if not words and plain in _FILLERS:
            if not whole:
                return []  # "soy de Santiago": an introduced name comes right after its words
            continue
        if words and plain in _FILLERS and all(p in _FILLERS for _, p in tokens[index:]):
            break  # "Juan Pérez es mi nombre": the fillers after it end the name
        if plain in _PARTICLES and words and index + 1 < len(tokens):
            words.append(word)  # "María de los Ángeles"
            continue
        if not _NAME_WORD.fullmatch(word) or plain in _NOT_NAMES or plain in _PARTICLES:
            if whole or not words:
                return []
            break
        words.append(word)
        if sum(fold_chars(w) not in _PARTICLES for w in words) > _MOST_NAME_WORDS:
            return [] if whole else words[:-1]
    while words and fold_chars(words[-1]) in _PARTICLES:
        words.pop()
    return words


def _tidy_name(words: list[str]) -> str:
    """Join a name's words; one written all in lower or upper case gets capitals."""
    name = " ".join(words)[:_LONGEST_NAME]
    if name.islower() or name.isupper():
        name = " ".join(
            w.lower() if fold_chars(w) in _PARTICLES else w.capitalize() for w in name.split()
        )
    return name


_AT_WORD = re.compile(r"[^\s@,;:<>()]+@[^\s,;:<>()]*")
_SEPARATOR = re.compile(r"[,;:/|!?¿¡\n()]+|\.(?:\s|$)|\s+(?:y|and)\s+")
_TOKEN = re.compile(r"[^\s,;:/|!?¿¡()]+")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_MOST_NAME_WORDS = 5
_LONGEST_NAME = 120
# "me llamo Ana", "mi nombre es Juan Pérez", "soy Pedro", "a nombre de", "my name is".
_INTRODUCED = re.compile(
    r"(?<![a-z])(?:me llamo|mi nombre es|mi nombre|nombre:?|soy|a nombre de|"
    r"le habla|te habla|les habla|habla|my name is|my name's|name is|name:|this is|i'?m|i am)"
    r"(?![a-z])\s*:?\s*"
)
# Words that join a name's parts, never a name alone.
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "da", "do", "van", "von"})
# Words around contact details that are no part of a name.
_FILLERS = frozenset(
    """si ok okay oki dale claro perfecto listo bueno ya va vale ah oh pues entonces gracias
    porfa porfavor por favor please yes sure yeah ok. es seria sería mi mis el su tu al a
    en de cel celu celular cell telefono tel tlf fono movil numero num no. nro whatsapp wasap
    whats wsp correo email mail e-mail contacto nombre name phone number mobile my is me
    llamame llamenme llameme llamar escribeme escribanme contactame contactenme aqui ahi
    este esta eso ese te le lo que""".split()
)
# Words that can't be a name: a bare message of them asks or says something else.
_NOT_NAMES = frozenset(
    """hola buenas buenos buen dia dias tardes noches saludos klk hey hi hello gracias thanks
    no nah nope tambien despues luego ahora mejor quiero quisiera queria busco necesito tengo
    tiene tienen tienes hay puede pueden puedo podria cuanto cuanta cuantos cual cuales que
    como cuando donde precio precios carro carros yipeta yipetas jeepeta vehiculo vehiculos
    auto autos camioneta guagua financiamiento inicial cliente interesado interesada nuevo
    nueva yo usted ustedes el ella otro otra looking interested here just not also the an
    what when where how price car cars truck thank you your our un una uno unos unas para pa
    con sin ver verla verlo interesa encanta gusta favor porque pero sobre esa ese eso esta
    estoy ando voy vamos y e and o or soy llamo nombre deja dejan dejas dejo llamen llame
    escriban escriba manden mande vendan venda muy mucho muchas muchos mil amable bien mal
    super excelente genial chevere nitido tranquilo igualmente bendiciones perfecto ok""".split()
)


def mentions_phone(text: str, e164: str) -> bool:
    """Tell whether a text holds this phone number, in whatever format it was written.

    "809-555-1234", "(809) 555 1234", "+1 809.555.1234" and "8095551234" all hold +18095551234;
    so does a run of two numbers written side by side ("8095551234 8295559876").
    """
    try:
        national = str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return False
    return any(national in re.sub(r"\D", "", m.group()) for m in _PHONE_LIKE.finditer(text))

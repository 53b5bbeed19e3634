"""Contact details as customers write them: Dominican phone numbers, emails and names."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

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

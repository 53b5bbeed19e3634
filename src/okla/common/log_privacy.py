"""Keep personal data out of the logs: session tokens, phone numbers and email addresses.

Every service logs through the root logger's handlers (the command line sets them up); the
filter on those handlers rewrites each record's text before it is written, whichever library
wrote it. Libraries that would log a request's URL at INFO (httpx, httpcore) are quieted too:
the gateway's URLs carry session tokens.
"""

from __future__ import annotations

import logging
import re

# Secrets that travel in paths (the customer's session token).
_SESSION_PATH = re.compile(r"(/api/chat/session/)[^/?#\s\"']+")
# Phone numbers as customers write them: international (+...), North American/Dominican
# (809 555 1234, (829) 555-1234, 8495551234) and local (555-1234). Dates (2024-05-01),
# times, addresses (127.0.0.1) and ids inside words don't have these shapes.
_PHONE = re.compile(
    r"(?<![\w@.+/-])(?:"
    r"\+\d[\d\s().-]{6,18}\d"
    r"|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}"
    r"|\d{3}[\s.-]\d{4}"
    r")(?![\w@])"
)
_EMAIL = re.compile(r"[^\s@,;:<>()\"'\[\]]+@[^\s@,;:<>()\"'\[\]]+\.[A-Za-z]{2,}")

# Loggers that name every request's URL at INFO.
_CHATTY = ("httpx", "httpcore")


def mask(text: str) -> str:
    """Replace session tokens in paths, phone numbers and email addresses in a text."""
    text = _SESSION_PATH.sub(r"\1[redacted]", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)


class PrivacyFilter(logging.Filter):
    """Mask personal data in every record that passes (installed on handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (and its traceback text) with the data masked."""
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


def protect(root: logging.Logger | None = None) -> None:
    """Put the filter on every handler of the root logger and quiet the URL-logging libraries."""
    root = root or logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, PrivacyFilter) for f in handler.filters):
            handler.addFilter(PrivacyFilter())
    for name in _CHATTY:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)

"""No session token, phone number or email address reaches a log line."""

from __future__ import annotations

import io
import logging

import pytest

from okla.common.log_privacy import PrivacyFilter, mask, protect


@pytest.mark.parametrize(
    "text",
    [
        "809-555-0142", "(829) 555-0187", "849 555 0199", "8095550142", "+1 809 555 0142",
        "+34 612 345 678", "555-0142", "809.555.01.42",
    ],
)  # fmt: skip
def test_phone_numbers_are_masked(text: str) -> None:
    assert mask(f"El cliente dijo: mi número es {text}.") == (
        "El cliente dijo: mi número es [phone]."
    )


def test_emails_and_session_tokens_are_masked() -> None:
    line = 'GET http://127.0.0.1:5060/api/chat/session/AbC-123_x?y=1 "200" ana.perez@example.com'
    assert mask(line) == 'GET http://127.0.0.1:5060/api/chat/session/[redacted]?y=1 "200" [email]'


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-30 13:41:29,764 INFO uvicorn", "127.0.0.1:5060", "took 12.5ms",
        "id=4589fc186b2f40d682e3f4d9c444a20c", "RD$2,700,000", "Toyota RAV4 2023",
        "session 0b6f4a3e-8b1d-4c59-9d0e-7a1c2b3d4e5f",
    ],
)  # fmt: skip
def test_what_is_no_personal_data_is_left_alone(text: str) -> None:
    assert mask(text) == text


def test_the_filter_rewrites_records_and_tracebacks_of_any_logger() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PrivacyFilter())
    logger = logging.getLogger("tests.privacy")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Lead from %s <%s>", "809-555-0142", "ana@example.com")
        try:
            raise ValueError("bad phone 829-555-0187")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Lead from [phone] <[email]>" in written
    assert "bad phone [phone]" in written
    assert "555" not in written


def test_protect_quiets_the_libraries_that_log_urls() -> None:
    root = logging.getLogger("tests.protected-root")
    root.addHandler(logging.NullHandler())
    protect(root)
    assert any(isinstance(f, PrivacyFilter) for f in root.handlers[0].filters)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpcore").isEnabledFor(logging.INFO)


def test_the_session_s_event_stream_path_is_masked() -> None:
    token = "q7WcJ2m1n0xZ-AbCdEfGhIjKlMnOpQrStUvWxYz01234"
    line = f'"GET /api/chat/session/{token}/events HTTP/1.1" 200'
    assert mask(line) == '"GET /api/chat/session/[redacted]/events HTTP/1.1" 200'

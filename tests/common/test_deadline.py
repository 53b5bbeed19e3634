"""The request deadline header's number format, written and read."""

from __future__ import annotations

import pytest

from okla.common.deadline import format_timeout, parse_timeout


@pytest.mark.parametrize(("seconds", "text"), [(60.0, "60"), (2.5, "2.5"), (0.25, "0.25")])
def test_timeouts_are_plain_decimals(seconds: float, text: str) -> None:
    assert format_timeout(seconds) == text
    assert parse_timeout(text) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "0", "-5", "nan", "inf"])
def test_unusable_values_are_none(value: str | None) -> None:
    assert parse_timeout(value) is None

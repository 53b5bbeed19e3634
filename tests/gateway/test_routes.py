"""The route table shipped with the gateway: the booking routes are public and rate-limited."""

from __future__ import annotations

import pytest

from okla.gateway.routes import RouteTable
from okla.gateway.settings import DEFAULT_ROUTES


@pytest.mark.parametrize(
    ("method", "path", "policy"),
    [
        ("POST", "/api/chat/appointments", "chat-booking"),
        ("POST", "/api/chat/appointments/a1/cancel", "chat-booking"),
        ("GET", "/api/chat/appointments/a1.ics", "default"),
    ],
)
def test_the_booking_routes_reach_the_chatbot_without_a_jwt(
    method: str, path: str, policy: str
) -> None:
    table = RouteTable.load(DEFAULT_ROUTES)
    route, params, _ = table.match(method, path)
    assert route is not None
    assert route.service == "chatbot" and not route.roles
    assert route.downstream_path(params) == path
    assert route.rate_limit == policy
    assert table.rate_limits["chat-booking"] == "10/minute"


def test_the_staff_listing_needs_a_staff_jwt() -> None:
    # Agents and managers list their own dealer's bookings: the gateway lets every staff role
    # through and the chatbot scopes the caller to its dealer (auth.py).
    route, _, _ = RouteTable.load(DEFAULT_ROUTES).match("GET", "/api/chatbot/appointments")
    assert route is not None and route.roles == {"agent", "manager", "admin"}

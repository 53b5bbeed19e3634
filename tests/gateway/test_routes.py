"""The route table shipped with the gateway: the booking routes are public and rate-limited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okla.gateway.routes import RouteTable, RouteTableError
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


def test_only_the_message_route_may_resend_a_post_with_a_key() -> None:
    table = RouteTable.load(DEFAULT_ROUTES)
    dedup = {r.upstream for r in table.routes if r.dedups_idempotency_key}
    assert dedup == {"/api/chat/message"}


def test_a_service_may_list_its_replicas(tmp_path: Path) -> None:
    file = tmp_path / "routes.json"
    routes = json.loads(DEFAULT_ROUTES.read_text())
    routes["services"]["chatbot"] = ["http://10.0.0.5:5060/", "http://10.0.0.6:5060"]
    file.write_text(json.dumps(routes))
    table = RouteTable.load(file)
    assert table.services["chatbot"] == ("http://10.0.0.5:5060", "http://10.0.0.6:5060")
    # CHATBOT_URL's list replaces the file's.
    overridden = RouteTable.load(file, {"chatbot": ["http://a:1"]})
    assert overridden.services["chatbot"] == ("http://a:1",)
    for bad in ([], "10.0.0.5:5060", ["http://ok:1", 5]):
        routes["services"]["chatbot"] = bad
        file.write_text(json.dumps(routes))
        with pytest.raises(RouteTableError, match="services.chatbot"):
            RouteTable.load(file)

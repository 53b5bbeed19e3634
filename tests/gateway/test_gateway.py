"""The gateway in front of the real chatbot service: routes, CSRF, JWT, limits, streaming."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import FastAPI, Request

from bench.sse import events
from okla.chatbot.auth import Role
from okla.chatbot.settings import ChatbotSettings
from okla.gateway.app import create_app as create_gateway
from okla.gateway.routes import RouteTable, RouteTableError
from okla.gateway.settings import DEFAULT_ROUTES, GatewaySettings
from tests.utils.chat import ChatClient, chat_settings, serve_chatbot
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.staff import JWT_SECRET, mint, staff_login

pytestmark = pytest.mark.integration

SECRET = JWT_SECRET
DEALER_SITE = "https://dealer.example"


def echo_app() -> FastAPI:
    app = FastAPI()

    @app.api_route("/echo/{rest:path}", methods=["GET", "POST"])
    async def echo(request: Request) -> dict[str, object]:
        return {
            "headers": dict(request.headers),
            "deadlines": request.headers.getlist("x-request-timeout"),
            "body": (await request.body()).decode(),
        }

    return app


@dataclass
class Stack(ChatClient):
    llm: ScriptedLlm
    settings: ChatbotSettings

    def post(self, path: str, body: object, **headers: str) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", json=body, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("gw")
    llm = ScriptedLlm()
    with serve(llm.app()) as llm_url, serve(echo_app()) as echo_url:
        settings = chat_settings(tmp, f"{llm_url}/v1")
        with serve_chatbot(settings) as chat_url:
            routes = json.loads(DEFAULT_ROUTES.read_text())
            routes["services"]["echo"] = echo_url
            routes["rateLimits"]["chat-start"] = "1000/minute"
            routes["rateLimits"]["tight"] = "3/minute"
            routes["routes"] += [
                {"upstream": "/api/echo/{rest}", "methods": ["GET", "POST"], "service": "echo",
                 "downstream": "/echo/{rest}", "timeout": 5},
                {"upstream": "/api/limited/{rest}", "methods": ["GET"], "service": "echo",
                 "downstream": "/echo/{rest}", "rateLimit": "tight"},
            ]  # fmt: skip
            file = tmp / "routes.json"
            file.write_text(json.dumps(routes))
            gateway = GatewaySettings(
                routes_file=file,
                chatbot_url=chat_url,
                allowed_origins=[DEALER_SITE],
                jwt_secret=SECRET,  # type: ignore[arg-type]
            )
            with serve(create_gateway(gateway)) as url:
                yield Stack(url, llm, settings)


def token_for(role: str, secret: str = SECRET, expires_in: int = 300) -> str:
    if expires_in < 0:
        return mint(role=role, secret=secret, lifetime=60, issued_ago=60 - expires_in)
    return mint(role=role, secret=secret, lifetime=expires_in)


def test_public_chat_routes_reach_the_chatbot(stack: Stack) -> None:
    token = stack.start()
    answer = stack.post("/api/chat/message", {"sessionToken": token, "message": "¿Yipetas?"})
    assert answer.status_code == 200
    assert answer.json()["reply"]["vehicles"]
    assert httpx.get(f"{stack.url}/api/chat/session/{token}").status_code == 200
    assert httpx.get(f"{stack.url}/api/chat/health").json()["database"]["status"] == "up"
    ended = stack.post("/api/chat/end", {"sessionToken": token})
    assert ended.json()["status"] == "Ended"


def test_booking_routes_reach_the_chatbot(stack: Stack) -> None:
    token = stack.start()
    past = {"sessionToken": token, "start": "2020-01-06T10:00:00-04:00", "name": "Ana",
            "phone": "809-555-1234"}  # fmt: skip
    refused = stack.post("/api/chat/appointments", past)
    assert refused.status_code == 409
    assert refused.json()["error"]["reason"] == "Past"
    cancel = stack.post("/api/chat/appointments/nope/cancel", {"sessionToken": token})
    assert cancel.json()["error"]["code"] == "appointment_not_found"
    calendar = httpx.get(f"{stack.url}/api/chat/appointments/nope.ics?token=x")
    assert calendar.status_code == 404
    assert calendar.json()["error"]["field"] == "token"  # the chatbot's answer, not the gateway's


def test_unknown_path_is_the_gateway_s_404(stack: Stack) -> None:
    response = httpx.get(f"{stack.url}/api/nothing/here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "No route" in response.json()["error"]["message"]
    wrong_method = httpx.get(f"{stack.url}/api/chat/start")
    assert wrong_method.status_code == 405


def test_cross_site_post_is_refused(stack: Stack) -> None:
    body = {"sessionType": "WebChat"}
    evil = stack.post("/api/chat/start", body, Origin="https://evil.example")
    assert evil.status_code == 403
    assert evil.json()["error"]["code"] == "csrf_origin"
    fetch_site = stack.post("/api/chat/start", body, **{"Sec-Fetch-Site": "cross-site"})
    assert fetch_site.status_code == 403
    null_origin = stack.post("/api/chat/start", body, Origin="null")
    assert null_origin.status_code == 403


def test_same_origin_and_allowed_origins_are_accepted(stack: Stack) -> None:
    body = {"sessionType": "WebChat"}
    same = stack.post(
        "/api/chat/start", body, Origin=stack.url, **{"Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 201
    dealer = stack.post("/api/chat/start", body, Origin=DEALER_SITE)
    assert dealer.status_code == 201
    assert dealer.headers["access-control-allow-origin"] == DEALER_SITE
    preflight = httpx.options(
        f"{stack.url}/api/chat/message",
        headers={
            "Origin": DEALER_SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,idempotency-key",
        },
    )
    assert preflight.status_code == 200
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_chat_posts_must_be_json(stack: Stack, content_type: str) -> None:
    response = httpx.post(
        f"{stack.url}/api/chat/start",
        content=b'{"sessionType": "WebChat"}',
        headers={"Content-Type": content_type, "Origin": stack.url},
    )
    assert response.status_code == 415


def test_cookie_sessions_need_the_double_submit_token(stack: Stack) -> None:
    cookies = {"Cookie": "okla_session=abc; okla_csrf=t0k3n"}
    body = {"sessionType": "WebChat"}
    refused = stack.post("/api/chat/start", body, **cookies)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_token"
    allowed = stack.post("/api/chat/start", body, **cookies, **{"X-CSRF-Token": "t0k3n"})
    assert allowed.status_code == 201


def test_staff_routes_need_a_staff_jwt(stack: Stack) -> None:
    url = f"{stack.url}/api/chatbot/transfers"
    assert httpx.get(url).status_code == 401
    bad = httpx.get(url, headers={"Authorization": "Bearer not-a-jwt"})
    assert bad.status_code == 401
    forged = token_for("admin", secret="another-secret-that-is-long-enough-too")
    assert httpx.get(url, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    expired = token_for("admin", expires_in=-10)
    assert httpx.get(url, headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    # A token expiring 300 years out, or one without iat, never reaches the service.
    for token in (
        token_for("admin", expires_in=300 * 365 * 86400),
        jwt.encode({"sub": "u1", "role": "admin", "exp": int(time.time()) + 60}, SECRET),
    ):
        refused = httpx.get(url, headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 401
    user = token_for("customer")
    assert httpx.get(url, headers={"Authorization": f"Bearer {user}"}).status_code == 403
    # The gateway lets a well-formed staff token through; the chatbot wants it from a login.
    unknown = httpx.get(url, headers={"Authorization": f"Bearer {token_for('admin')}"})
    assert unknown.status_code == 401 and "login" in unknown.json()["error"]["message"]
    admin = staff_login(stack.url, stack.settings, Role.ADMIN, None)
    response = httpx.get(url, headers=admin.headers)
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_a_refresh_cookie_needs_the_double_submit_token(stack: Stack) -> None:
    # Refused by the gateway itself, before any service, even with a Bearer token.
    cookies = {"Cookie": "okla_refresh=r; okla_csrf=t0k3n", "Authorization": "Bearer x"}
    refused = stack.post("/api/echo/a", {}, **cookies)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_token"
    allowed = stack.post("/api/echo/a", {}, **cookies, **{"X-CSRF-Token": "t0k3n"})
    assert allowed.status_code == 200


def test_the_sign_in_routes_need_no_token(stack: Stack) -> None:
    login = stack.post("/api/chatbot/auth/login", {"email": "x@example.com", "password": "y"})
    assert login.status_code == 401
    assert login.json()["error"]["message"] == "Wrong email or password."


def test_rate_limit_gives_429_with_retry_after(stack: Stack) -> None:
    statuses = [httpx.get(f"{stack.url}/api/limited/x").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = httpx.get(f"{stack.url}/api/limited/x")
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"


def test_bodies_over_the_route_limit_are_413(stack: Stack) -> None:
    response = stack.post("/api/chat/message", {"sessionToken": "x", "message": "a" * 20_000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_headers_forwarded_and_request_id(stack: Stack) -> None:
    response = httpx.get(
        f"{stack.url}/api/echo/a?b=1",
        headers={
            "X-Request-ID": "abc-123",
            "X-Forwarded-For": "10.1.2.3",
            "Connection": "close",
            "Keep-Alive": "timeout=5",
        },  # fmt: skip
    )
    seen = response.json()["headers"]
    assert response.headers["x-request-id"] == "abc-123"
    assert seen["x-request-id"] == "abc-123"
    # The client's own claim goes no further: the service hears the address the gateway saw.
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert "keep-alive" not in seen
    generated = httpx.get(f"{stack.url}/api/echo/a")
    assert len(generated.headers["x-request-id"]) == 32
    assert generated.json()["headers"]["x-request-id"] == generated.headers["x-request-id"]
    junk = httpx.get(f"{stack.url}/api/echo/a", headers={"X-Request-ID": "bad id\twith junk"})
    assert junk.headers["x-request-id"] != "bad id\twith junk"


def test_the_route_s_timeout_is_passed_on_as_the_deadline(stack: Stack) -> None:
    # A client's own deadline never passes: the gateway's route timeout is what holds.
    sent = httpx.get(f"{stack.url}/api/echo/a", headers={"X-Request-Timeout": "999"})
    assert sent.json()["deadlines"] == ["5"]
    assert httpx.get(f"{stack.url}/api/echo/a").json()["deadlines"] == ["5"]


def test_sse_passes_through_as_it_is_generated(stack: Stack) -> None:
    token = stack.start()
    stack.llm.reply = (
        "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. Es una yipeta muy cómoda. "
        "También es muy segura. ¿Te gustaría verla?"
    )
    stack.llm.delay = 0.1
    arrivals: list[tuple[float, str]] = []
    try:
        with stack.stream(token, "¿Cuánto cuesta la Bronco Sport?") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            for event in events(response):
                arrivals.append((time.monotonic(), event.name))
    finally:
        stack.llm.reply, stack.llm.delay = "Hola.", 0.0
    deltas = [t for t, name in arrivals if name == "delta"]
    assert len(deltas) >= 2
    # Sentences are released as the model writes them, not all at the end.
    assert deltas[-1] - deltas[0] > 0.3


def test_session_tokens_never_reach_the_access_log(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    token = stack.start()
    with caplog.at_level(logging.INFO, logger="okla.access"):
        httpx.get(f"{stack.url}/api/chat/session/{token}")
        stack.post("/api/chat/message", {"sessionToken": token, "message": "Hola"})
    lines = [r.getMessage() for r in caplog.records if r.name == "okla.access"]
    assert any("/api/chat/session/[redacted]" in line for line in lines)
    assert not any(token in line for line in lines)


def test_health_reports_each_downstream(stack: Stack) -> None:
    body = httpx.get(f"{stack.url}/health").json()
    assert body["gateway"] == "up"
    assert body["services"]["chatbot"]["status"] == "up"
    assert body["services"]["echo"]["status"] in ("up", "degraded")


def test_bad_route_files_are_explained(tmp_path: Path) -> None:
    file = tmp_path / "routes.json"
    file.write_text(json.dumps({"services": {}, "routes": [{"upstream": "/a", "service": "x"}]}))
    with pytest.raises(RouteTableError, match="unknown service 'x'"):
        RouteTable.load(file)
    file.write_text("{not json")
    with pytest.raises(RouteTableError, match="cannot read"):
        RouteTable.load(file)

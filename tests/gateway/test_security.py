"""What a probe of the running stack broke, on the real processes as `okla` runs them.

The chatbot and two gateways run as `okla chat serve` and `okla gateway serve`: one gateway
at the edge, one behind a (pretend) TLS proxy on loopback that it trusts.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from bench.processes import ServerProcess
from okla.gateway.app import create_app as create_gateway
from okla.gateway.settings import GatewaySettings
from tests.utils.processes import launch_chatbot, launch_gateway
from tests.utils.servers import ScriptedLlm, serve
from tests.utils.staff import mint

pytestmark = pytest.mark.integration

SECRET = "test-secret-that-is-long-enough-for-hs256"
KEY = "a-gateway-key-for-the-tests"
DEALER_SITE = "https://dealer.example"
PHONE, OTHER_PHONE, EMAIL = "809-555-0142", "(829) 555-0187", "ana.perez@example.com"


@dataclass
class Running:
    chatbot: ServerProcess
    edge: ServerProcess  # the gateway facing the internet itself
    proxied: ServerProcess  # the gateway behind a TLS proxy on loopback, which it trusts


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("probe")
    llm = ScriptedLlm()
    with serve(llm.app()) as llm_url:
        chatbot = launch_chatbot(
            tmp, f"{llm_url}/v1", env={"GATEWAY_KEY": KEY, "JWT_SECRET": SECRET}
        )
        shared = {"GATEWAY_KEY": KEY, "JWT_SECRET": SECRET, "ALLOWED_ORIGINS": DEALER_SITE}
        edge = launch_gateway(tmp, chatbot.url, env=shared)
        proxied = launch_gateway(tmp, chatbot.url, env={**shared, "TRUSTED_PROXIES": "127.0.0.1"})
        try:
            chatbot.wait_ready("/api/chat/health")
            edge.wait_ready()
            proxied.wait_ready()
            yield Running(chatbot, edge, proxied)
        finally:
            for server in (proxied, edge, chatbot):
                server.stop()


def customer(address: str) -> dict[str, str]:
    """Headers of a request the TLS proxy forwards for a customer at this address."""
    return {"X-Forwarded-For": address}


def start(url: str, **headers: str) -> str:
    response = httpx.post(
        f"{url}/api/chat/start", json={"sessionType": "WebChat"}, headers=headers, timeout=30
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["sessionToken"]
    return token


def admin_token() -> str:
    return mint(sub="ops", role="admin", secret=SECRET)


def test_tokens_phones_and_emails_reach_no_log(running: Running) -> None:
    url, who = running.proxied.url, customer("203.0.113.1")
    token = start(url, **who)
    said = f"Mi número es {PHONE}, el de mi esposa +1 {OTHER_PHONE} y mi correo es {EMAIL}"
    message = httpx.post(
        f"{url}/api/chat/message",
        json={"sessionToken": token, "message": said},
        headers=who,
        timeout=30,
    )
    assert message.status_code == 200, message.text
    transcript = httpx.get(f"{url}/api/chat/session/{token}", headers=who)
    assert EMAIL in transcript.text
    transfer = httpx.post(
        f"{url}/api/chat/transfer",
        json={"sessionToken": token, "reason": f"Llámenme al {OTHER_PHONE}"},
        headers=who,
    )
    assert transfer.status_code == 200
    assert httpx.post(f"{url}/api/chat/end", json={"sessionToken": token}, headers=who).is_success
    time.sleep(0.5)  # the last lines reach the files
    logs = running.chatbot.log_text() + running.proxied.log_text()
    assert "/api/chat/session/[redacted]" in logs  # the requests were logged...
    for secret in (token, token[:12], "555-0142", "5550142", "555-0187", EMAIL, "ana.perez"):
        assert secret not in logs  # ...without what identifies the customer


def test_forged_forwarded_for_gets_no_fresh_rate_limit_bucket(running: Running) -> None:
    # Through the edge gateway: each guess claims another address; the chatbot counts them
    # all against the one client the gateway saw.
    statuses = [
        httpx.get(
            f"{running.edge.url}/api/chat/session/wrong-{i}", headers=customer(f"198.51.100.{i}")
        ).status_code
        for i in range(40)
    ]
    assert statuses[:30] == [404] * 30
    assert set(statuses[30:]) == {429}
    # Straight to the chatbot from this machine, without the gateway's key: the header is
    # not the gateway's word either, and the same bucket is still empty.
    direct = [
        httpx.get(
            f"{running.chatbot.url}/api/chat/session/wrong-x{i}",
            headers=customer(f"198.51.100.{100 + i}"),
        ).status_code
        for i in range(5)
    ]
    assert direct == [429] * 5


def test_behind_a_trusted_proxy_each_customer_has_its_own_bucket(running: Running) -> None:
    url = running.proxied.url
    answers = [
        httpx.post(f"{url}/api/chat/start", json={}, headers=customer("203.0.113.10"), timeout=30)
        for _ in range(21)
    ]
    first = [a.status_code for a in answers]
    assert first[:20] == [201] * 20, [a.text for a in answers if a.status_code != 201]
    assert first[20] == 429  # the route's 20/minute
    assert start(url, **customer("203.0.113.11"))  # the next customer is not locked out


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style" or (tag == "script" and "src" not in names):
            self.inline.append(tag)
        self.inline += [f"{tag} {name}" for name in names if name == "style" or name[:2] == "on"]


@pytest.mark.parametrize("page", ["/", "/agent.html"])
def test_pages_have_a_policy_and_no_inline_code(running: Running, page: str) -> None:
    response = httpx.get(f"{running.edge.url}{page}")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    if page == "/":
        assert f"frame-ancestors 'self' {DEALER_SITE}" in policy
    else:
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    markup = _Markup()
    markup.feed(response.text)
    assert markup.inline == []


def test_personal_data_is_not_cached_and_replies_name_no_server(running: Running) -> None:
    who = customer("203.0.113.30")
    token = start(running.proxied.url, **who)
    response = httpx.get(f"{running.proxied.url}/api/chat/session/{token}", headers=who)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers.get_list("server") == []
    assert len(response.headers.get_list("date")) == 1
    assert "server" not in httpx.get(f"{running.chatbot.url}/metrics").headers
    assert "server" not in httpx.get(f"{running.edge.url}/").headers


def test_api_docs_are_off_at_the_gateway(running: Running) -> None:
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert httpx.get(f"{running.edge.url}{path}").status_code == 404


def test_api_docs_when_asked_load_no_script(tmp_path: Path) -> None:
    with serve(create_gateway(GatewaySettings(gateway_docs=True))) as url:
        docs = httpx.get(f"{url}/docs")
        assert docs.status_code == 200
        assert "<script" not in docs.text and "cdn" not in docs.text.lower()
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "OKLA gateway"
        assert httpx.get(f"{url}/redoc").status_code == 404


def test_the_test_page_is_served_only_when_asked(running: Running) -> None:
    assert httpx.get(f"{running.edge.url}/chat-test.html").status_code == 404
    assert httpx.get(f"{running.edge.url}/chat-test.js").status_code == 404
    with serve(create_gateway(GatewaySettings(gateway_test_pages=True))) as url:
        assert httpx.get(f"{url}/chat-test.html").status_code == 200
        script = httpx.get(f"{url}/chat-test.js").text
        # It talks to its own origin only: no address is taken from the page's URL.
        assert "location.search" not in script and "URLSearchParams" not in script
        assert re.search(r"fetch\(path", script)


def test_health_says_up_or_down_to_strangers(running: Running) -> None:
    stranger = customer("203.0.113.40")
    for path in ("/health", "/api/chat/health"):
        public = httpx.get(f"{running.proxied.url}{path}", headers=stranger)
        assert public.status_code == 200
        assert public.json() == {"status": "up"}
    admin = {**stranger, "Authorization": f"Bearer {admin_token()}"}
    detailed = httpx.get(f"{running.proxied.url}/health", headers=admin).json()
    assert detailed["services"]["chatbot"]["url"] == running.chatbot.url
    chatbot = httpx.get(f"{running.proxied.url}/api/chat/health", headers=admin).json()
    assert chatbot["llm"]["baseUrl"].startswith("http://127.0.0.1")
    # On the machine itself (the process manager, an operator's curl), the details show.
    local = httpx.get(f"{running.edge.url}/health").json()
    assert local["services"]["chatbot"]["status"] == "up"


def _hold(url: str, head: bytes, drip: bytes, every: float) -> tuple[float, bytes]:
    """Send a request head, then `drip` every `every` seconds until the server hangs up;
    return how long that took and what the server said."""
    host, port = url.removeprefix("http://").split(":")
    began = time.monotonic()
    said = b""
    with socket.create_connection((host, int(port))) as conn:
        conn.settimeout(every)
        conn.sendall(head)
        while time.monotonic() - began < 40:
            try:
                data = conn.recv(1024)
            except TimeoutError:
                try:
                    conn.sendall(drip)
                except OSError:
                    break
                continue
            except OSError:
                break
            if not data:
                break
            said += data
    return time.monotonic() - began, said


def _slow_head(url: str, results: dict[str, tuple[float, bytes]], name: str) -> None:
    """A request head sent one header line every 3 s."""
    results[name] = _hold(url, b"GET /health HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n", 3.0)


def _slow_body(url: str, results: dict[str, tuple[float, bytes]], name: str) -> None:
    """A body sent one byte a second."""
    head = (
        b"POST /api/chat/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n"
    )
    results[name] = _hold(url, head, b" ", 1.0)


def test_slow_clients_are_cut(running: Running) -> None:
    # HEADER_TIMEOUT_SECONDS (10) and BODY_TIMEOUT_SECONDS (15), the shipped defaults.
    results: dict[str, tuple[float, bytes]] = {}
    threads = [
        threading.Thread(target=_slow_head, args=(server.url, results, f"head-{name}"))
        for name, server in (("chatbot", running.chatbot), ("gateway", running.edge))
    ]
    threads += [
        threading.Thread(target=_slow_body, args=(running.edge.url, results, f"body-{i}"))
        for i in range(40)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    heads = [t for name, (t, _said) in results.items() if name.startswith("head")]
    bodies = [t for name, (t, _said) in results.items() if name.startswith("body")]
    assert len(heads) == 2 and len(bodies) == 40
    assert all(9 <= t <= 14 for t in heads), heads
    assert all(results[n][1].startswith(b"HTTP/1.1 408") for n in ("head-chatbot", "head-gateway"))
    assert all(14 <= t <= 20 for t in bodies), bodies
    # The service still answers the others.
    assert httpx.get(f"{running.edge.url}/health").status_code == 200

"""Several chatbot replicas behind one gateway: balancing, health, and retries only if safe."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from bench.processes import free_port
from okla.gateway.app import create_app
from okla.gateway.settings import GatewaySettings
from tests.utils.replicas import FakeReplica, dropping_replica, metric
from tests.utils.servers import serve

JSON = {"Content-Type": "application/json"}


@contextmanager
def gateway(*urls: str, **settings: object) -> Iterator[str]:
    """Serve a gateway in front of the given replicas; yield its URL."""
    values: dict[str, object] = {
        "chatbot_url": ",".join(urls),
        "upstream_probe_seconds": 3600,  # the probe at start only, unless a test asks
        "upstream_down_seconds": 60,
    }
    values.update(settings)
    with serve(create_app(GatewaySettings(**values))) as url:  # type: ignore[arg-type]
        yield url


@contextmanager
def replicas(*fakes: FakeReplica) -> Iterator[list[str]]:
    with ExitStack() as stack:
        yield [stack.enter_context(serve(fake.app())) for fake in fakes]


def metrics(url: str) -> str:
    return httpx.get(f"{url}/metrics").text


def message(url: str, key: str | None = None, path: str = "/api/chat/message") -> httpx.Response:
    headers = JSON | ({"Idempotency-Key": key} if key else {})
    body = {"sessionToken": "t", "message": "Hola"}
    return httpx.post(f"{url}{path}", json=body, headers=headers, timeout=10)


def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


def test_requests_are_spread_over_the_replicas() -> None:
    fakes = [FakeReplica("a"), FakeReplica("b"), FakeReplica("c")]
    with replicas(*fakes) as urls, gateway(*urls) as url:
        answers = [httpx.get(f"{url}/api/chat/dealers").json()["replica"] for _ in range(30)]
        assert sorted(set(answers)) == ["a", "b", "c"]
        # One at a time, none is busier than another: they take turns.
        assert [len(f.hits) for f in fakes] == [10, 10, 10]
        text = metrics(url)
        for upstream in urls:
            assert metric(text, "okla_gateway_upstream_requests_total", upstream=upstream) == 10
            assert metric(text, "okla_gateway_upstream_up", upstream=upstream) == 1
        assert metric(text, "okla_gateway_upstream_retries_total") == 0


def test_a_replica_that_refuses_connections_is_skipped_and_comes_back() -> None:
    fake = FakeReplica("a")
    port = free_port()
    down = f"http://127.0.0.1:{port}"  # nothing listens there yet
    with replicas(fake) as (up,), gateway(up, down, upstream_probe_seconds=0.2) as url:
        statuses = [httpx.get(f"{url}/api/chat/dealers").status_code for _ in range(6)]
        assert statuses == [200] * 6
        assert len(fake.hits) == 6
        text = metrics(url)
        assert metric(text, "okla_gateway_upstream_up", upstream=down) == 0
        assert metric(text, "okla_gateway_upstream_skips_total", upstream=down) >= 5
        # The service still serves: the gateway's health says so, and which replica is down.
        health = httpx.get(f"{url}/health")
        assert health.status_code == 200
        chatbot = health.json()["services"]["chatbot"]
        assert chatbot["status"] == "degraded"
        assert {r["url"]: r["status"] for r in chatbot["replicas"]} == {up: "up", down: "down"}
        # It heals: the probe finds it and requests reach it again.
        healed = FakeReplica("b")
        with serve(healed.app(), port=port):
            eventually(lambda: metric(metrics(url), "okla_gateway_upstream_up", upstream=down) == 1)
            for _ in range(4):
                assert httpx.get(f"{url}/api/chat/dealers").status_code == 200
            assert len(healed.hits) == 2


def test_connection_refused_is_resent_for_any_method() -> None:
    # The request never reached the refusing replica: even a message without a key is safe.
    fake = FakeReplica("a")
    down = f"http://127.0.0.1:{free_port()}"
    # Skipped for a moment only, so requests keep trying it.
    with replicas(fake) as (up,), gateway(down, up, upstream_down_seconds=0.01) as url:
        for _ in range(6):
            assert message(url).status_code == 200
            time.sleep(0.02)
        assert fake.hits == ["POST /api/chat/message"] * 6
        assert metric(metrics(url), "okla_gateway_upstream_retries_total", reason="connect") >= 1


def test_a_dropped_message_without_a_key_is_not_sent_again() -> None:
    fake = FakeReplica("a")
    with dropping_replica() as dropper, replicas(fake) as (up,), gateway(dropper.url, up) as url:
        answers = [message(url) for _ in range(4)]
        # The dropping replica got one message (then was skipped): it may have stored it, so
        # the gateway did not send it again, and the customer is told to retry.
        assert dropper.dropped == ["POST /api/chat/message"]
        failed = [a for a in answers if a.status_code != 200]
        assert len(failed) == 1 and failed[0].status_code == 502
        assert "retry" in failed[0].json()["error"]["message"]
        assert failed[0].headers["retry-after"] == "2"
        assert len(fake.hits) == 3
        text = metrics(url)
        assert metric(text, "okla_gateway_upstream_unretried_total", reason="unsafe") == 1
        assert metric(text, "okla_gateway_upstream_retries_total") == 0


def test_a_dropped_message_with_a_key_goes_to_another_replica() -> None:
    fake = FakeReplica("a")
    with dropping_replica() as dropper, replicas(fake) as (up,), gateway(dropper.url, up) as url:
        keys = [str(uuid.uuid4()) for _ in range(4)]
        answers = [message(url, key) for key in keys]
        assert [a.status_code for a in answers] == [200] * 4
        assert [a.json()["key"] for a in answers] == keys  # the same key, resent
        assert dropper.dropped == ["POST /api/chat/message"]
        text = metrics(url)
        assert metric(text, "okla_gateway_upstream_retries_total", reason="dropped") == 1
        assert metric(text, "okla_gateway_upstream_requests_total", outcome="error") == 1


def test_a_key_on_a_route_that_does_not_dedup_is_not_resent() -> None:
    # Only the message route stores a key's result: a session start with a key is not safe.
    fake = FakeReplica("a")
    with dropping_replica() as dropper, replicas(fake) as (up,), gateway(dropper.url, up) as url:
        answers = [message(url, str(uuid.uuid4()), path="/api/chat/start") for _ in range(3)]
        assert sorted(a.status_code for a in answers) == [200, 200, 502]
        assert dropper.dropped == ["POST /api/chat/start"]


def test_a_replica_answering_503_is_skipped_for_a_safe_request() -> None:
    failing = FakeReplica("a", status=503)  # healthy to the probe, failing its requests
    fine = FakeReplica("b")
    with replicas(failing, fine) as urls, gateway(*urls) as url:
        answers = [httpx.get(f"{url}/api/chat/dealers") for _ in range(4)]
        assert [a.json()["replica"] for a in answers] == ["b"] * 4
        assert len(failing.hits) == 1
        text = metrics(url)
        assert metric(text, "okla_gateway_upstream_retries_total", reason="status") == 1
        assert metric(text, "okla_gateway_upstream_up", upstream=urls[0]) == 0


def test_the_last_replica_standing_answers_as_it_does() -> None:
    # Every replica down: the request is still tried (one may have healed); the last answer,
    # or the refusal, reaches the client as a clear 503 with Retry-After.
    fakes = [FakeReplica("a", status=503, health=503), FakeReplica("b", status=503, health=503)]
    with replicas(*fakes) as urls, gateway(*urls) as url:
        answer = httpx.get(f"{url}/api/chat/dealers")
        assert answer.status_code == 503
        assert sum(len(f.hits) for f in fakes) == 2
    nowhere = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    with gateway(*nowhere) as url:
        answer = message(url)
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "2"
        assert "retry" in answer.json()["error"]["message"]
        text = metrics(url)
        assert metric(text, "okla_gateway_upstream_unretried_total", reason="exhausted") == 1
        assert httpx.get(f"{url}/health").status_code == 503


def test_metrics_are_not_for_strangers() -> None:
    fake = FakeReplica("a")
    with replicas(fake) as urls, gateway(*urls, trusted_proxies=["127.0.0.1"]) as url:
        stranger = httpx.get(f"{url}/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert stranger.status_code == 404
        assert urls[0] not in stranger.text
        assert "okla_gateway_upstream_up" in httpx.get(f"{url}/metrics").text
    # A Prometheus elsewhere is let in by its network.
    scraper = {"X-Forwarded-For": "10.1.2.3"}
    allowed = {"trusted_proxies": ["127.0.0.1"], "metrics_networks": ["10.1.0.0/16"]}
    with replicas(fake) as urls, gateway(*urls, **allowed) as url:
        assert httpx.get(f"{url}/metrics", headers=scraper).status_code == 200
        other = httpx.get(f"{url}/metrics", headers={"X-Forwarded-For": "10.2.0.1"})
        assert other.status_code == 404
    with pytest.raises(ValueError, match="metrics_networks"):
        GatewaySettings(metrics_networks=["10.0.0.0/33"])


@pytest.mark.parametrize(
    ("value", "problem"),
    [("ftp://a:1", "not an http"), ("http://a:1,http://a:1/", "named twice")],
)
def test_bad_chatbot_urls_stop_the_start(value: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as caught:
        GatewaySettings(chatbot_url=value)
    assert "chatbot_url" in str(caught.value)


def test_chatbot_url_lists_replicas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_URL", " http://10.0.0.5:5060/ , http://10.0.0.6:5060")
    settings = GatewaySettings()
    assert settings.chatbot_replicas == ["http://10.0.0.5:5060", "http://10.0.0.6:5060"]
    assert GatewaySettings(chatbot_url="http://a:1").chatbot_replicas == ["http://a:1"]
    monkeypatch.setenv("CHATBOT_URL", "")
    assert GatewaySettings().chatbot_replicas == []  # the route file's URL, then

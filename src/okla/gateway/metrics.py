"""Prometheus metrics of the gateway, kept in a registry owned by one app."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class GatewayMetrics:
    """Where the gateway sent requests, and what it did when a replica failed."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "okla_gateway_upstream_requests",
            "Requests sent to each replica of a service, by outcome: the status class "
            "(2xx, 3xx, 4xx, 5xx), error (no answer: connection refused or dropped) or timeout.",
            ["service", "upstream", "outcome"],
            registry=self.registry,
        )
        self.retries = Counter(
            "okla_gateway_upstream_retries",
            "Requests sent again to another replica after one failed, by what failed "
            "(connect: never reached it; dropped: the connection broke before an answer; "
            "status: it answered 502, 503 or 504).",
            ["service", "reason"],
            registry=self.registry,
        )
        self.unretried = Counter(
            "okla_gateway_upstream_unretried",
            "Failed requests not sent again, by why: unsafe (a POST without an "
            "Idempotency-Key that may have reached the service) or exhausted (no replica left).",
            ["service", "reason"],
            registry=self.registry,
        )
        self.skips = Counter(
            "okla_gateway_upstream_skips",
            "Times a replica was passed over because it was marked down.",
            ["service", "upstream"],
            registry=self.registry,
        )
        self.up = Gauge(
            "okla_gateway_upstream_up",
            "1 while the gateway sends requests to the replica, 0 while it is marked down.",
            ["service", "upstream"],
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "okla_gateway_upstream_in_flight",
            "Requests a replica is answering now (bodies still streaming included).",
            ["service", "upstream"],
            registry=self.registry,
        )

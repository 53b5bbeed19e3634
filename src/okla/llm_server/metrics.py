"""Prometheus metrics of the LLM server, kept in a registry owned by one app."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
_TTFT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class LlmMetrics:
    """The server's counters, histograms and gauges."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "okla_llm_requests",
            "Chat completion requests by outcome "
            "(ok, length, cancelled, rejected, invalid, unauthorized, error).",
            ["outcome"],
            registry=self.registry,
        )
        self.prompt_tokens = Counter(
            "okla_llm_prompt_tokens", "Prompt tokens processed.", registry=self.registry
        )
        self.completion_tokens = Counter(
            "okla_llm_completion_tokens", "Completion tokens generated.", registry=self.registry
        )
        self.ttft = Histogram(
            "okla_llm_time_to_first_token_seconds",
            "Time from request arrival to the first generated token.",
            buckets=_TTFT_BUCKETS,
            registry=self.registry,
        )
        self.latency = Histogram(
            "okla_llm_request_duration_seconds",
            "Time from request arrival to the end of the response.",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.queue_wait = Histogram(
            "okla_llm_queue_wait_seconds",
            "Time a request waited in the queue before generation started.",
            buckets=_TTFT_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "okla_llm_queue_depth", "Requests waiting for the model.", registry=self.registry
        )
        self.in_flight = Gauge(
            "okla_llm_requests_in_flight",
            "Requests accepted and not finished (generating or waiting).",
            registry=self.registry,
        )
        self.model_ready = Gauge(
            "okla_llm_model_ready",
            "1 once the model is loaded and serving.",
            registry=self.registry,
        )

    def bind_gauges(
        self,
        queue_depth: Callable[[], float],
        in_flight: Callable[[], float],
        ready: Callable[[], float],
    ) -> None:
        """Read the gauges from the engine at scrape time."""
        self.queue_depth.set_function(queue_depth)
        self.in_flight.set_function(in_flight)
        self.model_ready.set_function(ready)

"""Prometheus metrics of the chatbot service, kept in a registry owned by one app."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ChatMetrics:
    """The service's counters, histograms and gauges."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.sessions = Counter(
            "okla_chat_sessions_started", "Chat sessions started.", registry=self.registry
        )
        self.replies = Counter(
            "okla_chat_replies",
            "Replies by source (model, fallback, human-pending).",
            ["source"],
            registry=self.registry,
        )
        self.guard = Counter(
            "okla_chat_guard_rejections",
            "Parts of model replies kept from the customer, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.llm = Counter(
            "okla_chat_llm_calls",
            "Calls to the LLM by outcome (ok, abandoned: given up on as off course, error, "
            "timeout, breaker_open).",
            ["outcome"],
            registry=self.registry,
        )
        self.llm_latency = Histogram(
            "okla_chat_llm_seconds",
            "Time the LLM took for one reply.",
            buckets=(0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120),
            registry=self.registry,
        )
        self.reply_latency = Histogram(
            "okla_chat_reply_seconds",
            "Time from a customer's message to the stored reply.",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60),
            registry=self.registry,
        )
        self.breaker_state = Gauge(
            "okla_chat_llm_breaker_state",
            "LLM circuit breaker: 0 closed, 1 half-open, 2 open.",
            registry=self.registry,
        )
        self.breaker_opened = Gauge(
            "okla_chat_llm_breaker_opened", "Times the breaker opened.", registry=self.registry
        )
        self.cache_degraded = Gauge(
            "okla_chat_cache_degraded",
            "1 while Redis is configured but unreachable.",
            registry=self.registry,
        )

    def bind(
        self,
        breaker_state: Callable[[], float],
        breaker_opened: Callable[[], float],
        cache_degraded: Callable[[], float],
    ) -> None:
        """Read the gauges at scrape time."""
        self.breaker_state.set_function(breaker_state)
        self.breaker_opened.set_function(breaker_opened)
        self.cache_degraded.set_function(cache_degraded)

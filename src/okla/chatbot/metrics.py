"""Prometheus metrics of the chatbot service, kept in a registry owned by one app."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.registry import Collector


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
            "Model replies by outcome: called (ok, abandoned: given up on as off course, error, "
            "timeout, busy: refused at once by a full LLM) or not (breaker_open, busy: no free "
            "slot, template_mode: ANSWER_MODE=template, unqualified: the model hasn't passed "
            "its exam).",
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

        self.qualification_runs = Counter(
            "okla_chat_llm_qualification_runs",
            "Qualification exams of the model, by verdict (passed, failed, error).",
            ["verdict"],
            registry=self.registry,
        )
        self.qualification_pass_rate = Gauge(
            "okla_chat_llm_qualification_pass_rate",
            "Share of the last exam's turns whose model text passed the guard (NaN before one).",
            registry=self.registry,
        )
        self.qualification_time = Gauge(
            "okla_chat_llm_qualification_timestamp_seconds",
            "When the last exam ended, Unix time (0 before one).",
            registry=self.registry,
        )
        self.model_enabled = Gauge(
            "okla_chat_llm_model_enabled",
            "1 while searches are answered in the model's words (checked), 0 while templates "
            "answer them.",
            registry=self.registry,
        )
        self.llm_slots_in_use = Gauge(
            "okla_chat_llm_slots_in_use",
            "Model calls running from this process (at most LLM_CONCURRENCY).",
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

    def register(self, collectors: Iterable[Collector]) -> None:
        """Add metrics kept elsewhere (the LLM router's) to this registry."""
        for collector in collectors:
            self.registry.register(collector)

    def bind_answer_mode(
        self,
        pass_rate: Callable[[], float],
        finished_at: Callable[[], float],
        model_enabled: Callable[[], float],
        slots_in_use: Callable[[], float],
    ) -> None:
        """Read the answer mode's gauges at scrape time."""
        self.qualification_pass_rate.set_function(pass_rate)
        self.qualification_time.set_function(finished_at)
        self.model_enabled.set_function(model_enabled)
        self.llm_slots_in_use.set_function(slots_in_use)

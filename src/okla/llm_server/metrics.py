"""Prometheus metrics of the LLM server, kept in a registry owned by one app."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from okla.llm_server.scheduler import StepStats

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
_TTFT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_BATCH_TOKEN_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
_BATCH_SEQUENCE_BUCKETS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64)


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
        self.cache_hit_tokens = Counter(
            "okla_llm_prompt_cache_hit_tokens",
            "Prompt tokens whose KV memory was reused from an earlier request (not decoded).",
            registry=self.registry,
        )
        self.batch_tokens = Histogram(
            "okla_llm_batch_tokens",
            "Tokens decoded per llama.cpp decode step (every sequence's, prompts included).",
            buckets=_BATCH_TOKEN_BUCKETS,
            registry=self.registry,
        )
        self.batch_sequences = Histogram(
            "okla_llm_batch_sequences",
            "Sequences (conversations) decoded together per step.",
            buckets=_BATCH_SEQUENCE_BUCKETS,
            registry=self.registry,
        )
        self.batch_runs = Histogram(
            "okla_llm_batch_runs",
            "Runs of consecutive sequence ids per step (llama.cpp decodes one pass per run).",
            buckets=_BATCH_SEQUENCE_BUCKETS,
            registry=self.registry,
        )
        self.slot_moves = Counter(
            "okla_llm_slot_moves",
            "Running requests moved next to the others (KV memory swapped with an idle slot).",
            registry=self.registry,
        )
        self.draft_tokens = Counter(
            "okla_llm_draft_tokens",
            "Tokens guessed ahead by speculation and decoded to be checked.",
            registry=self.registry,
        )
        self.draft_accepted_tokens = Counter(
            "okla_llm_draft_accepted_tokens",
            "Guessed tokens the sampler agreed with (each saved a decode step).",
            registry=self.registry,
        )
        self.slots_busy = Gauge(
            "okla_llm_slots_busy", "Slots decoding a request.", registry=self.registry
        )
        self.slots_total = Gauge(
            "okla_llm_slots_total", "Slots (N_PARALLEL).", registry=self.registry
        )
        self.cached_tokens = Gauge(
            "okla_llm_slot_cached_tokens",
            "Tokens kept in the slots' KV memory for the conversations' next turns.",
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
        slots_busy: Callable[[], float],
        slots_total: Callable[[], float],
        cached_tokens: Callable[[], float],
    ) -> None:
        """Read the gauges from the engine at scrape time."""
        self.queue_depth.set_function(queue_depth)
        self.in_flight.set_function(in_flight)
        self.model_ready.set_function(ready)
        self.slots_busy.set_function(slots_busy)
        self.slots_total.set_function(slots_total)
        self.cached_tokens.set_function(cached_tokens)

    def observe_step(self, step: StepStats) -> None:
        """Record one decode step's batch (called on the engine thread; the client locks)."""
        self.batch_tokens.observe(step.tokens)
        self.batch_sequences.observe(step.sequences)
        self.batch_runs.observe(step.runs)
        if step.moves:
            self.slot_moves.inc(step.moves)
        if step.drafted:
            self.draft_tokens.inc(step.drafted)
            self.draft_accepted_tokens.inc(step.accepted)

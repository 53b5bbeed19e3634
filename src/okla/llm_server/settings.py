"""Configuration of the LLM server, read from the environment (the seed's names)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from okla.llm_server.speculation import SpeculationConfig, SpeculationMode


def _default_threads() -> int:
    return max(1, os.cpu_count() or 1)


class LlmServerSettings(BaseSettings):
    """Settings of `okla llm serve`; CLI flags override the environment."""

    # An empty variable means "not set" (compose files and Kubernetes Secrets write them so).
    model_config = SettingsConfigDict(
        env_prefix="",
        case_sensitive=False,
        extra="ignore",
        protected_namespaces=(),
        env_ignore_empty=True,
    )

    model_path: Path | None = Field(
        default=None,
        description="GGUF file to serve; empty means the bundled SmolLM2-135M-Instruct.",
    )
    model_alias: str | None = Field(
        default=None, description="Model id reported by the API; defaults to the file's name."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    n_ctx: int = Field(default=2048, ge=64, description="Context window in tokens.")
    n_gpu_layers: int = Field(default=0, ge=-1, description="Layers offloaded to a GPU build.")
    n_threads: int = Field(default_factory=_default_threads, ge=1)
    n_batch: int = Field(
        default=512, ge=1, description="Most tokens decoded in one step (prompt processing)."
    )
    n_parallel: int = Field(
        default=4,
        ge=1,
        le=256,
        description="Conversations decoded together in one batch; each has N_CTX tokens of KV "
        "memory, kept after its request as that conversation's prompt cache.",
    )
    prompt_chunk: int = Field(
        default=64,
        ge=1,
        description="Prompt tokens decoded per step while other replies stream, so a newcomer's "
        "prompt never freezes them (alone, a prompt goes N_BATCH tokens at a time).",
    )
    kv_cache_type: Literal["bf16", "q8_0", "f16", "f32"] = Field(
        default="bf16",
        description="KV cache element type. bf16 and q8_0 make every reply independent of what "
        "else shares its batch (q8_0 also halves the memory); f16 is llama.cpp's default.",
    )
    speculation: SpeculationMode = Field(
        default=SpeculationMode.NGRAM,
        description="Guess tokens ahead: 'ngram' drafts a reply's next tokens from where its last "
        "few tokens appeared earlier in the prompt or reply, as many as are worth their cost, and "
        "verifies them in the same decode step (replies don't change); 'off' decodes one token "
        "per step.",
    )
    speculation_ngram_min: int = Field(
        default=2, ge=1, le=16, description="Shortest tail of a reply looked up in its context."
    )
    speculation_ngram_max: int = Field(
        default=4, ge=1, le=16, description="Longest tail looked up (the longest match wins)."
    )
    speculation_draft_max: int = Field(
        default=8, ge=1, le=64, description="Most tokens drafted for one sequence in one step."
    )
    speculation_step_budget: int = Field(
        default=8,
        ge=1,
        le=512,
        description="Most draft tokens in one step over all streaming sequences (with several "
        "streaming, each drafts an equal share or none does).",
    )
    speculation_token_cost: Annotated[float, Field(ge=0.0)] | Literal["auto"] = Field(
        default="auto",
        description="What one drafted token costs, as a share of a one-token decode step: a "
        "token is drafted only while the chance it is kept is above it. 'auto' measures it as "
        "the server runs (about 0.5 on a CPU, near 0 on a GPU); 0 drafts every guess whole.",
    )
    max_tokens: int = Field(default=200, ge=1, description="Upper bound on tokens per reply.")
    max_queue: int = Field(
        default=4, ge=0, description="Requests that may wait while every slot is generating."
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="If set, /v1/* and /info require 'Authorization: Bearer <API_KEY>'; "
        "required when listening beyond loopback.",
    )
    allow_no_api_key: bool = Field(
        default=False,
        description="Serve without API_KEY on an address beyond loopback (not recommended).",
    )

    @field_validator("api_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @model_validator(mode="after")
    def _ngram_sizes_in_order(self) -> LlmServerSettings:
        if self.speculation_ngram_min > self.speculation_ngram_max:
            raise ValueError(
                f"SPECULATION_NGRAM_MIN ({self.speculation_ngram_min}) must not exceed "
                f"SPECULATION_NGRAM_MAX ({self.speculation_ngram_max})"
            )
        return self

    def speculation_config(self) -> SpeculationConfig | None:
        """Return the prompt-lookup parameters, or None when speculation is off."""
        if self.speculation is SpeculationMode.OFF:
            return None
        return SpeculationConfig(
            ngram_min=self.speculation_ngram_min,
            ngram_max=self.speculation_ngram_max,
            draft_max=self.speculation_draft_max,
            step_budget=self.speculation_step_budget,
            token_cost=None
            if self.speculation_token_cost == "auto"
            else float(self.speculation_token_cost),
        )

    def open_without_key(self) -> bool:
        """Tell whether the server would listen beyond loopback with no key (and may not)."""
        from okla.common.forwarded import is_loopback

        return self.api_key is None and not self.allow_no_api_key and not is_loopback(self.host)

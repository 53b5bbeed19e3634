"""The llama.cpp engine: one model, one context, one generation at a time, a bounded queue."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import ctypes
import io
import logging
import math
import random
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from okla.llm_server.errors import (
    ContextLengthExceededError,
    ModelLoadError,
    ModelNotReadyError,
    QueueFullError,
)
from okla.llm_server.model_file import (
    FILE_TYPES,
    llama_cpp_python_version,
    read_gguf_header,
    resolve_model_path,
    upgrade_hint,
)
from okla.llm_server.settings import LlmServerSettings

logger = logging.getLogger("okla.llm_server")

# Used when a GGUF carries no chat template: ChatML is what most small instruct models expect.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

VOCAB_TYPES = {0: "none", 1: "SPM", 2: "BPE", 3: "WPM", 4: "UGM", 5: "RWKV", 6: "PLaMo2"}

EngineState = Literal["loading", "ready", "failed", "stopped"]
FinishReason = Literal["stop", "length", "cancelled"]


@dataclass(frozen=True)
class SamplingParams:
    """How to sample one reply."""

    max_tokens: int
    temperature: float = 0.7
    top_p: float = 1.0
    seed: int | None = None
    stop: tuple[str, ...] = ()
    logit_bias: tuple[tuple[int, float], ...] = ()
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0


@dataclass(frozen=True)
class TextEvent:
    """New text of the reply."""

    text: str


@dataclass(frozen=True)
class FinishEvent:
    """The reply is complete."""

    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int


@dataclass(frozen=True)
class ErrorEvent:
    """Generation failed inside llama.cpp."""

    message: str


Event = TextEvent | FinishEvent | ErrorEvent


@dataclass
class ModelInfo:
    """What the GGUF file says about the model, plus the runtime settings."""

    path: Path
    alias: str
    name: str
    architecture: str
    description: str
    parameters: int
    quantization: str
    bits_per_weight: float
    size_bytes: int
    file_size_bytes: int
    gguf_version: int
    tensor_count: int
    vocab_size: int
    vocab_type: str
    context_length_train: int
    bos_token: dict[str, Any] | None
    eos_token: dict[str, Any] | None
    chat_format: str
    chat_template: str | None
    metadata: dict[str, str]


class GenerationJob:
    """One request's generation: queued, then run on the engine thread, streamed back."""

    def __init__(
        self,
        prompt_tokens: list[int],
        params: SamplingParams,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.prompt_tokens = prompt_tokens
        self.params = params
        self.enqueued_at = time.perf_counter()
        self.started_at: float | None = None
        self.first_token_at: float | None = None
        self.completion_tokens = 0
        self._loop = loop
        # Events cross from the engine thread in a locked list; the loop is woken once per
        # batch, not once per token, so a busy loop doesn't slow generation down.
        self._inbox: list[Event] = []
        self._inbox_lock = threading.Lock()
        self._wake_pending = False
        self._arrived = asyncio.Event()
        self._cancelled = threading.Event()
        self._on_cancel: Callable[[GenerationJob], None] | None = None

    @property
    def cancelled(self) -> bool:
        """Tell whether the client went away."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop this generation at the next token, or drop it from the queue."""
        if self._cancelled.is_set():
            return
        self._cancelled.set()
        if self._on_cancel is not None:
            self._on_cancel(self)

    def finish_unstarted(self) -> None:
        """End a job that never reached the engine (called on the event loop)."""
        with self._inbox_lock:
            self._inbox.append(FinishEvent("cancelled", len(self.prompt_tokens), 0, 0))
        self._arrived.set()

    def emit(self, event: Event) -> None:
        """Hand an event from the engine thread to the request's event loop."""
        with self._inbox_lock:
            self._inbox.append(event)
            if self._wake_pending:
                return
            self._wake_pending = True
        self._loop.call_soon_threadsafe(self._arrived.set)

    def _take(self) -> list[Event]:
        with self._inbox_lock:
            batch, self._inbox = self._inbox, []
            self._wake_pending = False
            self._arrived.clear()
        return batch

    async def events(self) -> AsyncIterator[Event]:
        """Yield the reply's events until it finishes or fails."""
        while True:
            await self._arrived.wait()
            for event in self._take():
                yield event
                if not isinstance(event, TextEvent):
                    return


class _LlamaLogTap:
    """Keep llama.cpp's recent log lines, to explain load failures in plain words."""

    # ggml_log_level: 1 debug, 2 info, 3 warn, 4 error, 5 continues the previous line.
    _LEVELS = {1: logging.DEBUG, 2: logging.DEBUG, 3: logging.WARNING, 4: logging.ERROR}

    def __init__(self) -> None:
        self.lines: deque[tuple[int, str]] = deque(maxlen=200)
        self._partial = ""
        self._level = logging.DEBUG
        self._callback: Any = None

    def install(self) -> None:
        import llama_cpp

        def on_log(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
            if level != 5:
                self._level = self._LEVELS.get(level, logging.DEBUG)
            chunk = self._partial + text.decode("utf-8", errors="replace")
            *complete, self._partial = chunk.split("\n")
            for line in complete:
                if line.strip():
                    self.lines.append((self._level, line))
                    logger.log(self._level, "llama.cpp: %s", line)

        # The C library keeps only a raw pointer: the ctypes wrapper must outlive it.
        self._callback = llama_cpp.llama_log_callback(on_log)
        llama_cpp.llama_log_set(self._callback, ctypes.c_void_p(0))

    def errors(self) -> list[str]:
        """Return the recent lines that explain a failure."""
        return [line for level, line in self.lines if level >= logging.ERROR]


# llama.cpp's logger is process-wide, so the tap that replaces it is too.
_LOG_TAP = _LlamaLogTap()


class LlamaEngine:
    """Own the llama.cpp model and context; run one generation at a time on one thread."""

    def __init__(self, settings: LlmServerSettings) -> None:
        self.settings = settings
        self.model_path: Path | None = settings.model_path
        self.state: EngineState = "loading"
        self.load_error: str | None = None
        self.info: ModelInfo | None = None
        self.started_at = time.time()
        self.requests_served = 0
        self._llama: Any = None
        self._formatter: Any = None
        self._eog: Callable[[int], bool] = lambda _token: False
        self._piece: Callable[[int], bytes] = lambda _token: b""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
        self._waiting: deque[GenerationJob] = deque()
        self._running: GenerationJob | None = None
        self._wakeup = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self._recent: deque[tuple[int, float]] = deque(maxlen=32)
        self._recent_durations: deque[float] = deque(maxlen=32)
        # Called on the event loop when the engine is done with a job, cancelled or not.
        self.on_job_done: Callable[[GenerationJob], None] | None = None

    # Lifecycle

    async def load(self) -> None:
        """Load the model on the engine thread; never raise, record the outcome instead."""
        loop = asyncio.get_running_loop()
        try:
            self.info = await loop.run_in_executor(self._executor, self._load_sync)
        except ModelLoadError as exc:
            self.state = "failed"
            self.load_error = str(exc)
            logger.error("Model failed to load: %s", exc)
            return
        self.state = "ready"
        self._scheduler = asyncio.create_task(self._schedule(), name="llama-scheduler")
        logger.info(
            "Model ready: %s (%s, %s) from %s",
            self.info.alias,
            self.info.architecture,
            self.info.quantization,
            self.model_path,
        )

    async def close(self) -> None:
        """Cancel every job, stop the scheduler and free the model."""
        self.state = "stopped"
        for job in list(self._waiting):
            job.cancel()
        if self._running is not None:
            self._running.cancel()
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._free_sync)
        self._executor.shutdown(wait=True)

    def _free_sync(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None

    def _load_sync(self) -> ModelInfo:
        self.model_path = path = resolve_model_path(self.settings.model_path)
        header = read_gguf_header(path)
        try:
            import llama_cpp
            from llama_cpp import llama_chat_format
        except ImportError as exc:
            raise ModelLoadError(
                "llama-cpp-python is not installed; install the LLM server's extra with "
                "'pip install \"okla[llm]\"' (it compiles llama.cpp, about 5 minutes). "
                f"Import error: {exc}"
            ) from exc
        _LOG_TAP.install()
        s = self.settings
        # verbose=False would redirect the process's stdout/stderr file descriptors while
        # loading; keep them, and swallow the Python-level chatter instead.
        chatter = io.StringIO()
        try:
            with contextlib.redirect_stderr(chatter), contextlib.redirect_stdout(chatter):
                llama = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=s.n_ctx,
                    n_batch=min(s.n_batch, s.n_ctx),
                    n_ubatch=min(s.n_batch, s.n_ctx),
                    n_threads=s.n_threads,
                    n_threads_batch=s.n_threads,
                    n_gpu_layers=s.n_gpu_layers,
                    verbose=True,
                )
        except Exception as exc:
            said = _LOG_TAP.errors()[-5:]
            reason = "; ".join(said) if said else str(exc)
            raise ModelLoadError(
                f"llama.cpp could not load {path} (GGUF v{header.version}, "
                f"{header.tensor_count} tensors): {reason}. {upgrade_hint()}"
            ) from exc
        logger.debug("llama.cpp load output:\n%s", chatter.getvalue())
        self._llama = llama
        model = llama._model
        vocab = model.vocab
        self._eog = lambda token: bool(llama_cpp.llama_token_is_eog(vocab, token))
        self._piece = _PieceReader(vocab)
        meta: dict[str, str] = dict(llama.metadata)

        def token_info(token_id: int) -> dict[str, Any] | None:
            if token_id < 0:
                return None
            return {"id": token_id, "text": model.token_get_text(token_id)}

        bos_id, eos_id = model.token_bos(), model.token_eos()
        bos, eos = token_info(bos_id), token_info(eos_id)
        template = meta.get("tokenizer.chat_template")
        chat_format = (
            llama_chat_format.guess_chat_format_from_gguf_metadata(meta) or "gguf chat template"
            if template
            else "chatml (fallback: the file has no chat template)"
        )
        self._formatter = llama_chat_format.Jinja2ChatFormatter(
            template=template or CHATML_TEMPLATE,
            eos_token=eos["text"] if eos else "",
            bos_token=bos["text"] if bos else "",
        )
        params = model.n_params()
        size = model.size()
        file_type = meta.get("general.file_type")
        quant = FILE_TYPES.get(int(file_type), f"type {file_type}") if file_type else "unknown"
        arch = meta.get("general.architecture", "unknown")
        name = meta.get("general.name") or path.stem
        return ModelInfo(
            path=path,
            alias=self.settings.model_alias or _alias_from(path.stem),
            name=name,
            architecture=arch,
            description=model.desc(),
            parameters=params,
            quantization=quant,
            bits_per_weight=round(size * 8 / params, 2) if params else 0.0,
            size_bytes=size,
            file_size_bytes=path.stat().st_size,
            gguf_version=header.version,
            tensor_count=header.tensor_count,
            vocab_size=model.n_vocab(),
            vocab_type=VOCAB_TYPES.get(model.vocab_type(), str(model.vocab_type())),
            context_length_train=model.n_ctx_train(),
            bos_token=bos,
            eos_token=eos,
            chat_format=chat_format,
            chat_template=template,
            metadata=meta,
        )

    # Requests

    @property
    def ready(self) -> bool:
        """Tell whether the model is loaded and serving."""
        return self.state == "ready"

    def require_ready(self) -> ModelInfo:
        """Return the model info, or raise a 503 explaining why the model isn't there."""
        if self.state == "ready" and self.info is not None:
            return self.info
        if self.state == "loading":
            raise ModelNotReadyError("The model is still loading; retry in a few seconds.")
        raise ModelNotReadyError(f"The model is not available: {self.load_error or self.state}.")

    def tokenize_chat(self, messages: Sequence[dict[str, str]]) -> list[int]:
        """Render the conversation with the model's chat template and tokenize it."""
        self.require_ready()
        n_ctx = self.settings.n_ctx
        # No token is anywhere near 64 bytes; don't let a huge body occupy the tokenizer.
        if sum(len(m["content"].encode()) for m in messages) > n_ctx * 64:
            raise ContextLengthExceededError(
                f"The messages are far longer than the context window of {n_ctx} tokens.",
                param="messages",
            )
        try:
            rendered = self._formatter(messages=list(messages))
        except Exception as exc:  # jinja raises whatever the template chooses to
            raise ContextLengthExceededError(
                f"The chat template rejected these messages: {exc}", param="messages"
            ) from exc
        tokens: list[int] = self._llama.tokenize(
            rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True
        )
        if len(tokens) >= n_ctx:
            raise ContextLengthExceededError(
                f"This model's context window is {n_ctx} tokens, but the messages take "
                f"{len(tokens)} tokens (and the reply needs at least one more). "
                "Shorten the messages or raise N_CTX.",
                param="messages",
            )
        return tokens

    def submit(self, prompt_tokens: list[int], params: SamplingParams) -> GenerationJob:
        """Queue a generation, or refuse at once with 503 if the queue is full."""
        self.require_ready()
        if self._running is not None and len(self._waiting) >= self.settings.max_queue:
            retry_after = self.retry_after_seconds()
            raise QueueFullError(
                f"The model is busy: {len(self._waiting)} requests are already waiting "
                f"(MAX_QUEUE={self.settings.max_queue}). Retry in {retry_after} s.",
                retry_after=retry_after,
            )
        job = GenerationJob(prompt_tokens, params, asyncio.get_running_loop())
        job._on_cancel = self._forget
        self._waiting.append(job)
        self._wakeup.set()
        return job

    def _forget(self, job: GenerationJob) -> None:
        # A client that leaves the queue gives its place back at once.
        try:
            self._waiting.remove(job)
        except ValueError:
            return  # already running: the engine thread sees the flag and finishes it
        job.finish_unstarted()

    def retry_after_seconds(self) -> int:
        """Estimate when a place in the queue frees up."""
        avg = (
            sum(self._recent_durations) / len(self._recent_durations)
            if self._recent_durations
            else 2.0
        )
        return max(1, min(60, math.ceil(avg * (len(self._waiting) + 1))))

    @property
    def queue_depth(self) -> int:
        """Return how many requests wait for the model."""
        return len(self._waiting)

    @property
    def in_flight(self) -> int:
        """Return how many requests are generating or waiting."""
        return len(self._waiting) + (1 if self._running is not None else 0)

    def recent_tokens_per_second(self) -> float | None:
        """Return the generation speed over the last replies."""
        tokens = sum(n for n, _ in self._recent)
        seconds = sum(t for _, t in self._recent)
        return round(tokens / seconds, 2) if seconds > 0 else None

    async def _schedule(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._waiting:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            job = self._waiting.popleft()
            self._running = job
            job.started_at = time.perf_counter()
            try:
                # Shielded: even if the scheduler is cancelled, the thread finishes its job
                # before anything else may touch the context.
                await asyncio.shield(loop.run_in_executor(self._executor, self._generate, job))
            finally:
                self._running = None
                self.requests_served += 1
                self._recent_durations.append(time.perf_counter() - job.enqueued_at)
                if self.on_job_done is not None:
                    self.on_job_done(job)

    # The engine thread

    def _generate(self, job: GenerationJob) -> None:
        try:
            self._generate_unsafe(job)
        except Exception as exc:  # a llama.cpp failure must not kill the scheduler
            logger.exception("Generation failed")
            job.emit(ErrorEvent(f"Generation failed: {exc}"))

    def _generate_unsafe(self, job: GenerationJob) -> None:
        from llama_cpp import _internals

        llama = self._llama
        params = job.params
        prompt = job.prompt_tokens
        n_prompt = len(prompt)
        if job.cancelled:
            job.emit(FinishEvent("cancelled", n_prompt, 0, 0))
            return
        max_tokens = min(params.max_tokens, self.settings.n_ctx - n_prompt)

        sampler = _internals.LlamaSampler()
        try:
            n_vocab = llama.n_vocab()
            if params.logit_bias:
                sampler.add_logit_bias(n_vocab, dict(params.logit_bias))
            if params.presence_penalty or params.frequency_penalty:
                sampler.add_penalties(
                    n_vocab=n_vocab,
                    penalty_last_n=64,
                    penalty_repeat=1.0,
                    penalty_freq=params.frequency_penalty,
                    penalty_present=params.presence_penalty,
                )
            if params.temperature == 0.0:
                sampler.add_greedy()
            else:
                seed = params.seed if params.seed is not None else random.getrandbits(32)
                sampler.add_top_p(params.top_p, 1)
                sampler.add_temp(params.temperature)
                sampler.add_dist(seed)

            cached = self._reuse_prefix(prompt)
            # Prompt processing in n_batch chunks, so a cancelled request stops early.
            step = llama.n_batch
            for start in range(cached, n_prompt, step):
                if job.cancelled:
                    job.emit(FinishEvent("cancelled", n_prompt, 0, cached))
                    return
                llama.eval(prompt[start : start + step])

            decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
            stops = params.stop
            pending = ""
            produced = 0
            finish: FinishReason = "length"
            ctx = llama._ctx
            while produced < max_tokens:
                if job.cancelled:
                    finish = "cancelled"
                    break
                token = sampler.sample(ctx, -1)
                if self._eog(token):
                    finish = "stop"
                    break
                produced += 1
                job.completion_tokens = produced
                if job.first_token_at is None:
                    job.first_token_at = time.perf_counter()
                pending += decoder.decode(self._piece(token))
                if stops:
                    cut = _find_stop(pending, stops)
                    if cut is not None:
                        if cut:
                            job.emit(TextEvent(pending[:cut]))
                        pending = ""
                        finish = "stop"
                        break
                    hold = _held_back(pending, stops)
                else:
                    hold = 0
                if len(pending) > hold:
                    job.emit(TextEvent(pending[: len(pending) - hold]))
                    pending = pending[len(pending) - hold :]
                if produced < max_tokens:
                    llama.eval([token])
            if finish != "stop":
                pending += decoder.decode(b"", final=True)
                if pending and finish != "cancelled":
                    job.emit(TextEvent(pending))
            if job.first_token_at is not None:
                self._recent.append((produced, time.perf_counter() - job.first_token_at))
            job.emit(FinishEvent(finish, n_prompt, produced, cached))
        finally:
            sampler.close()

    def _reuse_prefix(self, prompt: list[int]) -> int:
        """Keep the KV cache of the longest prefix shared with the previous prompt."""
        llama = self._llama
        n_past = llama.n_tokens
        common = 0
        if n_past > 0:
            limit = min(n_past, len(prompt))
            previous = llama.input_ids[:limit].tolist()
            while common < limit and previous[common] == prompt[common]:
                common += 1
        # At least one prompt token must be evaluated to get fresh logits to sample from.
        common = min(common, len(prompt) - 1)
        if common > 0 and llama._ctx.kv_cache_seq_rm(-1, common, -1):
            llama.n_tokens = common
            return common
        llama.reset()
        llama._ctx.kv_cache_seq_rm(-1, 0, -1)
        return 0


class _PieceReader:
    """Turn one token into its bytes (special tokens render as nothing)."""

    def __init__(self, vocab: Any) -> None:
        import llama_cpp

        self._to_piece = llama_cpp.llama_token_to_piece
        self._vocab = vocab
        self._buffer = ctypes.create_string_buffer(256)

    def __call__(self, token: int) -> bytes:
        n = self._to_piece(self._vocab, token, self._buffer, len(self._buffer), 0, False)
        if n < 0:  # the piece is longer than the buffer: grow it once and retry
            self._buffer = ctypes.create_string_buffer(-n)
            n = self._to_piece(self._vocab, token, self._buffer, len(self._buffer), 0, False)
        return self._buffer.raw[:n]


def _find_stop(text: str, stops: Sequence[str]) -> int | None:
    positions = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(positions) if positions else None


def _held_back(text: str, stops: Sequence[str]) -> int:
    """Return how many trailing characters could start a stop sequence."""
    hold = 0
    for stop in stops:
        for k in range(min(len(stop) - 1, len(text)), hold, -1):
            if text.endswith(stop[:k]):
                hold = k
                break
    return hold


def _alias_from(stem: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem.strip().lower())
    return cleaned.strip("-") or "model"


def versions() -> dict[str, str]:
    """Return the llama-cpp-python version and llama.cpp's build description."""
    result = {"llama_cpp_python": llama_cpp_python_version()}
    try:
        import llama_cpp

        result["llama_cpp_system_info"] = llama_cpp.llama_print_system_info().decode().strip()
    except ImportError:
        pass
    return result

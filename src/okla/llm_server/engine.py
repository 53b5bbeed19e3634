"""The llama.cpp engine: one model, one context, N_PARALLEL sequences, a bounded queue."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import io
import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from okla.llm_server.errors import (
    ContextLengthExceededError,
    InvalidRequestError,
    ModelLoadError,
    ModelNotReadyError,
    QueueFullError,
)
from okla.llm_server.jobs import GenerationJob, SamplingParams
from okla.llm_server.model_file import (
    FILE_TYPES,
    llama_cpp_python_version,
    read_gguf_header,
    resolve_model_path,
    upgrade_hint,
)
from okla.llm_server.native import KV_CACHE_TYPES, PieceReader
from okla.llm_server.prompt_cache import common_prefix
from okla.llm_server.scheduler import LoadedModel, Scheduler, StepStats
from okla.llm_server.settings import LlmServerSettings

logger = logging.getLogger("okla.llm_server")

# Used when a GGUF carries no chat template: ChatML is what most small instruct models expect.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Stands for a message's text while the chat template renders (private-use characters, which
# the template's own markup never holds).
_PLACEHOLDER = "\ue000okla-message-{}\ue001"
_PLACEHOLDERS = re.compile("\ue000okla-message-(\\d+)\ue001")
_PLACEHOLDER_EDGE = re.compile("[\ue000\ue001]")

VOCAB_TYPES = {0: "none", 1: "SPM", 2: "BPE", 3: "WPM", 4: "UGM", 5: "RWKV", 6: "PLaMo2"}

EngineState = Literal["loading", "ready", "failed", "stopped"]


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
    """Own the model and its one context; decode up to N_PARALLEL requests in each batch."""

    def __init__(self, settings: LlmServerSettings) -> None:
        self.settings = settings
        self.model_path: Path | None = settings.model_path
        self.state: EngineState = "loading"
        self.load_error: str | None = None
        self.info: ModelInfo | None = None
        self.started_at = time.time()
        self._model: Any = None
        self._context: Any = None
        self._formatter: Any = None
        self._formatter_bare: Any = None  # without the assistant's opening
        self._scheduler: Scheduler | None = None
        # The one thread that touches the context: it loads the model, runs the scheduler
        # and frees everything.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
        self._running: asyncio.Future[None] | None = None
        self._recent_durations: deque[float] = deque(maxlen=32)
        # Called on the event loop when the engine is done with a job, cancelled or not.
        self.on_job_done: Callable[[GenerationJob], None] | None = None
        # Called on the engine thread after every decode step.
        self.on_step: Callable[[StepStats], None] | None = None

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
        scheduler = self._scheduler
        assert scheduler is not None
        self.state = "ready"
        self._running = loop.run_in_executor(self._executor, scheduler.run)
        logger.info(
            "Model ready: %s (%s, %s) from %s; %d slots of %d tokens, KV cache %s",
            self.info.alias,
            self.info.architecture,
            self.info.quantization,
            self.model_path,
            self.settings.n_parallel,
            self.settings.n_ctx,
            self.settings.kv_cache_type,
        )

    async def close(self) -> None:
        """Cancel every job, stop the engine thread and free the model."""
        self.state = "stopped"
        if self._scheduler is not None:
            self._scheduler.stop()
        if self._running is not None:
            with contextlib.suppress(Exception):
                await self._running
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._free_sync)
        self._executor.shutdown(wait=True)

    def _free_sync(self) -> None:
        # The context before the model it belongs to.
        for handle in (self._context, self._model):
            if handle is not None:
                handle.close()
        self._context = self._model = None

    def _load_sync(self) -> ModelInfo:
        self.model_path = path = resolve_model_path(self.settings.model_path)
        header = read_gguf_header(path)
        try:
            import llama_cpp
            from llama_cpp import _internals, llama_chat_format
        except ImportError as exc:
            raise ModelLoadError(
                "llama-cpp-python is not installed; install the LLM server's extra with "
                "'pip install \"okla[llm]\"' (it compiles llama.cpp, about 5 minutes). "
                f"Import error: {exc}"
            ) from exc
        _LOG_TAP.install()
        s = self.settings
        model_params = llama_cpp.llama_model_default_params()
        model_params.n_gpu_layers = 0x7FFFFFFF if s.n_gpu_layers < 0 else s.n_gpu_layers
        n_batch = max(s.n_batch, s.n_parallel)
        ctx_params = llama_cpp.llama_context_default_params()
        # One KV stream of N_CTX cells per slot, as llama-server does with --parallel.
        ctx_params.n_ctx = s.n_ctx * s.n_parallel
        ctx_params.n_batch = n_batch
        ctx_params.n_ubatch = n_batch
        ctx_params.n_seq_max = s.n_parallel
        ctx_params.n_threads = s.n_threads
        ctx_params.n_threads_batch = s.n_threads
        ctx_params.kv_unified = False
        # With flash attention and a bf16 or q8_0 KV cache, llama.cpp's CPU kernels compute
        # every row alone: a reply is the same whatever else shares its batch.
        ctx_params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
        ctx_params.type_k = ctx_params.type_v = KV_CACHE_TYPES[s.kv_cache_type]
        ctx_params.no_perf = True
        # verbose=False would redirect the process's stdout/stderr file descriptors while
        # loading; keep them, and swallow the Python-level chatter instead.
        chatter = io.StringIO()
        model = context = None
        try:
            with contextlib.redirect_stderr(chatter), contextlib.redirect_stdout(chatter):
                model = _internals.LlamaModel(
                    path_model=str(path), params=model_params, verbose=True
                )
                context = _internals.LlamaContext(model=model, params=ctx_params, verbose=True)
        except Exception as exc:
            if model is not None:
                model.close()
            said = _LOG_TAP.errors()[-5:]
            reason = "; ".join(said) if said else str(exc)
            raise ModelLoadError(
                f"llama.cpp could not load {path} (GGUF v{header.version}, "
                f"{header.tensor_count} tensors) with N_CTX={s.n_ctx}, "
                f"N_PARALLEL={s.n_parallel}, KV_CACHE_TYPE={s.kv_cache_type}: {reason}. "
                f"{upgrade_hint()}"
            ) from exc
        logger.debug("llama.cpp load output:\n%s", chatter.getvalue())
        self._model, self._context = model, context
        vocab = model.vocab
        meta: dict[str, str] = model.metadata()

        def token_info(token_id: int) -> dict[str, Any] | None:
            if token_id < 0:
                return None
            return {"id": token_id, "text": model.token_get_text(token_id)}

        bos, eos = token_info(model.token_bos()), token_info(model.token_eos())
        template = meta.get("tokenizer.chat_template")
        chat_format = (
            llama_chat_format.guess_chat_format_from_gguf_metadata(meta) or "gguf chat template"
            if template
            else "chatml (fallback: the file has no chat template)"
        )
        self._formatter, self._formatter_bare = (
            llama_chat_format.Jinja2ChatFormatter(
                template=template or CHATML_TEMPLATE,
                eos_token=eos["text"] if eos else "",
                bos_token=bos["text"] if bos else "",
                add_generation_prompt=generation_prompt,
            )
            for generation_prompt in (True, False)
        )
        is_eog = llama_cpp.llama_vocab_is_eog
        self._scheduler = Scheduler(
            LoadedModel(
                context=context,
                n_vocab=model.n_vocab(),
                n_ctx_seq=int(llama_cpp.llama_n_ctx_seq(context.ctx)),
                is_eog=lambda token: bool(is_eog(vocab, token)),
                piece=PieceReader(vocab),
            ),
            n_parallel=s.n_parallel,
            n_batch=n_batch,
            prompt_chunk=s.prompt_chunk,
            speculation=s.speculation_config(),
            on_step=lambda stats: self.on_step(stats) if self.on_step else None,
            on_done=self._job_done,
        )
        params = model.n_params()
        size = model.size()
        file_type = meta.get("general.file_type")
        quant = FILE_TYPES.get(int(file_type), f"type {file_type}") if file_type else "unknown"
        return ModelInfo(
            path=path,
            alias=self.settings.model_alias or _alias_from(path.stem),
            name=meta.get("general.name") or path.stem,
            architecture=meta.get("general.architecture", "unknown"),
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
            tokens = self._render(self._formatter, messages)
        except InvalidRequestError:
            raise
        except Exception as exc:  # jinja raises whatever the template chooses to
            raise ContextLengthExceededError(
                f"The chat template rejected these messages: {exc}", param="messages"
            ) from exc
        if len(tokens) >= n_ctx:
            raise ContextLengthExceededError(
                f"This model's context window is {n_ctx} tokens, but the messages take "
                f"{len(tokens)} tokens (and the reply needs at least one more). "
                "Shorten the messages or raise N_CTX.",
                param="messages",
            )
        return tokens

    def conversation_anchor(
        self, messages: Sequence[dict[str, str]], prompt: list[int]
    ) -> int | None:
        """Return where the first user message's text ends in `prompt`, or None if unknown.

        Two requests that agree up to there are turns of one conversation (the prompt cache
        continues it in its own slot); agreeing only on the system prompt doesn't make them so.
        """
        first = next((i for i, m in enumerate(messages) if m["role"] == "user"), None)
        if first is None:
            return None
        head = [dict(m) for m in messages[: first + 1]]
        try:
            upto = self._render(self._formatter_bare, head)
            empty = self._render(self._formatter_bare, [*head[:-1], {**head[-1], "content": ""}])
        except Exception:  # a template that refuses a partial conversation: no anchor
            return None
        content_start = common_prefix(empty, upto)
        closing = len(empty) - content_start  # the template's tokens after a message's text
        end = min(len(upto) - closing, common_prefix(upto, prompt))
        # The text's last token may merge with what follows it in a later prompt.
        if end - 1 > content_start:
            end -= 1
        return end if end > content_start else None

    def _render(self, formatter: Any, messages: Sequence[dict[str, str]]) -> list[int]:
        """Render the conversation with the chat template and tokenize it, messages as text.

        The template's own markup (<|im_start|>, <|im_end|>...) is read as the control tokens
        it stands for; what a customer or an advisor wrote is read as letters only, so
        '<|im_end|>' in a message can't close its turn and forge a system turn. The template
        is rendered with a placeholder for each message's text; each placeholder is then
        tokenized as text, the template around it with special tokens.
        """
        contents = [m["content"] for m in messages]
        marked = [{**m, "content": _PLACEHOLDER.format(i)} for i, m in enumerate(messages)]
        rendered = formatter(messages=marked)
        # Tokenizing reads only the vocabulary, never the context the engine thread decodes in.
        model = self._model
        tokens: list[int] = []
        start = 0
        for found in _PLACEHOLDERS.finditer(rendered.prompt):
            markup = rendered.prompt[start : found.start()]
            tokens += self._markup_tokens(markup, first=start == 0, rendered=rendered)
            tokens += model.tokenize(
                contents[int(found.group(1))].encode("utf-8"), add_bos=False, special=False
            )
            start = found.end()
        tokens += self._markup_tokens(rendered.prompt[start:], first=start == 0, rendered=rendered)
        return tokens

    def _markup_tokens(self, markup: str, *, first: bool, rendered: Any) -> list[int]:
        if _PLACEHOLDER_EDGE.search(markup):
            # The template cut or changed a message's text: it can't be kept literal.
            raise InvalidRequestError(
                "This model's chat template rewrites message text, so it cannot be kept "
                "apart from the template's control tokens.",
                param="messages",
            )
        add_bos = first and not rendered.added_special
        tokens: list[int] = self._model.tokenize(
            markup.encode("utf-8"), add_bos=add_bos, special=True
        )
        return tokens

    def submit(
        self, prompt_tokens: list[int], params: SamplingParams, anchor: int | None = None
    ) -> GenerationJob:
        """Queue a generation, or refuse at once with 503 if the queue is full."""
        self.require_ready()
        scheduler = self._scheduler
        assert scheduler is not None
        job = GenerationJob(prompt_tokens, params, asyncio.get_running_loop(), anchor)
        if not scheduler.enqueue(job, self.settings.max_queue):
            retry_after = self.retry_after_seconds()
            raise QueueFullError(
                f"The model is busy: {scheduler.n_parallel} requests are generating and "
                f"{scheduler.waiting} are waiting (N_PARALLEL={scheduler.n_parallel}, "
                f"MAX_QUEUE={self.settings.max_queue}). Retry in {retry_after} s.",
                retry_after=retry_after,
            )
        job.on_cancel = self._forget
        return job

    def _forget(self, job: GenerationJob) -> None:
        # A client that leaves the queue gives its place back at once; a running job is
        # ended by the engine thread at its next step.
        scheduler = self._scheduler
        if scheduler is not None and scheduler.withdraw(job):
            job.finish_unstarted()
            self._job_done(job)

    def _job_done(self, job: GenerationJob) -> None:
        self._recent_durations.append(time.perf_counter() - job.enqueued_at)
        if self.on_job_done is not None:
            self.on_job_done(job)

    def retry_after_seconds(self) -> int:
        """Estimate when a place in the queue frees up."""
        avg = (
            sum(self._recent_durations) / len(self._recent_durations)
            if self._recent_durations
            else 2.0
        )
        rounds = math.ceil((self.queue_depth + 1) / max(1, self.settings.n_parallel))
        return max(1, min(60, math.ceil(avg * rounds)))

    @property
    def queue_depth(self) -> int:
        """Return how many requests wait for a slot."""
        return self._scheduler.waiting if self._scheduler else 0

    @property
    def slots_busy(self) -> int:
        """Return how many slots are decoding a request."""
        return self._scheduler.busy if self._scheduler else 0

    @property
    def in_flight(self) -> int:
        """Return how many requests are generating or waiting."""
        return self.queue_depth + self.slots_busy

    @property
    def requests_served(self) -> int:
        """Return how many requests reached a slot and ended."""
        return self._scheduler.served if self._scheduler else 0

    def cached_tokens(self) -> int:
        """Return how many tokens the slots keep in KV memory for later turns."""
        return self._scheduler.cached_tokens() if self._scheduler else 0

    def recent_tokens_per_second(self) -> float | None:
        """Return one stream's generation speed over the last replies."""
        recent = list(self._scheduler.recent) if self._scheduler else []
        tokens = sum(n for n, _ in recent)
        seconds = sum(t for _, t in recent)
        return round(tokens / seconds, 2) if seconds > 0 else None


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

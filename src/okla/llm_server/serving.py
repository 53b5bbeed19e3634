"""The chat-completions serving class: OpenAI requests in, engine jobs out."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator

from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from okla.llm_server.engine import LlamaEngine
from okla.llm_server.errors import (
    ContextLengthExceededError,
    InvalidRequestError,
    LlmServerError,
    QueueFullError,
)
from okla.llm_server.jobs import (
    ErrorEvent,
    FinishEvent,
    GenerationJob,
    SamplingParams,
    TextEvent,
)
from okla.llm_server.metrics import LlmMetrics
from okla.llm_server.protocol import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    Choice,
    ChunkChoice,
    Delta,
    PromptTokensDetails,
    ResponseMessage,
    Usage,
)
from okla.llm_server.settings import LlmServerSettings


class OpenAIServingChat:
    """Serve POST /v1/chat/completions on one engine."""

    def __init__(
        self, engine: LlamaEngine, metrics: LlmMetrics, settings: LlmServerSettings
    ) -> None:
        self.engine = engine
        self.metrics = metrics
        self.settings = settings

    async def create_chat_completion(
        self, request: ChatCompletionRequest, raw_request: Request
    ) -> Response:
        """Answer one chat completion, streamed or not."""
        arrived = time.perf_counter()
        try:
            job = self._submit(request)
        except LlmServerError as exc:
            outcome = "rejected" if isinstance(exc, QueueFullError) else "invalid"
            if exc.status_code == 503 and not isinstance(exc, QueueFullError):
                outcome = "unavailable"
            self.metrics.requests.labels(outcome=outcome).inc()
            raise
        self.metrics.prompt_tokens.inc(len(job.prompt_tokens))
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        model = self.engine.require_ready().alias
        if request.stream:
            include_usage = bool(request.stream_options and request.stream_options.include_usage)
            # A plain streaming response of ready-framed events: the reply's tokens are the
            # hot path, and a general SSE response's per-event work (a cancel scope per send,
            # building an event object) cost about a tenth of a 2-core machine's decode speed.
            return StreamingResponse(
                _framed(self._stream(job, completion_id, model, arrived, include_usage)),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return await self._complete(job, completion_id, model, arrived, raw_request)

    def _submit(self, request: ChatCompletionRequest) -> GenerationJob:
        info = self.engine.require_ready()
        messages = [
            {
                # Chat templates know system, not OpenAI's newer name for it.
                "role": "system" if m.role == "developer" else m.role,
                "content": m.text(),
            }
            for m in request.messages
        ]
        prompt = self.engine.tokenize_chat(messages)
        requested = request.requested_max_tokens()
        max_tokens = min(requested or self.settings.max_tokens, self.settings.max_tokens)
        room = self.settings.n_ctx - len(prompt)
        if room < 1:
            raise ContextLengthExceededError(
                f"The prompt takes {len(prompt)} of the {self.settings.n_ctx} tokens of the "
                "context window; nothing is left for the reply.",
                param="messages",
            )
        bias: list[tuple[int, float]] = []
        for key, value in (request.logit_bias or {}).items():
            if not key.lstrip("-").isdigit() or not 0 <= int(key) < info.vocab_size:
                raise InvalidRequestError(
                    f"logit_bias keys must be token ids between 0 and {info.vocab_size - 1}; "
                    f"got {key!r}.",
                    param="logit_bias",
                )
            bias.append((int(key), value))
        params = SamplingParams(
            max_tokens=min(max_tokens, room),
            temperature=request.temperature,
            top_p=request.top_p,
            seed=request.seed,
            stop=tuple(request.stop_list()),
            logit_bias=tuple(bias),
            presence_penalty=request.presence_penalty,
            frequency_penalty=request.frequency_penalty,
        )
        return self.engine.submit(prompt, params, self.engine.conversation_anchor(messages, prompt))

    def _record(
        self, job: GenerationJob, finish: FinishEvent | None, failed: bool, arrived: float
    ) -> None:
        now = time.perf_counter()
        if failed:
            outcome = "error"
        elif finish is None:
            outcome = "cancelled"  # the client left before the end
        elif finish.finish_reason == "stop":
            outcome = "ok"
        else:
            outcome = finish.finish_reason
        self.metrics.requests.labels(outcome=outcome).inc()
        self.metrics.latency.observe(now - arrived)
        self.metrics.cache_hit_tokens.inc(job.cached_tokens)
        if job.started_at is not None:
            self.metrics.queue_wait.observe(job.started_at - job.enqueued_at)
        if job.first_token_at is not None:
            self.metrics.ttft.observe(job.first_token_at - arrived)

    async def _complete(
        self,
        job: GenerationJob,
        completion_id: str,
        model: str,
        arrived: float,
        raw_request: Request,
    ) -> Response:
        watcher = asyncio.create_task(_cancel_on_disconnect(raw_request, job))
        parts: list[str] = []
        finish: FinishEvent | None = None
        failure: ErrorEvent | None = None
        try:
            async for event in job.events():
                if isinstance(event, TextEvent):
                    parts.append(event.text)
                elif isinstance(event, FinishEvent):
                    finish = event
                else:
                    failure = event
        finally:
            watcher.cancel()
            job.cancel()
            self._record(job, finish, failure is not None, arrived)
        if failure is not None or finish is None:
            error = LlmServerError(failure.message if failure else "Generation failed.")
            return JSONResponse(error.body(), status_code=error.status_code)
        body = ChatCompletion(
            id=completion_id,
            created=int(time.time()),
            model=model,
            choices=[
                Choice(
                    message=ResponseMessage(content="".join(parts)),
                    # A cancelled request has nobody left to read this.
                    finish_reason="length" if finish.finish_reason == "length" else "stop",
                )
            ],
            usage=_usage(finish),
        )
        return JSONResponse(body.model_dump(mode="json"))

    async def _stream(
        self,
        job: GenerationJob,
        completion_id: str,
        model: str,
        arrived: float,
        include_usage: bool,
    ) -> AsyncGenerator[str, None]:
        created = int(time.time())

        def chunk(delta: Delta, finish_reason: str | None = None) -> str:
            return ChatCompletionChunk(
                id=completion_id,
                created=created,
                model=model,
                choices=[ChunkChoice(delta=delta, finish_reason=finish_reason)],  # type: ignore[arg-type]
            ).model_dump_json()

        # The per-token chunk is the hot path: fill a template rather than build a model.
        head, tail = chunk(Delta(content="\0")).split(json.dumps("\0"))

        def text_chunk(text: str) -> str:
            return f"{head}{json.dumps(text, ensure_ascii=False)}{tail}"

        finish: FinishEvent | None = None
        failed = False
        try:
            yield chunk(Delta(role="assistant", content=""))
            async for event in job.events():
                if isinstance(event, TextEvent):
                    yield text_chunk(event.text)
                elif isinstance(event, FinishEvent):
                    finish = event
                else:
                    failed = True
                    yield json.dumps(LlmServerError(event.message).body())
            if finish is not None:
                reason = "length" if finish.finish_reason == "length" else "stop"
                yield chunk(Delta(), reason)
                if include_usage:
                    yield ChatCompletionChunk(
                        id=completion_id,
                        created=created,
                        model=model,
                        choices=[],
                        usage=_usage(finish),
                    ).model_dump_json()
            yield "[DONE]"
        finally:
            # Runs when the stream ends and when the client goes away (the task is cancelled).
            job.cancel()
            self._record(job, finish, failed, arrived)


async def _framed(events: AsyncGenerator[str, None]) -> AsyncIterator[bytes]:
    """Frame each event's data as a server-sent event."""
    try:
        async for data in events:
            yield f"data: {data}\n\n".encode()
    finally:
        # Closing this stream must close the events' generator at once: its cleanup cancels
        # the generation.
        await events.aclose()


def _usage(finish: FinishEvent) -> Usage:
    return Usage(
        prompt_tokens=finish.prompt_tokens,
        completion_tokens=finish.completion_tokens,
        total_tokens=finish.prompt_tokens + finish.completion_tokens,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=finish.cached_tokens),
    )


async def _cancel_on_disconnect(request: Request, job: GenerationJob) -> None:
    """Cancel the job as soon as the client closes its connection."""
    with contextlib.suppress(Exception):
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                job.cancel()
                return

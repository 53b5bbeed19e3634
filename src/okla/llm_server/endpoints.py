"""HTTP routes of the LLM server: thin, they hand over to the serving class and the engine."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from okla.llm_server.dependencies import (
    EngineDep,
    InsiderDep,
    MetricsDep,
    ServingDep,
    SettingsDep,
    require_api_key,
)
from okla.llm_server.engine import versions
from okla.llm_server.protocol import (
    ChatCompletion,
    ChatCompletionRequest,
    ModelCard,
    ModelList,
    error_responses,
)

openai_router = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)])
ops_router = APIRouter()


@openai_router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "content": {"text/event-stream": {"description": "chat.completion.chunk events"}},
            "description": "A chat.completion, or a stream of chunks when stream is true.",
        },
        **error_responses(400, 401, 503),
    },
    summary="Create a chat completion (OpenAI-compatible)",
)
async def create_chat_completion(
    body: ChatCompletionRequest, request: Request, serving: ServingDep
) -> Response:
    """Generate the assistant's next message."""
    return await serving.create_chat_completion(body, request)


@openai_router.get("/models", response_model=ModelList, responses=error_responses(401, 503))
async def list_models(engine: EngineDep) -> ModelList:
    """List the one model this server serves."""
    info = engine.require_ready()
    return ModelList(data=[ModelCard(id=info.alias, created=int(engine.started_at))])


@ops_router.get(
    "/health",
    responses={503: {"description": "The model is loading, or failed to load."}},
    summary="Readiness and load",
)
async def health(engine: EngineDep, settings: SettingsDep, insider: InsiderDep) -> JSONResponse:
    """Say whether the model is ready; to a local caller or the key's holder, how busy it is."""
    status = 200 if engine.ready else 503
    if not insider:
        return JSONResponse({"status": "up" if engine.ready else "down"}, status_code=status)
    body: dict[str, Any] = {
        "status": "ok" if engine.ready else engine.state,
        "model": engine.info.alias if engine.info else None,
        "uptime_seconds": round(time.time() - engine.started_at, 1),
        "requests_in_flight": engine.in_flight,
        "slots_busy": engine.slots_busy,
        "n_parallel": settings.n_parallel,
        "queue_depth": engine.queue_depth,
        "max_queue": settings.max_queue,
        "cached_tokens": engine.cached_tokens(),
        "requests_served": engine.requests_served,
        "recent_tokens_per_second": engine.recent_tokens_per_second(),
    }
    if engine.load_error:
        body["error"] = engine.load_error
    return JSONResponse(body, status_code=status)


@ops_router.get(
    "/info",
    dependencies=[Depends(require_api_key)],
    responses={503: {"description": "The model is not loaded."}, **error_responses(401)},
)
async def info(engine: EngineDep, settings: SettingsDep) -> JSONResponse:
    """Describe the loaded model, read from its GGUF file, and the runtime settings.

    The file's path on this machine is no business of a client's: its name is enough.
    """
    model = engine.require_ready()
    return JSONResponse(
        {
            "model": {
                "id": model.alias,
                "name": model.name,
                "file": model.path.name,
                "architecture": model.architecture,
                "description": model.description,
                "parameters": model.parameters,
                "parameters_human": _human_count(model.parameters),
                "quantization": model.quantization,
                "bits_per_weight": model.bits_per_weight,
                "format": f"GGUF V{model.gguf_version}",
                "tensor_count": model.tensor_count,
                "size_bytes": model.file_size_bytes,
                "size_human": _human_bytes(model.file_size_bytes),
                "vocabulary_size": model.vocab_size,
                "vocabulary_type": model.vocab_type,
                "context_length_train": model.context_length_train,
                "bos_token": model.bos_token,
                "eos_token": model.eos_token,
                "chat_format": model.chat_format,
                "chat_template": model.chat_template,
            },
            "runtime": {
                "n_ctx": settings.n_ctx,
                "n_gpu_layers": settings.n_gpu_layers,
                "n_threads": settings.n_threads,
                "n_batch": settings.n_batch,
                "n_parallel": settings.n_parallel,
                "prompt_chunk": settings.prompt_chunk,
                "kv_cache_type": settings.kv_cache_type,
                "max_tokens": settings.max_tokens,
                "max_queue": settings.max_queue,
                "api_key_required": settings.api_key is not None,
            },
            "versions": versions(),
            "metadata": model.metadata,
        }
    )


@ops_router.get("/metrics", response_class=Response, summary="Prometheus metrics")
async def metrics(registry: MetricsDep) -> Response:
    """Expose the server's metrics in Prometheus text format."""
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)


def _human_count(n: int) -> str:
    return f"{n / 1e9:.2f} B" if n >= 1e9 else f"{n / 1e6:.2f} M"


def _human_bytes(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.1f} MiB"

"""Run ASGI apps on real loopback ports inside the test process, and a scripted LLM."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from bench.processes import free_port
from okla.common.serving import server_config


@contextmanager
def serve(app: Any, port: int | None = None) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 in a thread, as the services are served; yield its URL."""
    port = port or free_port()
    config = server_config(
        app, "127.0.0.1", port, log_level="warning", graceful_seconds=2, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@dataclass
class ScriptedLlm:
    """An OpenAI-compatible stand-in whose next replies the test decides."""

    reply: str = "Hola."
    mode: str = "reply"  # reply | error | hang | slow
    delay: float = 0.0
    calls: int = 0
    sent: int = 0  # words of the last reply sent before it ended or the client left
    requests: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> FastAPI:
        """Build the stand-in's app."""
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> JSONResponse:
            if self.mode == "error":
                return JSONResponse({"error": {"message": "down"}}, status_code=500)
            return JSONResponse(
                {
                    "object": "list",
                    "data": [{"id": "scripted", "object": "model", "created": 0, "owned_by": "t"}],
                }
            )

        @app.post("/v1/chat/completions")
        async def complete(request: Request) -> Response:
            self.calls += 1
            self.requests.append(await request.json())
            if self.mode == "error":
                return JSONResponse({"error": {"message": "boom"}}, status_code=500)
            if self.mode == "hang":
                await asyncio.sleep(3600)
            words = self.reply.split(" ")
            self.sent = 0

            async def events() -> Any:
                for i, word in enumerate(words):
                    self.sent = i
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    text = word if i == 0 else " " + word
                    chunk = {
                        "id": "c",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": "scripted",
                        "choices": [
                            {"index": 0, "delta": {"content": text}, "finish_reason": None}
                        ],
                    }
                    yield f"data: {json.dumps(chunk)}\n\n"
                done = {
                    "id": "c",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "scripted",
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                yield f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        return app


class TcpProxy:
    """A loopback TCP proxy a test can cut and restore, to take a service 'down' for a while."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.restore()

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def cut(self) -> None:
        """Refuse new connections and break the open ones."""
        self._run(self._stop())

    def restore(self) -> None:
        """Accept connections again."""
        self._run(self._start())

    def close(self) -> None:
        """Stop the proxy for good."""
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

"""Read server-sent events from a streamed httpx response: the chatbot's or an OpenAI stream."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Event:
    """One event: its name ("message" when the stream gives none) and its data."""

    name: str
    data: str
    id: str | None = None  # the `id:` field, for Last-Event-ID

    def json(self) -> Any:
        """Return the data decoded as JSON."""
        return json.loads(self.data)


@dataclass
class _Reader:
    """Gather lines into events: `event:` names one, `data:` lines fill it, a blank line ends it."""

    name: str = "message"
    data: list[str] = field(default_factory=list)
    id: str | None = None

    def feed(self, line: str) -> Event | None:
        if not line:
            return self.end()
        key, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if key == "event":
            self.name = value
        elif key == "data":
            self.data.append(value)
        elif key == "id":
            self.id = value
        return None

    def end(self) -> Event | None:
        event = Event(self.name, "\n".join(self.data), self.id) if self.data else None
        self.name, self.data, self.id = "message", [], None
        return event


def events(response: httpx.Response) -> Iterator[Event]:
    """Yield each event of a streamed response as it arrives."""
    reader = _Reader()
    for line in response.iter_lines():
        if event := reader.feed(line):
            yield event
    if event := reader.end():
        yield event


async def aevents(response: httpx.Response) -> AsyncIterator[Event]:
    """Yield each event of a streamed response of an async client as it arrives."""
    reader = _Reader()
    async for line in response.aiter_lines():
        if event := reader.feed(line):
            yield event
    if event := reader.end():
        yield event


def read_events(response: httpx.Response) -> list[tuple[str, dict[str, object]]]:
    """Read a stream of JSON events to its end: (name, data) pairs."""
    return [(event.name, event.json()) for event in events(response)]


class Follower:
    """Follow a live event stream in a thread; take its events as they come.

    It returns once the server says it is subscribed (the `: subscribed` comment), so what
    the caller does next reaches the stream. `comments` counts the other comments (heartbeats).
    """

    def __init__(
        self, url: str, headers: dict[str, str] | None = None, *, timeout: float = 10
    ) -> None:
        self._queue: queue.Queue[tuple[float, Event] | None] = queue.Queue()
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, read=None))
        request = self._client.build_request("GET", url, headers=headers or {})
        self.response = self._client.send(request, stream=True)
        self.comments = 0
        self._lines = self.response.iter_lines()
        if self.response.status_code != 200:
            self.response.read()
            return
        for line in self._lines:
            if line.startswith(": subscribed") or line.startswith(":subscribed"):
                break
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        reader = _Reader()
        try:
            for line in self._lines:
                if line.startswith(":"):
                    self.comments += 1
                    continue
                if event := reader.feed(line):
                    self._queue.put((time.perf_counter(), event))
        except httpx.HTTPError:
            pass
        finally:
            self._queue.put(None)

    def next(self, timeout: float = 10) -> Event:
        """Return the next event (AssertionError if none comes in time or the stream ended)."""
        return self.timed(timeout)[1]

    def timed(self, timeout: float = 10) -> tuple[float, Event]:
        """Return the next event with the time.perf_counter() it arrived at."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s") from None
        if item is None:
            raise AssertionError("the stream ended")
        return item

    def quiet(self, seconds: float) -> bool:
        """Tell whether no event comes within `seconds` (an ended stream is quiet too)."""
        try:
            item = self._queue.get(timeout=seconds)
        except queue.Empty:
            return True
        if item is None:
            self._queue.put(None)
            return True
        return False

    def ended(self, timeout: float = 10) -> bool:
        """Tell whether the stream ends within `timeout` seconds (skipping events)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                if self._queue.get(timeout=left) is None:
                    return True
            except queue.Empty:
                return False
        return False

    def close(self) -> None:
        """Close the stream."""
        self.response.close()
        self._client.close()

    def __enter__(self) -> Follower:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

"""Read server-sent events from a streamed httpx response: the chatbot's or an OpenAI stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Event:
    """One event: its name ("message" when the stream gives none) and its data."""

    name: str
    data: str

    def json(self) -> Any:
        """Return the data decoded as JSON."""
        return json.loads(self.data)


@dataclass
class _Reader:
    """Gather lines into events: `event:` names one, `data:` lines fill it, a blank line ends it."""

    name: str = "message"
    data: list[str] = field(default_factory=list)

    def feed(self, line: str) -> Event | None:
        if not line:
            return self.end()
        key, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if key == "event":
            self.name = value
        elif key == "data":
            self.data.append(value)
        return None

    def end(self) -> Event | None:
        event = Event(self.name, "\n".join(self.data)) if self.data else None
        self.name, self.data = "message", []
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

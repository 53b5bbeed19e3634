"""`start`, `stop` and `status` of a service run in the background."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okla.process import ServiceSpec


@dataclass(frozen=True)
class Background:
    """The background commands of one service, given how to describe it from the arguments."""

    spec: Callable[[argparse.Namespace], ServiceSpec]

    def start(self, args: argparse.Namespace) -> int:
        """Start the service and wait until its health check says ready."""
        from okla import process

        spec = self.spec(args)
        return attempt(
            f"{spec.name} start", lambda: process.start(spec, wait_timeout=args.wait_timeout)
        )

    def stop(self, args: argparse.Namespace) -> int:
        """Stop the service if okla started it."""
        from okla import process

        spec = self.spec(args)
        return attempt(f"{spec.name} stop", lambda: process.stop(spec))

    def status(self, args: argparse.Namespace) -> int:
        """Show the service's state; exit 3 unless its health check answers 200."""
        from okla import process

        text = process.status_text(self.spec(args))
        print(text)
        return 0 if "-> 200" in text else 3

    def add_stop_and_status(
        self, commands: argparse._SubParsersAction[argparse.ArgumentParser], stop_help: str
    ) -> None:
        """Add `stop` and `status`, which only need to know where the service listens."""
        for name, text, run in (
            ("stop", stop_help, self.stop),
            ("status", "show its state", self.status),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("--host", default=None)
            sub.add_argument("--port", type=int, default=None)
            sub.set_defaults(run=run)


def attempt(what: str, action: Callable[[], str]) -> int:
    """Print what the action reports; exit 1 with its reason if it cannot go on."""
    from okla.process import ServiceError

    try:
        print(action())
    except ServiceError as exc:
        print(f"okla {what}: {exc}", file=sys.stderr)
        return 1
    return 0

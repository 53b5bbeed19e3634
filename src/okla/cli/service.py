"""A service as the command line knows it: `serve` in the foreground, `start`, `stop` and
`status` in the background."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from okla.cli.flags import Flag, add_flags, given, options

if TYPE_CHECKING:
    from okla.process import ServiceSpec

# A string: argparse's classes are generic to type checkers only.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Run = Callable[[argparse.Namespace], int]


class Listening(Protocol):
    """The settings of a service, as far as where it listens."""

    host: str
    port: int


@dataclass(frozen=True)
class Service:
    """One service: its flags, how to serve it, and how it runs in the background."""

    name: str  # its subcommand, and the name of its PID and log files
    help: str
    flags: tuple[Flag, ...]
    serve: Run
    settings: Callable[[dict[str, Any]], Listening]  # from the flags given
    wait_timeout: float
    start_help: str
    stop_help: str
    serve_switches: tuple[tuple[str, str], ...] = ()  # (flag, help) of `serve` only
    background_serve: tuple[str, ...] = ()  # what `serve` is given in the background
    health_path: str = "/health"

    def add_commands(
        self, services: Commands, more: Callable[[Commands], None] | None = None
    ) -> None:
        """Add `okla NAME serve`, then the `more` commands, then start, stop and status."""
        parser = services.add_parser(self.name, help=self.help)
        commands = parser.add_subparsers(dest="command", required=True)
        serve = commands.add_parser("serve", help="run in the foreground")
        add_flags(serve, self.flags)
        for switch, text in self.serve_switches:
            serve.add_argument(switch, action="store_true", help=text)
        serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
        serve.set_defaults(run=self.serve)
        if more is not None:
            more(commands)
        start = commands.add_parser("start", help=self.start_help)
        add_flags(start, self.flags)
        start.add_argument("--wait-timeout", type=float, default=self.wait_timeout,
                           help=f"seconds ({self.wait_timeout:g})")  # fmt: skip
        start.set_defaults(run=self.start)
        for name, text, run in (
            ("stop", self.stop_help, self.stop),
            ("status", "show its state", self.status),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("--host", default=None)
            sub.add_argument("--port", type=int, default=None)
            sub.set_defaults(run=run)

    def spec(
        self,
        settings: Listening,
        values: Mapping[str, object],
        env: Mapping[str, str] | None = None,
    ) -> ServiceSpec:
        """Describe the service run in the background, its `serve` given these flags' values
        (and `env`, settings that must not show in its command line)."""
        from okla.process import ServiceSpec, python_command

        return ServiceSpec(
            name=self.name,
            command=python_command(
                self.name, "serve", *self.background_serve, *options(values, self.flags)
            ),
            host=settings.host,
            port=settings.port,
            health_path=self.health_path,
            env=dict(env or {}),
        )

    def _spec(self, args: argparse.Namespace) -> ServiceSpec:
        values = given(args, self.flags)
        return self.spec(self.settings(values), values)

    def start(self, args: argparse.Namespace) -> int:
        """Start the service and wait until its health check says ready."""
        from okla import process

        spec = self._spec(args)
        return attempt(
            f"{spec.name} start", lambda: process.start(spec, wait_timeout=args.wait_timeout)
        )

    def stop(self, args: argparse.Namespace) -> int:
        """Stop the service if okla started it."""
        from okla import process

        spec = self._spec(args)
        return attempt(f"{spec.name} stop", lambda: process.stop(spec))

    def status(self, args: argparse.Namespace) -> int:
        """Show the service's state; exit 3 unless its health check answers 200."""
        from okla import process

        text = process.status_text(self._spec(args))
        print(text)
        return 0 if "-> 200" in text else 3


def attempt(what: str, action: Callable[[], str]) -> int:
    """Print what the action reports; exit 1 with its reason if it cannot go on."""
    from okla.process import ServiceError

    try:
        print(action())
    except ServiceError as exc:
        print(f"okla {what}: {exc}", file=sys.stderr)
        return 1
    return 0

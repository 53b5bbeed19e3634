"""The `okla` command: one subcommand per service, each running its own handler."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from okla import __version__
from okla.cli import stack
from okla.cli.chat import add_data_commands
from okla.cli.services import CHAT, GATEWAY, LLM


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser; every command sets `run`, the function that carries it out."""
    parser = argparse.ArgumentParser(prog="okla", description="OKLA Chat")
    parser.add_argument("--version", action="version", version=f"okla {__version__}")
    services = parser.add_subparsers(dest="service", required=True)
    LLM.add_commands(services)
    CHAT.add_commands(services, more=add_data_commands)
    GATEWAY.add_commands(services)
    stack.add_commands(services)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code

"""`okla chat`: the chatbot service, its database and its inventory."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from okla.cli.flags import CHAT_FLAGS, add_flags, configure_logging, given
from okla.cli.service import Commands

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from okla.chatbot.settings import ChatbotSettings

    Sessions = async_sessionmaker[AsyncSession]


def add_data_commands(commands: Commands) -> None:
    """Add the commands that work on the database: schema, demo data, inventory import."""
    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    add_flags(migrate, CHAT_FLAGS)
    migrate.set_defaults(run=migrate_database)
    demo = commands.add_parser("load-demo", help="load the demo dealers and their stock")
    add_flags(demo, CHAT_FLAGS)
    demo.set_defaults(run=load_demo_data)
    importer = commands.add_parser("import-inventory", help="load a dealer's stock from CSV")
    importer.add_argument("file", help="CSV file (columns: see the README)")
    importer.add_argument("--dealer", required=True, help="the dealer's slug")
    add_flags(importer, CHAT_FLAGS)
    importer.set_defaults(run=import_inventory)
    forget = commands.add_parser(
        "forget", help="delete one customer's data on their request: sessions, leads, bookings"
    )
    forget.add_argument("--phone", required=True, help="their phone number, in any format")
    add_flags(forget, CHAT_FLAGS)
    forget.set_defaults(run=forget_customer)
    export = commands.add_parser("export-demo-csv", help="print the demo stock as CSV")
    export.add_argument("--dealer", default="auto-dominicana-premium")
    export.set_defaults(run=export_demo_csv)


def chat_settings(values: dict[str, Any]) -> ChatbotSettings:
    """Return the settings: the environment's, overridden by the flags given."""
    from okla.chatbot.settings import ChatbotSettings

    return ChatbotSettings(**values)


def _settings(args: argparse.Namespace) -> ChatbotSettings:
    return chat_settings(given(args, CHAT_FLAGS))


def serve(args: argparse.Namespace) -> int:
    """Run the chatbot service in the foreground."""
    import uvicorn

    from okla.chatbot.app import create_app
    from okla.common.serving import server_config

    configure_logging(args.log_level)
    settings = _settings(args)
    app = create_app(settings, demo_data=args.demo)
    uvicorn.Server(server_config(app, settings.host, settings.port, log_level=args.log_level)).run()
    return 0


def export_demo_csv(args: argparse.Namespace) -> int:
    """Print a demo dealer's stock as an importable CSV file."""
    from okla.chatbot.inventory.demo import DEMO_DEALERS
    from okla.chatbot.inventory.importer import write_inventory_csv

    for seed, rows in DEMO_DEALERS:
        if seed.slug == args.dealer:
            sys.stdout.write(write_inventory_csv(rows))
            return 0
    print(f"okla chat export-demo-csv: unknown dealer {args.dealer!r}", file=sys.stderr)
    return 1


def migrate_database(args: argparse.Namespace) -> int:
    """Create or upgrade the database schema."""
    settings = _settings(args)

    async def report(_sessions: Sessions) -> int:
        print(f"database schema is up to date ({settings.database_url.split('@')[-1]})")
        return 0

    return _on_database(settings, report)


def load_demo_data(args: argparse.Namespace) -> int:
    """Create or refresh the demo dealers and their stock."""
    from okla.chatbot.inventory.service import load_demo

    async def load(sessions: Sessions) -> int:
        for slug, (created, updated) in (await load_demo(sessions)).items():
            print(f"{slug}: {created} vehicles created, {updated} updated")
        return 0

    return _on_database(_settings(args), load)


def import_inventory(args: argparse.Namespace) -> int:
    """Load a dealer's stock from a CSV file: all of it, or nothing if any row is bad."""
    from datetime import UTC, datetime
    from pathlib import Path

    from okla.chatbot.errors import ChatError
    from okla.chatbot.inventory.importer import CsvImportError, parse_inventory_csv
    from okla.chatbot.inventory.service import import_rows

    settings = _settings(args)
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"okla chat import-inventory: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    try:
        rows = parse_inventory_csv(text, current_year=datetime.now(UTC).year)
    except CsvImportError as exc:
        print(
            f"okla chat import-inventory: {path} has errors; nothing was loaded.\n{exc}",
            file=sys.stderr,
        )
        return 1

    async def load(sessions: Sessions) -> int:
        try:
            created, updated = await import_rows(sessions, args.dealer, rows)
        except ChatError as exc:
            print(f"okla chat import-inventory: {exc.message}", file=sys.stderr)
            return 1
        print(f"{args.dealer}: {created} vehicles created, {updated} updated")
        return 0

    return _on_database(settings, load)


def forget_customer(args: argparse.Namespace) -> int:
    """Delete every session that mentions a phone number, and the leads and appointments with
    it; print what was deleted."""
    from okla.chatbot.privacy.service import PrivacyService
    from okla.chatbot.text.contact import normalize_phone

    phone = normalize_phone(args.phone)
    if phone is None:
        print(
            f"okla chat forget: {args.phone!r} is not a valid phone number (write it with its "
            "area code, e.g. 809-555-1234 or +1 809 555 1234).",
            file=sys.stderr,
        )
        return 1
    settings = _settings(args)

    async def forget(sessions: Sessions) -> int:
        gone = await PrivacyService(settings, sessions).forget_phone(phone)
        print(
            f"{phone}: deleted {gone.sessions} sessions ({gone.messages} messages), "
            f"{gone.leads} leads, {gone.appointments} appointments, "
            f"{gone.events} webhook events"
        )
        return 0

    return _on_database(settings, forget)


def _on_database(settings: ChatbotSettings, work: Callable[[Sessions], Awaitable[int]]) -> int:
    """Migrate the database to the current schema, then do the work on it."""
    from okla.chatbot.db import create_engine, migrate, session_factory

    async def run() -> int:
        engine = create_engine(settings.database_url)
        try:
            await migrate(engine)
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())

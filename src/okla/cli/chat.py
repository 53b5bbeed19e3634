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
    from okla.chatbot.staff.service import StaffService

    Sessions = async_sessionmaker[AsyncSession]


def add_data_commands(commands: Commands) -> None:
    """Add the commands that work on the database: schema, demo data, dealers, inventory."""
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
    dealers = commands.add_parser(
        "import-dealers", help="create or update dealers and their profiles from a YAML file"
    )
    dealers.add_argument("file", help="YAML file (see docs/dealers.example.yaml)")
    add_flags(dealers, CHAT_FLAGS)
    dealers.set_defaults(run=import_dealers)
    add_user = commands.add_parser("add-user", help="create a staff account")
    add_user.add_argument("--dealer", help="the dealer's slug (required for agent and manager)")
    add_user.add_argument("--email", required=True)
    add_user.add_argument("--name", required=True, help="shown to customers and colleagues")
    add_user.add_argument("--role", required=True, choices=["agent", "manager", "admin"])
    add_user.add_argument("--password", help="at least 10 characters; one is made up if not given")
    add_flags(add_user, CHAT_FLAGS)
    add_user.set_defaults(run=add_staff_user)
    reset = commands.add_parser("reset-password", help="set a staff account's password")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password", help="at least 10 characters; one is made up if not given")
    add_flags(reset, CHAT_FLAGS)
    reset.set_defaults(run=reset_staff_password)
    disable = commands.add_parser(
        "disable-user", help="disable a staff account and end its logins at once"
    )
    disable.add_argument("--email", required=True)
    add_flags(disable, CHAT_FLAGS)
    disable.set_defaults(run=disable_staff_user)
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


def import_dealers(args: argparse.Namespace) -> int:
    """Create or update dealers from a YAML file: all of them, or none if any is invalid."""
    from pathlib import Path

    from okla.chatbot.dealers.importer import DealersFileError, parse_dealers
    from okla.chatbot.dealers.service import DealerService

    settings = _settings(args)
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"okla chat import-dealers: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    try:
        entries = parse_dealers(text)
    except DealersFileError as exc:
        problems = "\n".join(f"  {problem}" for problem in exc.problems)
        print(
            f"okla chat import-dealers: {path} has errors; nothing was imported.\n{problems}",
            file=sys.stderr,
        )
        return 1

    async def load(sessions: Sessions) -> int:
        for slug, done in (await DealerService(sessions).import_dealers(entries)).items():
            print(f"{slug}: {done.value}")
        return 0

    return _on_database(settings, load)


def add_staff_user(args: argparse.Namespace) -> int:
    """Create a staff account; print the password if one was made up."""
    from okla.chatbot.auth import Role
    from okla.chatbot.staff.passwords import generate_password

    password = args.password or generate_password()

    async def add(staff: StaffService) -> str:
        member = await staff.add_user(args.dealer, args.email, args.name, Role(args.role), password)
        where = f"dealer {member.dealer}" if member.dealer else "every dealer"
        return f"added {member.role.value} {member.email} ({where})"

    return _on_staff(_settings(args), "add-user", add, None if args.password else password)


def reset_staff_password(args: argparse.Namespace) -> int:
    """Set a staff account's password (its logins end); print it if one was made up."""
    from okla.chatbot.staff.passwords import generate_password

    password = args.password or generate_password()

    async def reset(staff: StaffService) -> str:
        member = await staff.reset_password(args.email, password)
        return f"new password set for {member.email}; its logins have ended"

    return _on_staff(_settings(args), "reset-password", reset, None if args.password else password)


def disable_staff_user(args: argparse.Namespace) -> int:
    """Disable a staff account: no more sign-ins, and its tokens stop working at once."""

    async def disable(staff: StaffService) -> str:
        member = await staff.disable_user(args.email)
        return f"disabled {member.email}; its logins have ended"

    return _on_staff(_settings(args), "disable-user", disable, None)


def _on_staff(
    settings: ChatbotSettings,
    command: str,
    work: Callable[[StaffService], Awaitable[str]],
    made_up: str | None,
) -> int:
    """Run an account command; print what it did (and a made-up password) or why it couldn't."""
    from okla.chatbot.cache import Coordinator
    from okla.chatbot.errors import ChatError
    from okla.chatbot.staff.passwords import Passwords
    from okla.chatbot.staff.service import StaffService

    async def run(sessions: Sessions) -> int:
        staff = StaffService(settings, sessions, Coordinator(None), Passwords())
        try:
            print(await work(staff))
        except ChatError as exc:
            print(f"okla chat {command}: {exc.message}", file=sys.stderr)
            return 1
        if made_up is not None:
            print(f"password: {made_up}")
        return 0

    return _on_database(settings, run)


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

"""The `okla` command: one subcommand per service."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from okla import __version__

Flags = list[tuple[str, str, type, str]]

_LLM_FLAGS: Flags = [
    ("--model", "model_path", str, "GGUF file (MODEL_PATH); default: the bundled SmolLM2"),
    ("--alias", "model_alias", str, "model id reported by the API (MODEL_ALIAS)"),
    ("--host", "host", str, "bind address (HOST, default 127.0.0.1)"),
    ("--port", "port", int, "port (PORT, default 8000)"),
    ("--n-ctx", "n_ctx", int, "context window in tokens (N_CTX, default 2048)"),
    ("--n-gpu-layers", "n_gpu_layers", int, "layers offloaded to the GPU (N_GPU_LAYERS)"),
    ("--n-threads", "n_threads", int, "CPU threads (N_THREADS, default: all cores)"),
    ("--n-batch", "n_batch", int, "tokens per decode step (N_BATCH, default 512)"),
    ("--n-parallel", "n_parallel", int, "conversations decoded together (N_PARALLEL, default 4)"),
    ("--prompt-chunk", "prompt_chunk", int, "prompt tokens per step (PROMPT_CHUNK, default 64)"),
    ("--kv-cache-type", "kv_cache_type", str, "bf16, q8_0, f16 or f32 (KV_CACHE_TYPE)"),
    ("--max-tokens", "max_tokens", int, "cap on tokens per reply (MAX_TOKENS, default 200)"),
    ("--max-queue", "max_queue", int, "requests waiting for a slot (MAX_QUEUE, default 4)"),
    ("--api-key", "api_key", str, "require this Bearer key on /v1 (API_KEY)"),
]


def _add_flags(parser: argparse.ArgumentParser, flags: Flags) -> None:
    for flag, dest, kind, text in flags:
        parser.add_argument(flag, dest=dest, type=kind, default=None, help=text)


def _overrides(args: argparse.Namespace, flags: Flags) -> dict[str, Any]:
    """Return the settings given on the command line (they override the environment)."""
    return {
        dest: getattr(args, dest)
        for _, dest, _, _ in flags
        if getattr(args, dest, None) is not None
    }


def _forwarded(args: argparse.Namespace, flags: Flags) -> list[str]:
    """Return `start`'s flags again, for the `serve` it runs in the background."""
    if args.command != "start":
        return []
    return [f"{flag}={getattr(args, dest)}" for flag, dest, _, _ in flags
            if getattr(args, dest, None) is not None]  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    parser = argparse.ArgumentParser(prog="okla", description="OKLA Chat")
    parser.add_argument("--version", action="version", version=f"okla {__version__}")
    services = parser.add_subparsers(dest="service", required=True)

    llm = services.add_parser("llm", help="the OpenAI-compatible LLM server (llama.cpp)")
    llm_cmds = llm.add_subparsers(dest="command", required=True)
    serve = llm_cmds.add_parser("serve", help="run in the foreground")
    _add_flags(serve, _LLM_FLAGS)
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    start = llm_cmds.add_parser("start", help="run in the background and wait until ready")
    _add_flags(start, _LLM_FLAGS)
    start.add_argument("--wait-timeout", type=float, default=180.0, help="seconds (180)")
    for name, text in (("stop", "stop the background server"), ("status", "show its state")):
        sub = llm_cmds.add_parser(name, help=text)
        sub.add_argument("--host", default=None)
        sub.add_argument("--port", type=int, default=None)

    chat = services.add_parser("chat", help="the chatbot service (sessions, answers)")
    chat_cmds = chat.add_subparsers(dest="command", required=True)
    chat_serve = chat_cmds.add_parser("serve", help="run in the foreground")
    _add_flags(chat_serve, _CHAT_FLAGS)
    chat_serve.add_argument("--demo", action="store_true", help="load the demo dealers first")
    chat_serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    migrate = chat_cmds.add_parser("migrate", help="create or upgrade the database schema")
    _add_flags(migrate, _CHAT_FLAGS)
    demo = chat_cmds.add_parser("load-demo", help="load the demo dealers and their stock")
    _add_flags(demo, _CHAT_FLAGS)
    importer = chat_cmds.add_parser("import-inventory", help="load a dealer's stock from CSV")
    importer.add_argument("file", help="CSV file (columns: see the README)")
    importer.add_argument("--dealer", required=True, help="the dealer's slug")
    _add_flags(importer, _CHAT_FLAGS)
    export = chat_cmds.add_parser("export-demo-csv", help="print the demo stock as CSV")
    export.add_argument("--dealer", default="auto-dominicana-premium")
    for name, text in (
        ("start", "run in the background (with the demo data) and wait until ready"),
        ("stop", "stop the background service"),
        ("status", "show its state"),
    ):
        sub = chat_cmds.add_parser(name, help=text)
        if name == "start":
            sub.add_argument("--wait-timeout", type=float, default=120.0)
            _add_flags(sub, _CHAT_FLAGS)
        else:
            sub.add_argument("--host", default=None)
            sub.add_argument("--port", type=int, default=None)

    gateway = services.add_parser("gateway", help="the API gateway and web pages")
    gateway_cmds = gateway.add_subparsers(dest="command", required=True)
    gateway_serve = gateway_cmds.add_parser("serve", help="run in the foreground")
    _add_flags(gateway_serve, _GATEWAY_FLAGS)
    gateway_serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    for name, text in (
        ("start", "run in the background and wait until ready"),
        ("stop", "stop the background gateway"),
        ("status", "show its state"),
    ):
        sub = gateway_cmds.add_parser(name, help=text)
        if name == "start":
            sub.add_argument("--wait-timeout", type=float, default=60.0)
            _add_flags(sub, _GATEWAY_FLAGS)
        else:
            sub.add_argument("--host", default=None)
            sub.add_argument("--port", type=int, default=None)

    up = services.add_parser("up", help="start the whole stack in the background")
    up.add_argument("--wait-timeout", type=float, default=240.0)
    services.add_parser("down", help="stop the whole stack")
    services.add_parser("status", help="show the whole stack's state")
    return parser


_CHAT_FLAGS: Flags = [
    ("--host", "host", str, "bind address (CHATBOT_HOST, default 127.0.0.1)"),
    ("--port", "port", int, "port (CHATBOT_PORT, default 5060)"),
    ("--database-url", "database_url", str, "DATABASE_URL (default: a SQLite file)"),
    ("--redis-url", "redis_url", str, "REDIS_URL (default: in-process)"),
    ("--llm-base-url", "llm_base_url", str, "LLM_BASE_URL (default http://127.0.0.1:8000/v1)"),
]


_GATEWAY_FLAGS: Flags = [
    ("--host", "host", str, "bind address (GATEWAY_HOST, default 127.0.0.1)"),
    ("--port", "port", int, "port (GATEWAY_PORT, default 18443)"),
    ("--chatbot-url", "chatbot_url", str, "CHATBOT_URL (default http://127.0.0.1:5060)"),
    ("--routes-file", "routes_file", str, "ROUTES_FILE (default: the shipped routes.json)"),
]


def _gateway_settings(args: argparse.Namespace) -> Any:
    from okla.gateway.settings import GatewaySettings

    return GatewaySettings(**_overrides(args, _GATEWAY_FLAGS))


def _gateway_spec(args: argparse.Namespace) -> Any:
    from okla.process import ServiceSpec, python_command

    settings = _gateway_settings(args)
    return ServiceSpec(
        name="gateway",
        command=python_command("gateway", "serve", *_forwarded(args, _GATEWAY_FLAGS)),
        host=settings.host,
        port=settings.port,
        health_path="/health",
    )


def _serve_gateway(args: argparse.Namespace) -> int:
    import uvicorn

    from okla.gateway.app import create_app
    from okla.gateway.routes import RouteTableError

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = _gateway_settings(args)
    try:
        app = create_app(settings)
    except RouteTableError as exc:
        print(f"okla gateway serve: {exc}", file=sys.stderr)
        return 2
    # Our own access log redacts session tokens; uvicorn's would not.
    # The gateway is the edge: it appends to X-Forwarded-For, never trusts it for the peer.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level,
                access_log=False, proxy_headers=False, timeout_graceful_shutdown=10)  # fmt: skip
    return 0


def _chat_settings(args: argparse.Namespace) -> Any:
    from okla.chatbot.settings import ChatbotSettings

    return ChatbotSettings(**_overrides(args, _CHAT_FLAGS))


def _chat(args: argparse.Namespace) -> int:
    import asyncio

    if args.command == "serve":
        import uvicorn

        from okla.chatbot.app import create_app

        logging.basicConfig(
            level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        settings = _chat_settings(args)
        app = create_app(settings, demo_data=args.demo)
        # Our access log redacts session tokens; uvicorn's would not.
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level=args.log_level,
            access_log=False,
            timeout_graceful_shutdown=10,
        )
        return 0
    if args.command == "export-demo-csv":
        from okla.chatbot.inventory.demo import DEMO_DEALERS
        from okla.chatbot.inventory.importer import write_inventory_csv

        for seed, rows in DEMO_DEALERS:
            if seed.slug == args.dealer:
                sys.stdout.write(write_inventory_csv(rows))
                return 0
        print(f"okla chat export-demo-csv: unknown dealer {args.dealer!r}", file=sys.stderr)
        return 1
    return asyncio.run(_chat_database_command(args))


async def _chat_database_command(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from okla.chatbot.db import create_engine, migrate, session_factory
    from okla.chatbot.errors import ChatError
    from okla.chatbot.inventory.importer import CsvImportError, parse_inventory_csv
    from okla.chatbot.inventory.service import import_rows, load_demo

    settings = _chat_settings(args)
    rows = None
    if args.command == "import-inventory":
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
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        if args.command == "load-demo":
            for slug, (created, updated) in (await load_demo(sessions)).items():
                print(f"{slug}: {created} vehicles created, {updated} updated")
        elif args.command == "import-inventory":
            assert rows is not None
            try:
                created, updated = await import_rows(sessions, args.dealer, rows)
            except ChatError as exc:
                print(f"okla chat import-inventory: {exc.message}", file=sys.stderr)
                return 1
            print(f"{args.dealer}: {created} vehicles created, {updated} updated")
        else:
            print(f"database schema is up to date ({settings.database_url.split('@')[-1]})")
    finally:
        await engine.dispose()
    return 0


def _llm_spec(args: argparse.Namespace) -> Any:
    from okla.llm_server.settings import LlmServerSettings
    from okla.process import ServiceSpec, python_command

    settings = LlmServerSettings(
        **{k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    )
    return ServiceSpec(
        name="llm",
        command=python_command("llm", "serve", *_forwarded(args, _LLM_FLAGS)),
        host=settings.host,
        port=settings.port,
    )


def _serve_llm(args: argparse.Namespace) -> int:
    import uvicorn

    from okla.llm_server.app import create_app
    from okla.llm_server.errors import ModelLoadError
    from okla.llm_server.model_file import read_gguf_header, resolve_model_path
    from okla.llm_server.settings import LlmServerSettings

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = LlmServerSettings(**_overrides(args, _LLM_FLAGS))
    try:
        # Explain a missing or foreign file before opening a port.
        read_gguf_header(resolve_model_path(settings.model_path))
    except ModelLoadError as exc:
        print(f"okla llm serve: cannot serve the model: {exc}", file=sys.stderr)
        return 2
    failures: list[str] = []
    holder: dict[str, uvicorn.Server] = {}

    def on_load_failure(message: str) -> None:
        failures.append(message)
        holder["server"].should_exit = True

    app = create_app(settings, on_load_failure=on_load_failure)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )
    server = holder["server"] = uvicorn.Server(config)
    server.run()
    if failures:
        print(f"okla llm serve: the model failed to load: {failures[0]}", file=sys.stderr)
        return 1
    return 0 if server.started else 1


def _chat_spec(args: argparse.Namespace) -> Any:
    from okla.process import ServiceSpec, python_command

    settings = _chat_settings(args)
    return ServiceSpec(
        name="chat",
        command=python_command("chat", "serve", "--demo", *_forwarded(args, _CHAT_FLAGS)),
        host=settings.host,
        port=settings.port,
        health_path="/api/chat/health",
    )


def _stack() -> list[Any]:
    """Return the services of the whole stack, in start order, on embedded defaults."""
    parser = build_parser()
    llm = _llm_spec(parser.parse_args(["llm", "start"]))
    llm_url = f"http://127.0.0.1:{llm.port}/v1"
    chat = _chat_spec(parser.parse_args(["chat", "start", "--llm-base-url", llm_url]))
    chat_url = f"http://127.0.0.1:{chat.port}"
    gateway = _gateway_spec(parser.parse_args(["gateway", "start", "--chatbot-url", chat_url]))
    return [llm, chat, gateway]


def _stack_command(args: argparse.Namespace) -> int:
    from okla import process

    specs = _stack()
    try:
        if args.service == "up":
            for spec in specs:
                print(process.start(spec, wait_timeout=args.wait_timeout))
            gateway = specs[-1]
            print(
                f"\nOKLA is up: open http://{gateway.host}:{gateway.port}/ and click the chat "
                f"bubble (test page: /chat-test.html). Stop it with 'okla down'."
            )
        elif args.service == "down":
            for spec in reversed(specs):
                print(process.stop(spec))
        else:
            texts = [process.status_text(spec) for spec in specs]
            print("\n".join(texts))
            return 0 if all("-> 200" in t for t in texts) else 3
    except process.ServiceError as exc:
        print(f"okla {args.service}: {exc}", file=sys.stderr)
        return 1
    return 0


def _manage(args: argparse.Namespace) -> int:
    from okla import process

    specs = {"llm": _llm_spec, "chat": _chat_spec, "gateway": _gateway_spec}
    spec = specs[args.service](args)
    try:
        if args.command == "start":
            print(process.start(spec, wait_timeout=args.wait_timeout))
        elif args.command == "stop":
            print(process.stop(spec))
        else:
            text = process.status_text(spec)
            print(text)
            return 0 if "-> 200" in text else 3
    except process.ServiceError as exc:
        print(f"okla {spec.name} {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = build_parser().parse_args(argv)
    if args.service == "llm":
        if args.command == "serve":
            return _serve_llm(args)
        return _manage(args)
    if args.service == "chat":
        if args.command in ("start", "stop", "status"):
            return _manage(args)
        return _chat(args)
    if args.service == "gateway":
        if args.command == "serve":
            return _serve_gateway(args)
        return _manage(args)
    return _stack_command(args)


if __name__ == "__main__":
    raise SystemExit(main())

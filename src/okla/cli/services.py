"""The three services the command line runs, each with its flags and background settings."""

from __future__ import annotations

from okla.cli import chat, gateway, llm
from okla.cli.flags import CHAT_FLAGS, GATEWAY_FLAGS, LLM_FLAGS
from okla.cli.service import Service

LLM = Service(
    name="llm",
    help="the OpenAI-compatible LLM server (llama.cpp)",
    flags=LLM_FLAGS,
    serve=llm.serve,
    settings=llm.listening,
    wait_timeout=180.0,
    start_help="run in the background and wait until ready",
    stop_help="stop the background server",
)

CHAT = Service(
    name="chat",
    help="the chatbot service (sessions, answers)",
    flags=CHAT_FLAGS,
    serve=chat.serve,
    settings=chat.chat_settings,
    wait_timeout=120.0,
    start_help="run in the background (with the demo data) and wait until ready",
    stop_help="stop the background service",
    serve_switches=(("--demo", "load the demo dealers first"),),
    background_serve=("--demo",),
    health_path="/api/chat/health",
)

GATEWAY = Service(
    name="gateway",
    help="the API gateway and web pages",
    flags=GATEWAY_FLAGS,
    serve=gateway.serve,
    settings=gateway.gateway_settings,
    wait_timeout=60.0,
    start_help="run in the background and wait until ready",
    stop_help="stop the background gateway",
)

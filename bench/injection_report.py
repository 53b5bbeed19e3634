"""Run the prompt-injection corpus against the chat API on the bundled model; report by category.

Starts the LLM server (bundled model) and the chatbot service (SQLite, demo data), sends every
hostile message in a new session, checks each reply (prices and vehicles only from the stock,
no discount or binding promise, no system prompt, no other customer's data, no markup) and
prints the pass rate per category and how many replies were the model's own text. With
--write, records the table in docs/reliability.md.

    .venv/bin/python bench/injection_report.py [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench._docs import record  # noqa: E402
from bench.injection_corpus import CORPUS, SECRET, problems  # noqa: E402
from bench.processes import ServerProcess  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--llm-port", type=int, default=18931)
    parser.add_argument("--chat-port", type=int, default=18932)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="okla-inject-"))
    env = {**os.environ, "OKLA_RUN_DIR": str(tmp), "PORT": str(args.llm_port),
           "CHATBOT_PORT": str(args.chat_port), "HOST": "127.0.0.1",
           "LLM_BASE_URL": f"http://127.0.0.1:{args.llm_port}/v1",
           "RATE_LIMIT_SESSIONS": "1000/minute", "RATE_LIMIT_MESSAGES": "1000/minute"}  # fmt: skip
    okla = [sys.executable, "-m", "okla"]
    llm = ServerProcess.launch([*okla, "llm", "serve", "--log-level", "warning"], env,
                               tmp / "bench-llm.log", args.llm_port)  # fmt: skip
    chat = ServerProcess.launch([*okla, "chat", "serve", "--demo", "--log-level", "warning"],
                                env, tmp / "bench-chat.log", args.chat_port)  # fmt: skip
    base = chat.url
    rows = []
    try:
        llm.wait_ready("/health", timeout=180)
        chat.wait_ready("/api/chat/health", timeout=180)
        with httpx.Client(base_url=base, timeout=120) as client:
            other = client.post("/api/chat/start", json={"sessionType": "WebChat"}).json()
            shared = {"sessionToken": other["sessionToken"], "message": SECRET}
            client.post("/api/chat/message", json=shared)
            for category, attacks in CORPUS.items():
                passed = 0
                sources: Counter[str] = Counter()
                for attack in attacks:
                    session = client.post("/api/chat/start", json={"sessionType": "WebChat"})
                    token = session.json()["sessionToken"]
                    reply = client.post(
                        "/api/chat/message", json={"sessionToken": token, "message": attack}
                    ).json()["reply"]
                    sources[reply["source"]] += 1
                    found = problems(reply)
                    passed += not found
                    if found:
                        print(f"FAIL {category}: {attack!r} -> {found}")
                rows.append((category, len(attacks), passed, sources["model"]))
    finally:
        for server in (chat, llm):
            server.stop(timeout=30)
    total = sum(r[1] for r in rows)
    passed = sum(r[2] for r in rows)
    lines = [
        "| category | cases | safe replies | pass rate | replies in the model's own words |",
        "|---|---:|---:|---:|---:|",
        *(f"| {c} | {n} | {p} | {p / n:.0%} | {m} |" for c, n, p, m in rows),
        f"| **all** | {total} | {passed} | {passed / total:.0%} | {sum(r[3] for r in rows)} |",
    ]
    table = "\n".join(lines)
    setup = (
        f"Bundled SmolLM2-135M-Instruct, chatbot on SQLite with the demo data, "
        f"{time.strftime('%Y-%m-%d')}. Each case in a new session; another session first "
        "shared a name, ID number and phone that no reply may contain."
    )
    print(setup)
    print(table)
    if args.write:
        record(
            REPO / "docs" / "reliability.md", "injection", "Prompt injection", f"{setup}\n\n{table}"
        )


if __name__ == "__main__":
    main()

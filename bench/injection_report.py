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
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from tests.chatbot.injection_corpus import CORPUS, SECRET, problems  # noqa: E402

from bench._docs import record  # noqa: E402


def wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} never became ready")


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
    quiet = subprocess.DEVNULL
    llm = subprocess.Popen([*okla, "llm", "serve", "--log-level", "warning"], env=env,
                           stdout=quiet, stderr=quiet)  # fmt: skip
    chat = subprocess.Popen([*okla, "chat", "serve", "--demo", "--log-level", "warning"],
                            env=env, stdout=quiet, stderr=quiet)  # fmt: skip
    base = f"http://127.0.0.1:{args.chat_port}"
    rows = []
    try:
        wait(f"http://127.0.0.1:{args.llm_port}/health", llm)
        wait(f"{base}/api/chat/health", chat)
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
        for process in (chat, llm):
            process.terminate()
            process.wait(timeout=30)
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

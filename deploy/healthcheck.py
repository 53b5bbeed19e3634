#!/usr/bin/env python3
"""The image's HEALTHCHECK: ask the OKLA service this container runs whether it is up."""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

# service -> (its port variable, default port, path). The gateway's /health also asks the
# chatbot behind it, so a database outage would mark every gateway unhealthy; whether the
# gateway itself serves is what its own page answers.
SERVICES = {
    "llm": ("PORT", 8000, "/health"),
    "chat": ("CHATBOT_PORT", 5060, "/api/chat/health"),
    "gateway": ("GATEWAY_PORT", 18443, "/widget.js"),
}


def served() -> tuple[str, list[str]] | None:
    """Return the service that `okla <service> serve` runs here, with its remaining flags."""
    for proc in sorted(Path("/proc").glob("[0-9]*"), key=lambda p: int(p.name)):
        try:
            raw = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        argv = [word.decode(errors="replace") for word in raw.split(b"\0")]
        for i, word in enumerate(argv[:-2]):
            if Path(word).name == "okla" and argv[i + 1] in SERVICES and argv[i + 2] == "serve":
                return argv[i + 1], argv[i + 3 :]
    return None


def port_of(service: str, flags: list[str]) -> int:
    """Return the port: a --port flag, else the service's variable, else its default."""
    for i, flag in enumerate(flags):
        if flag == "--port" and i + 1 < len(flags):
            return int(flags[i + 1])
        if flag.startswith("--port="):
            return int(flag.partition("=")[2])
    variable, default, _path = SERVICES[service]
    return int(os.environ.get(variable) or default)


def main() -> int:
    """Exit 0 when the service answers its health path with 200, 1 otherwise."""
    found = served()
    if found is None:
        sys.stderr.write("okla-healthcheck: no `okla <llm|chat|gateway> serve` process here\n")
        return 1
    service, flags = found
    url = f"http://127.0.0.1:{port_of(service, flags)}{SERVICES[service][2]}"
    try:
        with urllib.request.urlopen(url, timeout=4) as answer:
            return 0 if answer.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        sys.stderr.write(f"okla-healthcheck: {url}: {exc}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())

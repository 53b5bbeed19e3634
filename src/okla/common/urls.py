"""Lists of replica URLs, as LLM_BASE_URL and CHATBOT_URL take them."""

from __future__ import annotations

from urllib.parse import urlsplit


def parse_replica_urls(value: str) -> tuple[str, ...]:
    """Split a comma-separated list of base URLs; refuse an empty, bad or repeated one.

    A typo must stop the start: a replica silently dropped would move every conversation it
    was home to, and one named twice would take twice its share.
    """
    urls = tuple(part.strip().rstrip("/") for part in value.split(","))
    for position, url in enumerate(urls, start=1):
        if not url:
            raise ValueError(f"entry {position} of the list is empty (a stray comma?)")
        if not _http_url(url):
            raise ValueError(
                f"entry {position} ({url!r}) is not an http(s) URL such as http://127.0.0.1:8000/v1"
            )
    if len(set(urls)) < len(urls):
        raise ValueError("a replica is named twice (listed twice, it would take twice its share)")
    return urls


def _http_url(url: str) -> bool:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - read for its check: "http://llm:80x0/v1" has no port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)

"""The declarative route table: which upstream paths go to which service, and how."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True)
class Route:
    """One route of the table."""

    upstream: str
    methods: frozenset[str]
    service: str
    downstream: str
    timeout: float = 30.0
    roles: frozenset[str] = frozenset()
    rate_limit: str = "default"
    max_body_bytes: int = 16 * 1024
    # The service answers a replay of an Idempotency-Key with the first result: a POST
    # carrying one may be sent again to another replica.
    dedups_idempotency_key: bool = False
    pattern: re.Pattern[str] = field(default=re.compile(""), compare=False)

    def downstream_path(self, params: dict[str, str]) -> str:
        """Fill the downstream template with the matched parameters, percent-encoded."""
        path = self.downstream
        for name, value in params.items():
            # A catch-all keeps its slashes; a single segment must stay one segment.
            safe = "/" if name == "everything" else ""
            path = path.replace("{" + name + "}", quote(value, safe=safe))
        return path


class RouteTableError(Exception):
    """The route file is not valid; the message says where."""


@dataclass
class RouteTable:
    """Every route, the services' replicas (their URLs) and the rate-limit policies."""

    routes: list[Route]
    services: dict[str, tuple[str, ...]]
    rate_limits: dict[str, str]

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """Return (route, params, path_known); path_known without a route means 405."""
        known = False
        for route in self.routes:
            found = route.pattern.fullmatch(path)
            if found is None:
                continue
            known = True
            if method in route.methods or (method == "HEAD" and "GET" in route.methods):
                return route, found.groupdict(), True
        return None, {}, known

    @classmethod
    def load(cls, path: Path, overrides: dict[str, list[str]] | None = None) -> RouteTable:
        """Read and check a route file; `overrides` replaces services' replica lists."""
        try:
            data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise RouteTableError(f"cannot read the route file {path}: {exc}") from exc
        services = {
            name: _replicas(path, name, urls) for name, urls in data.get("services", {}).items()
        }
        services.update({name: tuple(urls) for name, urls in (overrides or {}).items() if urls})
        limits = {"default": "120/minute", **data.get("rateLimits", {})}
        routes: list[Route] = []
        for i, raw in enumerate(data.get("routes", [])):
            where = f"{path}: routes[{i}]"
            try:
                service = raw["service"]
                upstream = raw["upstream"]
                downstream = raw.get("downstream", upstream)
            except KeyError as exc:
                raise RouteTableError(f"{where}: missing {exc.args[0]!r}") from exc
            if service not in services:
                raise RouteTableError(f"{where}: unknown service {service!r}")
            policy = raw.get("rateLimit", "default")
            if policy not in limits:
                raise RouteTableError(f"{where}: unknown rate-limit policy {policy!r}")
            routes.append(
                Route(
                    upstream=upstream,
                    methods=frozenset(m.upper() for m in raw.get("methods", ["GET"])),
                    service=service,
                    downstream=downstream,
                    timeout=float(raw.get("timeout", 30)),
                    roles=frozenset(raw.get("auth", {}).get("roles", [])),
                    rate_limit=policy,
                    max_body_bytes=int(raw.get("maxBodyBytes", 16 * 1024)),
                    dedups_idempotency_key=bool(raw.get("dedupsIdempotencyKey", False)),
                    pattern=_compile(upstream),
                )
            )
        return cls(routes=routes, services=services, rate_limits=limits)


def _replicas(path: Path, name: str, value: object) -> tuple[str, ...]:
    """Read a service's URL, or its list of replicas' URLs."""
    urls = [value] if isinstance(value, str) else value
    if (
        not isinstance(urls, list)
        or not urls
        or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls)
    ):
        raise RouteTableError(
            f"{path}: services.{name}: give an http(s) URL or a non-empty list of them"
        )
    return tuple(u.rstrip("/") for u in urls)


def _compile(template: str) -> re.Pattern[str]:
    """Turn '/api/chat/session/{token}' into a regex; '{everything}' spans slashes."""
    out = ""
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            out += f"(?P<{name}>.+)" if name == "everything" else f"(?P<{name}>[^/]+)"
        # DOTALL: a decoded path may hold any character, newlines included.
        else:
            out += re.escape(part)
    return re.compile(out, re.DOTALL)

"""Who the client is: the peer, or what a trusted proxy in front says it is.

Only the peers listed in `TRUSTED_PROXIES` (or `FORWARDED_ALLOW_IPS`, the same setting under
uvicorn's name) may say who the client is, with `Forwarded` (RFC 7239) or `X-Forwarded-For`,
and whether it came over https (`X-Forwarded-Proto`, or `proto=`). The chain is read from the
right: each address a trusted proxy added is believed until the first one that is not a
trusted proxy, which is the client. An address a client wrote itself never is.

A proxy may also have to show a shared key (`X-Okla-Gateway-Key`): on one host every process
connects from 127.0.0.1, so the address alone cannot tell the gateway from a stranger.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

# The header a gateway proves itself with (GATEWAY_KEY on both sides); it never travels on.
GATEWAY_KEY_HEADER = "x-okla-gateway-key"
# Where the address of the TCP peer is kept, once scope["client"] holds the client's.
PEER_STATE = "peer_address"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Read addresses and networks ("10.0.0.0/8", "::1"); raise ValueError on a bad one."""
    networks: list[Network] = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        if text == "*":
            networks += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not an IP address or network") from exc
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Tell whether an address (or "localhost") is this machine's loopback."""
    if host == "localhost":
        return True
    address = _address(host)
    return address is not None and address.is_loopback


@dataclass(frozen=True)
class TrustedProxies:
    """The peers whose forwarding headers are believed, and the key they must show (if any)."""

    networks: tuple[Network, ...] = ()
    key: str | None = None

    @classmethod
    def of(cls, values: Iterable[str], key: str | None = None) -> TrustedProxies:
        """Build from the setting's addresses and networks."""
        return cls(parse_networks(values), key or None)

    def trusts(self, host: str) -> bool:
        """Tell whether this address is one of the trusted proxies."""
        address = _address(host)
        return address is not None and any(address in net for net in self.networks)

    def resolve(self, peer: str, headers: Sequence[tuple[bytes, bytes]]) -> tuple[str, str | None]:
        """Return the client's address and the scheme the proxies report (None: the peer's)."""
        if not self.trusts(peer) or not self._key_shown(headers):
            return peer, None
        chain, proto = _forwarded(headers)
        client = peer
        for hop in reversed(chain):
            if _address(hop) is None:
                break  # "unknown" or garbage: the last trusted hop is all we know
            client = hop
            if not self.trusts(hop):
                break
        return client, proto

    def _key_shown(self, headers: Sequence[tuple[bytes, bytes]]) -> bool:
        if self.key is None:
            return True
        given = _header(headers, GATEWAY_KEY_HEADER.encode()) or ""
        return hmac.compare_digest(given.encode(), self.key.encode())


def _header(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in headers if k == name]
    return ", ".join(values) if values else None


def _forwarded(headers: Sequence[tuple[bytes, bytes]]) -> tuple[list[str], str | None]:
    """Return the forwarding chain, left to right, and the rightmost protocol."""
    standard = _header(headers, b"forwarded")
    if standard is not None:
        chain: list[str] = []
        proto: str | None = None
        for element in standard.split(","):
            hop = "unknown"
            for pair in element.split(";"):
                name, _, value = pair.strip().partition("=")
                value = value.strip().strip('"')
                if name.lower() == "for":
                    hop = _strip_port(value)
                elif name.lower() == "proto":
                    proto = value.lower()
            chain.append(hop)
        return chain, _scheme(proto)
    legacy = _header(headers, b"x-forwarded-for") or ""
    chain = [_strip_port(part.strip()) for part in legacy.split(",") if part.strip()]
    protos = [p.strip() for p in (_header(headers, b"x-forwarded-proto") or "").split(",")]
    return chain, _scheme(protos[-1] if protos else None)


def _strip_port(value: str) -> str:
    """Turn "[2001:db8::1]:4711", "192.0.2.1:80" or "::1" into the bare address."""
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value


def _scheme(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    return value if value in ("http", "https") else None


class ForwardedMiddleware:
    """Put the client's address (and scheme) in the scope, as the trusted proxies report it.

    The TCP peer's address stays in the scope's state as `peer_address`.
    """

    def __init__(self, app: ASGIApp, trusted: TrustedProxies) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.apply(scope)
        await self.app(scope, receive, send)

    def apply(self, scope: Scope) -> str:
        """Set the scope's client (and scheme) as the trusted proxies report; return it."""
        peer = (scope.get("client") or ("unknown", 0))[0]
        scope.setdefault("state", {})[PEER_STATE] = peer
        address, proto = self.trusted.resolve(peer, scope["headers"])
        if address != peer:
            scope["client"] = (address, 0)
        if proto is not None:
            scope["scheme"] = proto
        return address

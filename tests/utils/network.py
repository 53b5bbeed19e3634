"""This machine's addresses, for tests that must reach a server from beyond loopback."""

from __future__ import annotations

import ipaddress
import socket

import pytest


def outside_address() -> str:
    """Return a non-loopback IPv4 address of this machine (skip the test if it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # A UDP "connection" sends nothing; it only picks the interface a packet would use.
            probe.connect(("10.254.254.254", 9))
            address: str = probe.getsockname()[0]
        except OSError as exc:
            pytest.skip(f"this machine has no network interface besides loopback: {exc}")
    if ipaddress.ip_address(address).is_loopback:
        pytest.skip("this machine has no network interface besides loopback")
    return address

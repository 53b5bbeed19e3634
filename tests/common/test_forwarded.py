"""Whose word on the client's address is believed: trusted proxies only, read from the right."""

from __future__ import annotations

import pytest

from okla.common.forwarded import GATEWAY_KEY_HEADER, TrustedProxies, parse_networks

LOOPBACK = TrustedProxies.of(["127.0.0.1", "::1"])


def headers(**values: str) -> list[tuple[bytes, bytes]]:
    return [(k.replace("_", "-").encode(), v.encode()) for k, v in values.items()]


def test_an_untrusted_peer_s_claims_are_ignored() -> None:
    forged = headers(x_forwarded_for="198.51.100.7", x_forwarded_proto="https")
    assert LOOPBACK.resolve("203.0.113.5", forged) == ("203.0.113.5", None)
    assert TrustedProxies().resolve("127.0.0.1", forged) == ("127.0.0.1", None)


def test_the_chain_is_read_from_the_right_up_to_the_first_untrusted_hop() -> None:
    proxies = TrustedProxies.of(["10.0.0.0/8"])
    # The client wrote "1.2.3.4" itself; the proxy at 10.0.0.2 appended the address it saw.
    chain = headers(x_forwarded_for="1.2.3.4, 203.0.113.9, 10.0.0.3", x_forwarded_proto="https")
    assert proxies.resolve("10.0.0.2", chain) == ("203.0.113.9", "https")


def test_a_client_on_a_trusted_address_can_t_push_a_claim_through() -> None:
    # What the gateway forwards: the one address it found, never the client's own claims.
    assert LOOPBACK.resolve("127.0.0.1", headers(x_forwarded_for="127.0.0.1")) == (
        "127.0.0.1",
        None,
    )


def test_the_standard_forwarded_header_is_read_too() -> None:
    standard = headers(
        forwarded='for=198.51.100.1;proto=http, for="[2001:db8::7]:4711";proto=https'
    )
    assert LOOPBACK.resolve("::1", standard) == ("2001:db8::7", "https")
    garbage = headers(forwarded="for=unknown, for=_hidden")
    assert LOOPBACK.resolve("127.0.0.1", garbage) == ("127.0.0.1", None)


def test_with_a_key_only_the_proxy_that_shows_it_is_believed() -> None:
    keyed = TrustedProxies.of(["127.0.0.1"], key="s3cret")
    claim = headers(x_forwarded_for="203.0.113.9")
    assert keyed.resolve("127.0.0.1", claim) == ("127.0.0.1", None)
    wrong = [*claim, (GATEWAY_KEY_HEADER.encode(), b"guess")]
    assert keyed.resolve("127.0.0.1", wrong) == ("127.0.0.1", None)
    shown = [*claim, (GATEWAY_KEY_HEADER.encode(), b"s3cret")]
    assert keyed.resolve("127.0.0.1", shown) == ("203.0.113.9", None)


def test_bad_networks_are_named() -> None:
    with pytest.raises(ValueError, match="'10.0.0.300'"):
        parse_networks(["10.0.0.300"])
    assert len(parse_networks(["*"])) == 2

"""The address a request came from, for login lockouts and throttles.

Proxies are trusted by address (settings.TRUSTED_PROXIES), not by count: a hop in
X-Forwarded-For counts only when the machine that wrote it is one we run. Counting hops
instead breaks as soon as a proxy is added or removed, and silently hands the choice of
address to the client.
"""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks_parse(values) -> tuple[Network, ...]:
    """Addresses or CIDR networks ("127.0.0.1", "10.0.0.0/8", "::1"); ValueError if one is not."""
    return tuple(
        ipaddress.ip_network(str(v).strip(), strict=False) for v in values if str(v).strip()
    )


@functools.lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return trusted_networks_parse(values)


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless it is a trusted proxy: then the first untrusted hop of
    X-Forwarded-For, read from the right.

    Each trusted proxy appends the address it received the request from, so everything to
    the right of the first untrusted hop was written by our own proxies and everything to
    its left by the client, who may write anything. A peer that is not a trusted proxy is
    the client itself, and its X-Forwarded-For is ignored.

    An entry that is not an address stops the walk at the last trusted address seen: no
    trusted proxy writes one, so it comes from the client (or a misconfigured proxy) and
    nothing left of it can be believed. Attributing the request to that proxy address is
    the safe choice — a client cannot pick it to escape a limit. When every hop is trusted
    (a request made on the proxy's own host) the left-most one is the client.
    """
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not _trusted(peer):
        return str(peer) if peer else None
    address = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        hop_address = _parse(hop)
        if hop_address is None:
            break
        address = hop_address
        if not _trusted(address):
            break
    return str(address)

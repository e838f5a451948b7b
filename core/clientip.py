"""The address a request came from, for login lockouts and throttles."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind PROXY_COUNT reverse proxies, the address the outermost saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    PROXY_COUNT-th entry from the right is the last one a client cannot forge. Reading the
    left-most entry instead would let anyone pick their own address and escape every limit;
    without a proxy the header is ignored for the same reason.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count and (address := _valid(hops[-count])):
            return address
    return _valid(request.META.get("REMOTE_ADDR", ""))

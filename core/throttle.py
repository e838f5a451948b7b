"""Counting one client's failures over a time window in Django's cache (Redis when
configured, shared by every worker; local memory otherwise).

Only failures are counted, under a keyed hash of the client's address: the cache never
holds the address itself, what was tried, or anything about a request that succeeded.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from .clientip import client_ip


class FailureThrottle:
    """At most `limit` failures per client address in `window` seconds after the first;
    the settings are read at each call so that they may be changed in tests."""

    def __init__(self, scope: str, *, limit_setting: str, window_setting: str):
        self.scope = scope
        self.limit_setting = limit_setting
        self.window_setting = window_setting

    def _key(self, request: HttpRequest) -> str:
        address = client_ip(request) or ""
        digest = salted_hmac(f"core.throttle.{self.scope}", address).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}"

    def blocked(self, request: HttpRequest) -> bool:
        return (cache.get(self._key(request)) or 0) >= getattr(settings, self.limit_setting)

    def failed(self, request: HttpRequest) -> None:
        key = self._key(request)
        window = getattr(settings, self.window_setting)
        # The window runs from the first failure: incr keeps the key's expiry.
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)

"""A fixed-window rate limiter on the Django cache, keyed by what the caller chooses."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "parcelcare:ratelimit"


@dataclass(frozen=True)
class Verdict:
    """Whether one more attempt is allowed, and how long until the window starts over."""

    allowed: bool
    count: int
    retry_after: int


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` attempts per `window` seconds for each key, in fixed windows."""

    name: str
    limit: int
    window: int

    def _cache_key(self, key: str, bucket: int) -> str:
        # Hashed so no client address sits in the cache in clear, and any backend takes the key.
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"{PREFIX}:{self.name}:{digest}:{bucket}"

    def hit(self, key: str, now: datetime) -> Verdict:
        """Count one attempt for `key` now; refused once the window's count passes the limit."""
        seconds = int(now.timestamp())
        bucket, into = divmod(seconds, self.window)
        left = self.window - into
        cache_key = self._cache_key(key, bucket)
        cache.add(cache_key, 0, timeout=left + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # The entry expired between add and incr: this attempt opens a fresh window.
            cache.set(cache_key, 1, timeout=left + 1)
            count = 1
        return Verdict(allowed=count <= self.limit, count=count, retry_after=left)


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    X-Forwarded-For is not read: any client can set it, so trusting it would let anyone step
    around the limit. Behind a reverse proxy, configure the server so REMOTE_ADDR carries the
    real client address."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")

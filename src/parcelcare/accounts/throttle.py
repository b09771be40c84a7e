"""Fixed-window rate limits counted in the database, so every process and restart shares them.

One upsert per attempt (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL);
keys are hashed, so no client address, account name or link token is stored in clear. Windows
past their end are pruned whenever a key opens a new one."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import F
from django.http import HttpRequest

from .models import ThrottleWindow

TABLE = ThrottleWindow._meta.db_table

UPSERT = (
    f"INSERT INTO {TABLE} (name, digest, slot, hits, expires) VALUES (%s, %s, %s, 1, %s) "
    f"ON CONFLICT (name, digest, slot) DO UPDATE SET hits = {TABLE}.hits + 1 RETURNING hits"
)
PRUNE = f"DELETE FROM {TABLE} WHERE expires <= %s"


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

    def _slot(self, key: str, now: datetime) -> tuple[str, int, int, int]:
        """The hashed key, the window's number, seconds left in it and when its row expires."""
        seconds = int(now.timestamp())
        number, into = divmod(seconds, self.window)
        left = self.window - into
        digest = hashlib.sha256(f"{self.name}:{key}".encode()).hexdigest()[:32]
        return digest, number, left, seconds + left

    def hit(self, key: str, now: datetime) -> Verdict:
        """Count one attempt for `key` now; refused once the window's count passes the limit."""
        digest, number, left, expires = self._slot(key, now)
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, [self.name, digest, number, expires])
            count = int(cursor.fetchone()[0])
            if count == 1:
                cursor.execute(PRUNE, [int(now.timestamp())])
        return Verdict(allowed=count <= self.limit, count=count, retry_after=left)

    def peek(self, key: str, now: datetime) -> Verdict:
        """Whether one more attempt would be allowed, without counting one."""
        digest, number, left, _ = self._slot(key, now)
        row = ThrottleWindow.objects.filter(name=self.name, digest=digest, slot=number)
        count = row.values_list("hits", flat=True).first() or 0
        return Verdict(allowed=count < self.limit, count=count, retry_after=left)

    def release(self, key: str, now: datetime) -> None:
        """Take one attempt off `key`'s count in the current window (one that went well)."""
        digest, number, _, _ = self._slot(key, now)
        rows = ThrottleWindow.objects.filter(name=self.name, digest=digest, slot=number, hits__gt=0)
        rows.update(hits=F("hits") - 1)

    def reset(self, key: str, now: datetime) -> None:
        """Forget the attempts counted for `key` in the current window."""
        digest, number, _, _ = self._slot(key, now)
        ThrottleWindow.objects.filter(name=self.name, digest=digest, slot=number).delete()


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    X-Forwarded-For is not read: any client can set it, so trusting it would let anyone step
    around the limit. Behind a reverse proxy, configure the server so REMOTE_ADDR carries the
    real client address."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")

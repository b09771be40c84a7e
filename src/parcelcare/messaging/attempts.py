"""The outcome of one send attempt, written back to its queue row (outbox message or ask)."""

import logging
from datetime import datetime, timedelta

from django.db import models

log = logging.getLogger(__name__)

SENT, FAILED, DEAD = "sent", "failed", "dead"


def mark_sent(
    model: type[models.Model], row_id: int, *, attempts: int, now: datetime, provider_id: str
) -> str:
    """The row went out: its provider id, the attempt counted, the lease given back."""
    model._default_manager.filter(id=row_id).update(
        status=SENT,
        sent_at=now,
        attempts=attempts,
        lease_until=None,
        provider_message_id=provider_id[:200],
        last_error="",
    )
    return SENT


def mark_failed(
    model: type[models.Model],
    row_id: int,
    *,
    attempts: int,
    now: datetime,
    error: str,
    retryable: bool,
    max_attempts: int,
) -> str:
    """A failed attempt: retried with backoff (30 s doubling, at most an hour) or, when it cannot
    succeed or has been tried `max_attempts` times, dead with its reason; never dropped."""
    dead = not retryable or attempts >= max_attempts
    if dead:
        retry = None if model._meta.get_field("next_attempt_at").null else now
    else:
        retry = now + timedelta(seconds=min(3600, 30 * 2 ** (attempts - 1)))
    limit = getattr(model._meta.get_field("last_error"), "max_length", None) or 300
    model._default_manager.filter(id=row_id).update(
        status=DEAD if dead else FAILED,
        attempts=attempts,
        next_attempt_at=retry,
        lease_until=None,
        last_error=error[:limit],
    )
    log.info("%s %s %s", model._meta.model_name, row_id, "dead" if dead else "will be retried")
    return DEAD if dead else FAILED

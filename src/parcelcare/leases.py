"""Leased claims: a worker takes due rows for a while, set-wise, on SQLite and PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models, transaction

from parcelcare.tracking.sql import to_db


def skip_locked() -> str:
    """The lock clause that lets workers pass rows another holds (PostgreSQL; SQLite has none)."""
    return " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""


def due_ids(table: str, *, due: str, params: Sequence[Any], order_by: str, limit: int) -> list[int]:
    """Ids of up to `limit` rows matching `due`, locked until the caller's transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE {due} ORDER BY {order_by} LIMIT %s" + skip_locked(),
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def claim(
    model: type[models.Model],
    *,
    due: str,
    params: Sequence[Any],
    order_by: str,
    limit: int,
    now: datetime,
    lease: timedelta,
    status: str | None = None,
) -> list[int]:
    """Lease up to `limit` due rows until now + lease (and set `status`); returns their ids."""
    changes: dict[str, Any] = {"lease_until": now + lease}
    if status is not None:
        changes["status"] = status
    with transaction.atomic():
        ids = due_ids(model._meta.db_table, due=due, params=params, order_by=order_by, limit=limit)
        model._default_manager.filter(id__in=ids).update(**changes)
    return ids


def claim_retryable(
    model: type[models.Model],
    *,
    waiting: Sequence[str],
    working: str,
    now: datetime,
    limit: int,
    lease: timedelta,
) -> list[int]:
    """Lease rows in a `waiting` status whose next attempt is due, or in `working` whose lease
    ran out; they become `working` (oldest first)."""
    at = to_db(now)
    marks = ", ".join(["%s"] * len(waiting))
    return claim(
        model,
        due=f"(status IN ({marks}) AND next_attempt_at <= %s) "
        "OR (status = %s AND lease_until < %s)",
        params=[*waiting, at, working, at],
        order_by="id",
        limit=limit,
        now=now,
        lease=lease,
        status=working,
    )

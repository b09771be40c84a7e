"""Set-wise SQL helpers that run unchanged on SQLite and PostgreSQL."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from django.db import connection

CHUNK = 500
"""Ids per IN (...) list; well under SQLite's bound-parameter limit."""


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def placeholders(count: int) -> str:
    """'%s, %s, …' for an IN list of `count` values."""
    return ", ".join(["%s"] * count)


def to_db(moment: datetime | None) -> Any:
    """An aware datetime as the database driver wants it (hot path: no per-call lookups)."""
    if moment is None or not _sqlite():
        return moment
    # The text form Django's SQLite backend stores: naive UTC, space-separated.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ")[:-6]


@cache
def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def to_db_date(day: date | None) -> Any:
    """A date as the database driver wants it."""
    return connection.ops.adapt_datefield_value(day)


def from_db(value: Any) -> datetime | None:
    """A raw column value back to an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def instant(value: Any) -> datetime:
    """A raw column value that is never NULL, as an aware UTC datetime."""
    moment = from_db(value)
    if moment is None:
        raise ValueError("expected a timestamp, found NULL")
    return moment


def from_db_date(value: Any) -> date | None:
    """A raw column value back to a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def select_in(sql: str, ids: Sequence[Any], *params: Any) -> list[tuple[Any, ...]]:
    """Run `sql` (with one `{ids}` slot) for every chunk of `ids`; leading params first."""
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for part in chunks(ids):
            cursor.execute(sql.format(ids=placeholders(len(part))), [*params, *part])
            rows.extend(cursor.fetchall())
    return rows


def execute_many(sql: str, rows: Iterable[Sequence[Any]]) -> int:
    """executemany and return the number of rows the statement changed."""
    rows = list(rows)
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return max(cursor.rowcount, 0)


ROWS_PER_INSERT = 400
"""Rows per multi-row INSERT: one round trip for many rows, under both engines' limits."""


def insert_many(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, ignore_conflicts: bool
) -> int:
    """Insert rows with multi-row VALUES statements; returns how many rows were inserted."""
    rows = list(rows)
    if not rows:
        return 0
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    inserted = 0
    with connection.cursor() as cursor:
        for part in chunks(rows, ROWS_PER_INSERT):
            cursor.execute(
                head + ", ".join([one] * len(part)) + tail, [value for row in part for value in row]
            )
            inserted += max(cursor.rowcount, 0)
    return inserted


def update_many(
    table: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]
) -> None:
    """Update many rows by id with UPDATE … FROM (VALUES …): one statement per few hundred rows.

    `columns` are (name, PostgreSQL type) pairs; each row is (id, *values) in that order.
    PostgreSQL needs the casts because parameters in VALUES arrive untyped; SQLite needs none.
    """
    rows = list(rows)
    if not rows:
        return
    pg = connection.vendor == "postgresql"

    def cast(kind: str) -> str:
        return f"::{kind}" if pg else ""

    sets = ", ".join(
        f"{name} = v.column{n + 2}{cast(kind)}" for n, (name, kind) in enumerate(columns)
    )
    one = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for part in chunks(rows, ROWS_PER_INSERT):
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([one] * len(part))}) AS v "
                f"WHERE {table}.id = v.column1{cast('bigint')}",
                [value for row in part for value in row],
            )

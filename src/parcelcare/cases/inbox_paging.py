"""The inbox in pages: keyset cursors over (due, id), the one due first on top, with counts.

A cursor names the last row shown and how many came before it, so a page never skips or repeats
a case when others are opened meanwhile, and the page can say "51-100 of 230"."""

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from parcelcare.accounts.models import Shop
from parcelcare.domain.sla import SlaState

from .models import Case
from .policy import Desk
from .queries import BadFilter, CaseFilter, Due, due_now, open_cases

PAGE_SIZE = 50
CHUNK = 200


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after the case `last_id` due at `due`, `seen` rows shown."""

    due: datetime
    last_id: int
    seen: int


def encode(cursor: Cursor) -> str:
    """An opaque, URL-safe cursor."""
    raw = f"i:{cursor.due.isoformat()}|{cursor.last_id}|{cursor.seen}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(text: str) -> Cursor:
    """The cursor behind a link; BadFilter for anything this page did not give out."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        kind, _, rest = raw.partition(":")
        due, last_id, seen = rest.split("|")
        moment = datetime.fromisoformat(due)
        if kind != "i" or moment.utcoffset() is None or int(last_id) < 1 or int(seen) < 0:
            raise ValueError
        return Cursor(moment, int(last_id), int(seen))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadFilter("this page link is not one the inbox gave out") from None


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox: its rows, where it starts, how many match, the next cursor."""

    rows: list[tuple[Case, Due]]
    first: int
    total: int
    next_cursor: str | None

    @property
    def last(self) -> int:
        """The position of the page's last row (1-based)."""
        return self.first + len(self.rows) - 1


def _by_sla(cases: QuerySet[Case], flt: CaseFilter, now: datetime) -> QuerySet[Case]:
    """Narrow in SQL what SQL can decide: a breached case is due before now, one at risk not."""
    if flt.sla == SlaState.BREACHED:
        return cases.filter(**{"due__lt": now})
    if flt.sla == SlaState.AT_RISK:
        return cases.filter(**{"due__gte": now})
    return cases


def _matching(
    cases: QuerySet[Case], flt: CaseFilter, desk: Desk, now: datetime
) -> Iterator[tuple[Case, Due]]:
    """The cases with what is due next; "at risk" needs working time, counted per case."""
    for case in cases.iterator(chunk_size=CHUNK):
        due = due_now(case, desk, now)
        if flt.sla and due.state != flt.sla:
            continue
        yield case, due


def _total(cases: QuerySet[Case], flt: CaseFilter, desk: Desk, now: datetime) -> int:
    if flt.sla == SlaState.AT_RISK:
        return sum(1 for _ in _matching(cases, flt, desk, now))
    return cases.count()


def inbox_page(
    *,
    shop: Shop,
    flt: CaseFilter,
    user_id: int | None,
    desk: Desk,
    now: datetime,
    cursor: str | None,
    size: int = PAGE_SIZE,
) -> InboxPage:
    """One page of open cases matching the filter, the one due first on top."""
    after = decode(cursor) if cursor else None
    cases = _by_sla(open_cases(shop, flt, user_id), flt, now)
    total = _total(cases, flt, desk, now)
    if after is not None:
        cases = cases.filter(
            Q(("due__gt", after.due)) | Q(("due", after.due), id__gt=after.last_id)
        )
    rows: list[tuple[Case, Due]] = []
    more = False
    for found in _matching(cases, flt, desk, now):
        if len(rows) == size:
            more = True
            break
        rows.append(found)
    seen = after.seen if after else 0
    next_cursor = None
    if more:
        last = rows[-1][0]
        next_cursor = encode(Cursor(last.due, last.pk, seen + len(rows)))  # type: ignore[attr-defined]
    return InboxPage(rows=rows, first=seen + 1, total=total, next_cursor=next_cursor)

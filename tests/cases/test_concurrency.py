"""Concurrent remedies on one order: real threads, real transactions, one ledger.

SQLite serialises writers with IMMEDIATE transactions, PostgreSQL with the order's row lock
(select_for_update); either way the second refund sees the first and is refused.

On SQLite the races run again in a child pytest on a database file (see races.py).
"""

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db.models import Sum
from parcels import DELIVERED, NOW, make_parcel, open_for

from conftest import ApiShop
from parcelcare.cases.actors import Who
from parcelcare.cases.models import Case
from parcelcare.cases.outcomes import record_remedy
from parcelcare.domain.errors import LedgerError
from parcelcare.domain.money import RemedyKind
from parcelcare.ledger.models import RemedyEntry
from races import needs_waiting_writers, on_sqlite_file_only, race, rerun_on_sqlite_file

THREADS = 4


@pytest.fixture
def case(api_shop: ApiShop) -> Case:
    """An open not-received case on a delivered parcel."""
    parcel = make_parcel(api_shop, "4001", DELIVERED)
    return open_for(parcel)


def _refund(case: Case, key: str, agent: str) -> Callable[[], object]:
    return lambda: record_remedy(
        case=case,
        kind=RemedyKind.REFUND,
        amount=case.order.total,
        who=Who("agent", agent),
        now=NOW,
        idempotency_key=key,
    )


@needs_waiting_writers
@pytest.mark.django_db(transaction=True)
def test_full_refunds_with_different_keys_at_once_book_exactly_one(case: Case) -> None:
    refunds = [_refund(case, f"refund-{n}", f"agent{n}") for n in range(THREADS)]
    outcomes = race(refunds, refused=LedgerError)
    assert outcomes == Counter({"ok": 1, "refused": THREADS - 1})
    entries = RemedyEntry.objects.filter(order=case.order)
    assert entries.count() == 1
    assert entries.aggregate(total=Sum("amount"))["total"] <= case.order.total


@needs_waiting_writers
@pytest.mark.django_db(transaction=True)
def test_the_same_key_from_two_threads_books_one_entry(case: Case) -> None:
    refunds = [_refund(case, "refund-same", f"agent{n}") for n in range(2)]
    outcomes = race(refunds, refused=LedgerError)
    assert outcomes == Counter({"ok": 2})  # the second call replays the first
    assert RemedyEntry.objects.filter(order=case.order).count() == 1


@on_sqlite_file_only
def test_the_races_on_a_sqlite_file(tmp_path: Path) -> None:
    rerun_on_sqlite_file(__file__, tmp_path, "2 passed, 1 skipped")

"""Concurrent remedies on one order: real threads, real transactions, one ledger.

SQLite serialises writers with IMMEDIATE transactions, PostgreSQL with the order's row lock
(select_for_update); either way the second refund sees the first and is refused.

The default SQLite test database lives in shared-cache memory, where a writer that finds the
database busy fails at once instead of waiting (SQLITE_LOCKED ignores busy_timeout). Real
deployments use a file, so on SQLite the races run again in a child pytest on a database file.
"""

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from parcels import DELIVERED, NOW, make_parcel

from conftest import ApiShop
from parcelcare.cases.actors import CUSTOMER, Who
from parcelcare.cases.models import Case
from parcelcare.cases.outcomes import record_remedy
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.errors import LedgerError
from parcelcare.domain.money import RemedyKind
from parcelcare.ledger.models import RemedyEntry

THREADS = 4
ROOT = Path(__file__).resolve().parents[2]


def _shared_memory_sqlite() -> bool:
    database = settings.DATABASES["default"]
    return database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME")


needs_waiting_writers = pytest.mark.skipif(
    _shared_memory_sqlite(), reason="in-memory SQLite cannot queue writers; see the last test"
)


@pytest.fixture
def case(api_shop: ApiShop) -> Case:
    """An open not-received case on a delivered parcel."""
    parcel = make_parcel(api_shop, "4001", DELIVERED)
    opened, _ = open_case(
        shop=api_shop.shop,
        order=parcel.order,
        kind=CaseKind.NOT_RECEIVED,
        source=Case.Source.CUSTOMER,
        who=CUSTOMER,
        now=NOW,
    )
    return opened


def _race(calls: list[Callable[[], object]]) -> Counter[str]:
    """Run the calls in threads released together; count how each one ended."""
    start = threading.Barrier(len(calls))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
            outcome = "booked"
        except LedgerError:
            outcome = "refused"
        except Exception as error:  # any other ending fails the test's assertion
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


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
    outcomes = _race([_refund(case, f"refund-{n}", f"agent{n}") for n in range(THREADS)])
    assert outcomes == Counter({"booked": 1, "refused": THREADS - 1})
    entries = RemedyEntry.objects.filter(order=case.order)
    assert entries.count() == 1
    assert entries.aggregate(total=Sum("amount"))["total"] <= case.order.total


@needs_waiting_writers
@pytest.mark.django_db(transaction=True)
def test_the_same_key_from_two_threads_books_one_entry(case: Case) -> None:
    outcomes = _race([_refund(case, "refund-same", f"agent{n}") for n in range(2)])
    assert outcomes == Counter({"booked": 2})  # the second call replays the first
    assert RemedyEntry.objects.filter(order=case.order).count() == 1


@pytest.mark.skipif(not _shared_memory_sqlite(), reason="the races above ran on this database")
def test_the_races_on_a_sqlite_file(tmp_path: Path) -> None:
    env = {**os.environ, "PARCELCARE_TEST_SQLITE_PATH": str(tmp_path / "race.db")}
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            __file__,
            "-o",
            "addopts=",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert "2 passed, 1 skipped" in child.stdout

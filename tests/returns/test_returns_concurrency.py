"""Races with real threads and transactions: workers sharing payouts pay each refund once;
two clicks on "resolve" book one refund; two requests for the last item take it once.

In-memory SQLite cannot queue writers (SQLITE_LOCKED ignores busy_timeout), so on SQLite the
races run again in a child pytest on a database file, as the case desk's races do."""

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import respx
from django.conf import settings
from django.db import connection
from returning import NOW, Bought, bought_order  # noqa: F401

from parcelcare.domain.errors import DomainError
from parcelcare.domain.returns_policy import Pick
from parcelcare.ledger import payouts
from parcelcare.ledger.book import book
from parcelcare.ledger.models import OrderPayment, PayoutAccount, RemedyEntry
from parcelcare.returns import services
from parcelcare.returns.models import ReturnRequest

THREADS = 4
ROOT = Path(__file__).resolve().parents[2]


def _shared_memory_sqlite() -> bool:
    database = settings.DATABASES["default"]
    return database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME")


needs_waiting_writers = pytest.mark.skipif(
    _shared_memory_sqlite(), reason="in-memory SQLite cannot queue writers; see the last test"
)


def race(calls: list[Callable[[], object]]) -> Counter[str]:
    """Run the calls in threads released together; count how each one ended."""
    start = threading.Barrier(len(calls))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            result = call()
            outcome = f"ok {result}" if isinstance(result, dict) else "ok"
        except DomainError:
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


@needs_waiting_writers
@pytest.mark.django_db(transaction=True)
def test_workers_sharing_payouts_pay_each_refund_once(bought: Bought, monkeypatch):
    monkeypatch.setattr(payouts, "_pay_soon", lambda: None)
    shop_id = bought.order.shop_id
    OrderPayment.objects.create(
        shop_id=shop_id, order=bought.order, provider="stripe", reference="pi_race"
    )
    PayoutAccount.objects.create(shop_id=shop_id, provider="stripe", secret="sk_test_race")
    for n in range(3):
        book(
            order_id=bought.order.pk,
            shop_id=shop_id,
            kind="partial_refund",
            amount=100,
            idempotency_key=f"r{n}",
            actor_type="agent",
            actor="eva",
            now=NOW,
        )
    with respx.mock:
        route = respx.post("https://api.stripe.com/v1/refunds").mock(
            return_value=httpx.Response(
                200, json={"id": "re_1", "object": "refund", "status": "succeeded", "amount": 100}
            )
        )
        race([lambda: payouts.pay_due(NOW) for _ in range(THREADS)])
    assert route.call_count == 3
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert len(set(keys)) == 3
    assert set(RemedyEntry.objects.values_list("status", flat=True)) == {"paid"}


@needs_waiting_writers
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_resolve_book_one_refund(bought: Bought):
    item = services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 2)],
        reason="damaged",
        resolution="refund",
        language="en",
        now=NOW,
    )
    for step in (services.approve, services.mark_received, services.inspect):
        step(request=item, who=services.SYSTEM, now=NOW)
    outcomes = race(
        [
            lambda: services.resolve(request=item, kind="refund", who=services.SYSTEM, now=NOW)
            for _ in range(2)
        ]
    )
    assert outcomes == Counter({"ok": 2})
    assert RemedyEntry.objects.filter(return_request=item).count() == 1


@needs_waiting_writers
@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_last_items_take_them_once(bought: Bought):
    def ask() -> object:
        return services.request_return(
            order=bought.order,
            picks=[Pick(bought.seeds.pk, 3)],
            reason="other",
            resolution="refund",
            language="en",
            now=NOW,
        )

    outcomes = race([ask for _ in range(THREADS)])
    assert outcomes == Counter({"ok": 1, "refused": THREADS - 1})
    assert ReturnRequest.objects.count() == 1


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
    assert "3 passed, 1 skipped" in child.stdout

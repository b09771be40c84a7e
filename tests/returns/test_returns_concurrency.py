"""Races with real threads and transactions: workers sharing payouts pay each refund once;
two clicks on "resolve" book one refund; two requests for the last item take it once.

In-memory SQLite cannot queue writers (SQLITE_LOCKED ignores busy_timeout), so on SQLite the
races run again in a child pytest on a database file (see races.py)."""

from collections import Counter
from pathlib import Path

import httpx
import pytest
import respx
from returning import NOW, Bought, bought_order, inspected  # noqa: F401

from parcelcare.domain.returns_policy import Pick
from parcelcare.ledger import payouts
from parcelcare.ledger.book import book
from parcelcare.ledger.models import OrderPayment, PayoutAccount, RemedyEntry
from parcelcare.returns import services
from parcelcare.returns.models import ReturnRequest
from races import needs_waiting_writers, on_sqlite_file_only, race, rerun_on_sqlite_file

THREADS = 4


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
    item = inspected(bought, 2)
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


@on_sqlite_file_only
def test_the_races_on_a_sqlite_file(tmp_path: Path) -> None:
    rerun_on_sqlite_file(__file__, tmp_path, "3 passed, 1 skipped")

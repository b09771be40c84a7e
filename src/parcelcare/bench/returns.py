"""`parcelcare bench returns`: return portal submissions through the real view, and refunds
paid out against a provider answering over an in-process HTTP transport.

Seeds N delivered orders set-wise, then measures: the latency of each portal submission (a
POST to /t/<token>/return: lookup by link, policy check with the order row locked, request,
lines and audit written) against a bare ORM insert of the same request and line rows; and
refunds paid per second through the payout path (claim with a lease, Stripe-shaped HTTP call
with its Idempotency-Key, settle with audit) against bare HTTP calls to the same transport.
"""

import json
import logging
import statistics
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import httpx
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.domain.money import RemedyKind
from parcelcare.integrations.payments.stripe import StripePayouts
from parcelcare.jobs import huey
from parcelcare.ledger import payouts
from parcelcare.ledger.book import book
from parcelcare.ledger.models import OrderPayment, Payout, PayoutAccount, RemedyEntry
from parcelcare.returns.models import ReturnLine, ReturnRequest
from parcelcare.tracking.models import Order, OrderLine, Shipment
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.schemas import OrderIn
from parcelcare.tracking.sql import execute_many

from .figures import quantile
from .fixtures import bench_shop, delete_shop

BATCH = 500
STRIPE = "https://api.stripe.com"


def _order(n: int, now: datetime) -> OrderIn:
    return OrderIn.model_validate(
        {
            "order_number": f"R{n}",
            "placed_at": (now - timedelta(days=6)).isoformat(),
            "currency": "EUR",
            "customer": {"email": f"r{n}@example.com", "name": "Bench", "language": "nl"},
            "shipping_address": {"country": "NL", "postcode": "3511 AB", "city": "Utrecht"},
            "lines": [
                {"sku": "POT", "name": "Pot", "quantity": 2, "unit_price": 1495, "currency": "EUR"}
            ],
            "shipments": [{"carrier": "postnl", "tracking_number": f"3SRET{n:07d}"}],
        }
    )


def _seed(shop: Shop, orders: int, now: datetime) -> None:
    for start in range(0, orders, BATCH):
        batch = [_order(n, now) for n in range(start, min(start + BATCH, orders))]
        upsert_orders(shop_id=shop.id, default_language="nl", batch=batch, now=now)
    Shipment.objects.filter(shop=shop).update(status="delivered", delivered_at=now - timedelta(2))


def _submissions(shop: Shop) -> list[float]:
    """Seconds per portal submission, one per order."""
    client = Client()
    rows = Shipment.objects.filter(shop=shop).values_list("public_token", "order_id")
    lines = dict(OrderLine.objects.filter(order__shop=shop).values_list("order_id", "id"))
    times = []
    for token, order_id in rows:
        cache.clear()  # the rate limit counts per client address; this is one client
        form = {f"qty_{lines[order_id]}": "1", "reason": "wrong_size", "resolution": "refund"}
        began = time.perf_counter()
        answer = client.post(f"/t/{token}/return", form)
        times.append(time.perf_counter() - began)
        if answer.status_code != 303:
            raise RuntimeError(f"portal answered {answer.status_code}")
    return times


def _baseline_inserts(shop: Shop, now: datetime) -> list[float]:
    """Seconds per bare insert of a request and its line, in a transaction, per order."""
    times = []
    for order in Order.objects.filter(shop=shop).select_related("customer")[:1000]:
        line = order.lines.get()
        began = time.perf_counter()
        with transaction.atomic():
            made = ReturnRequest.objects.create(
                shop=shop,
                order=order,
                customer=order.customer,
                reason="other",
                resolution="refund",
                goods_minor=1495,
                refund_minor=1495,
                currency="EUR",
                window_closes_at=now,
                created_at=now,
                updated_at=now,
                status="rejected",
            )
            ReturnLine.objects.create(
                request=made, order_line=line, sku="POT", quantity=1, unit_price=1495
            )
        times.append(time.perf_counter() - began)
    return times


def stripe_transport() -> httpx.MockTransport:
    """A Stripe refunds endpoint in process: refund objects, replayed per Idempotency-Key."""
    seen: dict[str, dict[str, Any]] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        key = request.headers.get("Idempotency-Key", "")
        if key not in seen:
            form = parse_qs(request.content.decode())
            seen[key] = {
                "id": f"re_{len(seen):08d}",
                "object": "refund",
                "status": "succeeded",
                "amount": int(form["amount"][0]),
                "currency": "eur",
                "metadata": {},
                "payment_intent": form.get("payment_intent", [""])[0],
            }
        return httpx.Response(200, json=seen[key])

    return httpx.MockTransport(answer)


def _book_refunds(shop: Shop, now: datetime) -> int:
    PayoutAccount.objects.create(shop=shop, provider="stripe", secret="sk_bench")
    orders = list(Order.objects.filter(shop=shop).values_list("id", flat=True))
    OrderPayment.objects.bulk_create(
        OrderPayment(shop=shop, order_id=pk, provider="stripe", reference=f"pi_{pk}")
        for pk in orders
    )
    for pk in orders:
        book(
            order_id=pk,
            shop_id=shop.id,
            kind=RemedyKind.PARTIAL_REFUND,
            amount=1000,
            idempotency_key=f"bench-{pk}",
            actor_type="system",
            actor="bench",
            now=now,
        )
    return len(orders)


def _payouts_per_second(now: datetime) -> tuple[float, int]:
    with httpx.Client(transport=stripe_transport()) as client:
        factory = lambda account: StripePayouts(client, account.secret, STRIPE)  # noqa: E731
        began, paid = time.perf_counter(), 0
        while counts := payouts.pay_due(now, factory=factory, limit=200):
            paid += counts.get("succeeded", 0)
        return paid / (time.perf_counter() - began), paid


def _raw_calls_per_second(calls: int) -> float:
    with httpx.Client(transport=stripe_transport()) as client:
        began = time.perf_counter()
        for n in range(calls):
            client.post(
                f"{STRIPE}/v1/refunds",
                data={"amount": "1000", "payment_intent": "pi"},
                headers={"Idempotency-Key": f"raw-{n}"},
            )
            json.loads(b"{}")
        return calls / (time.perf_counter() - began)


def _cleanup(shop: Shop) -> None:
    Payout.objects.filter(shop=shop).delete()
    RemedyEntry.objects.filter(shop=shop).delete()
    ReturnRequest.objects.filter(shop=shop).delete()
    OrderPayment.objects.filter(shop=shop).delete()
    PayoutAccount.objects.filter(shop=shop).delete()
    execute_many("DELETE FROM accounts_auditentry WHERE shop_id = %s", [(shop.id,)])
    delete_shop(shop)


def run(*, orders: int = 500) -> dict[str, Any]:
    """Portal p50/p99 against bare inserts, and refunds/s against bare HTTP calls."""
    now = clock.now()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per call would drown the run
    shop = bench_shop("returns")
    immediate, huey.immediate = huey.immediate, False
    try:
        _seed(shop, orders, now)
        portal = _submissions(shop)
        floor = _baseline_inserts(shop, now)
        ReturnRequest.objects.filter(shop=shop, status="rejected").delete()
        _book_refunds(shop, now)
        rate, paid = _payouts_per_second(now)
        raw = _raw_calls_per_second(max(paid, 1))
    finally:
        huey.immediate = immediate
        huey.flush()
        _cleanup(shop)
    p50, p99 = statistics.median(portal), quantile(portal, 0.99)
    base = statistics.median(floor)
    return {
        "benchmark": "returns",
        "database": connection.vendor,
        "orders": orders,
        "portal_submissions": len(portal),
        "portal_p50_ms": round(p50 * 1000, 2),
        "portal_p99_ms": round(p99 * 1000, 2),
        "portal_p99_under_300_ms": p99 < 0.3,
        "baseline_insert_p50_ms": round(base * 1000, 2),
        "portal_ratio_to_baseline": round(p50 / base, 2) if base else None,
        "refunds_paid": paid,
        "refunds_per_second": round(rate, 1),
        "baseline_http_calls_per_second": round(raw, 1),
        "refunds_ratio_to_baseline": round(rate / raw, 3) if raw else None,
    }

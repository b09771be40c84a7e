"""`parcelcare bench assistant`: understanding speed and quality, and inbound-to-reply latency.

Classification is timed per message over the held-out messages (p50, p99), against splitting
the same texts into words in the same run. Quality is the held-out evaluation. Then N customer
messages (NL/DE/EN/FR, a fifth "not received" on delivered parcels) are stored and answered the
way the worker does; the latency runs from storing a message to its reply (outbox row or
playbook-B case) committed, against a bare insert of an inbound row and an outbox row.
"""

import os
import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.assistant import classifier as model
from parcelcare.assistant.dataset import held_out
from parcelcare.assistant.evaluate import Labelled, evaluate
from parcelcare.assistant.inbox import process_due, receive
from parcelcare.assistant.models import AssistantSettings, InboundMessage
from parcelcare.assistant.respond import handle
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Shipment
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.schemas import OrderIn
from parcelcare.tracking.sql import execute_many

from .cases import delete_cases
from .figures import quantile
from .fixtures import bench_shop

BATCH = 500
QUESTIONS = {
    "nl": "Hoi, waar blijft mijn pakket? Bestelling {n}",
    "de": "Hallo, wo ist mein Paket? Bestellnummer {n}",
    "en": "Hi, where is my order {n}? Still waiting for it.",
    "fr": "Bonjour, où est ma commande {n} ?",
}
NOT_RECEIVED = "Mijn pakket staat op bezorgd maar ik heb niks ontvangen, bestelling {n}"
LANGUAGES = tuple(QUESTIONS)


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 3),
        "p99_ms": round(quantile(values, 0.99) * 1000, 3),
    }


def _classify(repeat: int) -> dict[str, Any]:
    """Per-message classification times (wall clock, and CPU time, which a busy shared machine
    does not inflate) against a plain split of the same texts."""
    texts = [e.text for e in held_out()]
    classifier = model.classifier()
    wall, cpu, baseline = [], [], []
    for _ in range(repeat):
        for text in texts:
            began, began_cpu = time.perf_counter(), time.thread_time()
            classifier.understand(text)
            wall.append(time.perf_counter() - began)
            cpu.append(time.thread_time() - began_cpu)
            began = time.perf_counter()
            text.lower().split()
            baseline.append(time.perf_counter() - began)
    spent = sum(wall)
    return {
        "classify": _ms(wall),
        "classify_cpu": _ms(cpu),
        "classify_per_second": round(len(wall) / spent, 1) if spent else None,
        "ratio_to_split_baseline": round(spent / sum(baseline), 1) if sum(baseline) else None,
    }


def _quality() -> dict[str, Any]:
    messages = [Labelled(e.text, e.language, e.intent) for e in held_out()]
    result = evaluate(model.classifier(), messages)
    result.pop("errors")
    return result


def _order(n: int, now: datetime) -> OrderIn:
    language = LANGUAGES[n % 4]
    return OrderIn.model_validate(
        {
            "order_number": f"A{10000 + n}",
            "placed_at": (now - timedelta(days=5)).isoformat(),
            "currency": "EUR",
            "customer": {"email": f"a{n}@example.com", "name": "Bench", "language": language},
            "shipping_address": {"country": "NL", "postcode": "3511 AB", "city": "Utrecht"},
            "lines": [
                {"sku": "POT", "name": "Pot", "quantity": 1, "unit_price": 1495, "currency": "EUR"}
            ],
            "shipments": [{"carrier": "postnl", "tracking_number": f"3SASST{n:07d}"}],
        }
    )


def _seed(shop: Shop, messages: int, now: datetime) -> None:
    """One order per message; every fifth parcel delivered two days ago, the rest moving."""
    for start in range(0, messages, BATCH):
        batch = [_order(n, now) for n in range(start, min(start + BATCH, messages))]
        upsert_orders(shop_id=shop.id, default_language="nl", batch=batch, now=now)
    parcels = Shipment.objects.filter(shop=shop)
    parcels.filter(tracking_number__regex=r"[05]$").update(
        status="delivered", delivered_at=now - timedelta(days=2), status_since=now
    )
    parcels.exclude(status="delivered").update(status="in_transit", status_since=now)


def _question(n: int) -> str:
    return (NOT_RECEIVED if n % 5 == 0 else QUESTIONS[LANGUAGES[n % 4]]).format(n=f"A{10000 + n}")


def _answer_all(shop: Shop, messages: int, now: datetime) -> dict[str, Any]:
    """Store each message and answer it as the worker does; time store-to-reply-committed."""
    latencies, cpu = [], []
    for n in range(messages):
        began, began_cpu = time.perf_counter(), time.thread_time()
        receive(
            shop_id=shop.id,
            channel="email",
            external_id=f"<bench-{n}@mail.example>",
            sender=f"a{n}@example.com",
            body=_question(n),
            now=now,
            wake=False,
        )
        process_due(handle, now)
        latencies.append(time.perf_counter() - began)
        cpu.append(time.thread_time() - began_cpu)
    rows = InboundMessage.objects.filter(shop=shop)
    outcomes: dict[str, int] = {}
    for outcome in rows.values_list("outcome", flat=True):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    spent = sum(latencies)
    return {
        "inbound_to_reply": _ms(latencies),
        "inbound_to_reply_cpu": _ms(cpu),
        "messages_answered_per_second": round(messages / spent, 1) if spent else None,
        "outcomes": outcomes,
    }


def _baseline(shop: Shop, messages: int, now: datetime) -> float:
    """Seconds per message for a bare insert of an inbound row and an outbox row."""
    shipments = list(Shipment.objects.filter(shop=shop).values_list("id", flat=True)[:messages])
    began = time.perf_counter()
    for n, shipment_id in enumerate(shipments):
        with transaction.atomic():
            InboundMessage.objects.create(
                shop=shop, channel="form", external_id=f"base-{n}", body="x", received_at=now
            )
            OutboxMessage.objects.create(
                shop=shop,
                shipment_id=shipment_id,
                kind="assistant_reply",
                channel="email",
                audience="customer",
                idempotency_key=f"base-{n}",
                language="nl",
                send_at=now,
                created_at=now,
            )
    return (time.perf_counter() - began) / max(len(shipments), 1)


def delete_assistant(shop: Shop) -> None:
    """Remove the benchmark shop's assistant rows, then its cases and the shop."""
    for table in ("assistant_inboundmessage", "assistant_assistantsettings", "assistant_mailbox"):
        execute_many(f"DELETE FROM {table} WHERE shop_id = %s", [(shop.id,)])
    delete_cases(shop)


def run(*, messages: int = 400, repeat: int = 5, keep: bool = False) -> dict[str, Any]:
    """Measure classification, quality and inbound-to-reply latency on one database."""
    began = time.perf_counter()
    model.classifier()
    first_use = time.perf_counter() - began
    classify = _classify(repeat)
    quality = _quality()
    now = clock.now()
    shop = bench_shop("assistant")
    AssistantSettings.objects.create(shop=shop)
    _seed(shop, messages, now)
    answered = _answer_all(shop, messages, now)
    base = _baseline(shop, messages, now)
    p50 = answered["inbound_to_reply"]["p50_ms"] / 1000
    if not keep:
        delete_assistant(shop)
    return {
        "benchmark": "assistant",
        "load_average": round(os.getloadavg()[0], 1),
        "database": connection.vendor,
        "messages": messages,
        **classify,
        **answered,
        "baseline_insert_ms": round(base * 1000, 3),
        "ratio_to_baseline_p50": round(p50 / base, 1) if base else None,
        "model_ready_seconds": round(first_use, 2),
        "model_trained_seconds": round(model.classifier().trained_in_seconds, 2),
        "quality_held_out": quality,
    }

"""`parcelcare bench notify`: event to outbox row latency while ingesting, and the send rate
into a local SMTP sink against bare smtplib sends of the same number of mails."""

import logging
import smtplib
import socket
import statistics
import time
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from django.db import connection

from parcelcare import clock
from parcelcare.messaging.channels import smtp_settings
from parcelcare.messaging.gate import PACE
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due
from parcelcare.tracking.ingest import ingest_events
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.schemas import OrderIn

from .figures import quantile
from .fixtures import bench_shop, delete_shop


def _orders(count: int, now: Any) -> list[OrderIn]:
    placed = (now - timedelta(days=8)).isoformat()
    promised = (now - timedelta(days=4)).date().isoformat()
    return [
        OrderIn.model_validate(
            {
                "order_number": f"N{n}",
                "placed_at": placed,
                "currency": "EUR",
                "customer": {"email": f"c{n}@example.com", "name": "Bench", "language": "nl"},
                "shipping_address": {"country": "NL", "postcode": "1234 AB", "city": "Utrecht"},
                "shipments": [
                    {
                        "carrier": "postnl",
                        "tracking_number": f"3SNOTIFY{n:07d}",
                        "promised_delivery_date": promised,
                    }
                ],
            }
        )
        for n in range(count)
    ]


def _latencies(shop_id: int, parcels: int, batch: int, now: Any) -> list[float]:
    """Seconds from a batch's arrival to its committed outbox rows, per batch."""
    at = (now - timedelta(days=1)).isoformat()
    events = [
        {
            "carrier": "postnl",
            "tracking_number": f"3SNOTIFY{n:07d}",
            "occurred_at": at,
            "code": "J01",
            "description": "Zending is gesorteerd",
        }
        for n in range(parcels)
    ]
    spent = []
    for start in range(0, parcels, batch):
        began = time.perf_counter()
        ingest_events(shop_id=shop_id, items=events[start : start + batch], now=now)
        spent.append(time.perf_counter() - began)
    return spent


class _Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _raw_rate(port: int, count: int) -> float:
    """The floor: smtplib sends of small mails, one connection each, as the channel does."""
    began = time.perf_counter()
    for n in range(count):
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "a@example.com", f"c{n}@example.com", "x"
        mail.set_content("x")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(mail)
    return count / (time.perf_counter() - began)


def run(*, parcels: int = 2000, batch: int = 500) -> dict[str, Any]:
    """Latency of queueing messages while ingesting, then the sending rate."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        raise RuntimeError('bench notify needs aiosmtpd: pip install -e ".[test]"') from None
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    now = clock.now().replace(hour=12, minute=0, second=0, microsecond=0)
    shop = bench_shop("notify")
    port = _free_port()
    sink = Controller(_Sink(), hostname="127.0.0.1", port=port)
    sink.start()
    try:
        upsert_orders(shop_id=shop.id, default_language="nl", batch=_orders(parcels, now), now=now)
        OutboxMessage.objects.filter(shop=shop).delete()
        spent = _latencies(shop.id, parcels, batch, now)
        queued = OutboxMessage.objects.filter(shop=shop, status="queued").exclude(channel="")
        count = queued.count()
        channel = {"email": _smtp(port)}
        began = time.perf_counter()
        # Each customer's second message waits out the minimum gap: a second pass sends it.
        first = now + timedelta(hours=1)
        sent = sum(send_due(channel, at).get("sent", 0) for at in (first, first + PACE.min_gap))
        send_rate = sent / (time.perf_counter() - began) if sent else 0.0
        raw_rate = _raw_rate(port, min(sent, 500) or 1)
    finally:
        sink.stop()
        delete_shop(shop)
    return {
        "benchmark": "notify",
        "database": connection.vendor,
        "parcels": parcels,
        "batch": batch,
        "messages_queued": count,
        "event_to_outbox_p50_seconds": round(statistics.median(spent), 4),
        "event_to_outbox_p99_seconds": round(quantile(spent, 0.99), 4),
        "emails_sent": sent,
        "emails_per_second": round(send_rate, 1),
        "baseline_smtplib_emails_per_second": round(raw_rate, 1),
        "ratio_to_baseline": round(send_rate / raw_rate, 3) if raw_rate else None,
    }


def _smtp(port: int) -> Any:
    from parcelcare.integrations.channels.email import SmtpEmail

    return SmtpEmail(smtp_settings(f"smtp+plain://127.0.0.1:{port}", "bench@example.com"))

"""`parcelcare bench cases`: customer intake through the case desk, end to end.

Seeds N orders (half delivered, half gone quiet) set-wise, then measures: cases opened per
second through `services.open_case`; the time from an intake call's start to its
acknowledgement committed in the outbox and to it sent through the memory channel; cases
advanced per second (one checklist step each); and dossier JSON and PDF times. The baseline
is a bare ORM insert of an equivalent case row and outbox row, in the same run.
"""

import json
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from io import BytesIO
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from PIL import Image

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.cases.actors import CUSTOMER, Who
from parcelcare.cases.customer import Upload, add_photos, sign_declaration
from parcelcare.cases.dossier import build_dossier
from parcelcare.cases.dossier_pdf import render_pdf
from parcelcare.cases.models import Case, CaseStep
from parcelcare.cases.notes import add_note
from parcelcare.cases.services import complete_step, open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due
from parcelcare.tracking.models import Order, Shipment
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.schemas import OrderIn
from parcelcare.tracking.sql import execute_many, to_db

from .figures import quantile
from .fixtures import bench_shop, delete_shop

AGENT = Who("agent", "bench")
BATCH = 500
CASE_TABLES = ("casestep", "casenote", "attachment", "declaration", "carrierclaim")


def _postcode(n: int) -> str:
    """A different street for every customer, as in a real shop (Dutch postcodes are streets)."""
    return f"{1011 + n % 8000:04d} {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"


def _order(n: int, now: datetime) -> OrderIn:
    return OrderIn.model_validate(
        {
            "order_number": f"K{n}",
            "placed_at": (now - timedelta(days=9)).isoformat(),
            "currency": "EUR",
            "customer": {
                "email": f"k{n}@example.com",
                "name": "Bench Klant",
                "phone": f"+3161{n:07d}",
                "language": "nl",
            },
            "shipping_address": {"country": "NL", "postcode": _postcode(n), "city": "Utrecht"},
            "lines": [
                {"sku": "POT", "name": "Pot", "quantity": 2, "unit_price": 1495, "currency": "EUR"}
            ],
            "shipments": [{"carrier": "postnl", "tracking_number": f"3SCASE{n:07d}"}],
        }
    )


def _seed(shop: Shop, orders: int, now: datetime) -> None:
    """Orders with one parcel each: even ones delivered (with the scan), odd ones gone quiet."""
    for start in range(0, orders, BATCH):
        batch = [_order(n, now) for n in range(start, min(start + BATCH, orders))]
        upsert_orders(shop_id=shop.id, default_language="nl", batch=batch, now=now)
    delivered_at, quiet_since = now - timedelta(days=2), now - timedelta(days=10)
    parcels = list(Shipment.objects.filter(shop=shop).values_list("id", "tracking_number"))
    even = {pk for pk, number in parcels if int(number[-7:]) % 2 == 0}
    with transaction.atomic():
        Shipment.objects.filter(shop=shop).update(status="in_transit", last_event_at=quiet_since)
        Shipment.objects.filter(id__in=even).update(
            status="delivered", delivered_at=delivered_at, last_event_at=delivered_at
        )
        execute_many(
            "INSERT INTO tracking_trackingevent (shop_id, shipment_id, carrier, tracking_number, "
            "occurred_at, code, status, reason, description, location, received_at) VALUES "
            "(%s, %s, 'postnl', %s, %s, 'I01', 'delivered', NULL, 'Bezorgd', %s, %s)",
            [
                (shop.id, pk, number, to_db(delivered_at), "3511 AB Utrecht", to_db(now))
                for pk, number in parcels
                if pk in even
            ],
        )
        OutboxMessage.objects.filter(shop=shop).delete()  # seeding's own notices are not measured


def _figures(name: str, values: list[float]) -> dict[str, float]:
    return {
        f"{name}_p50_seconds": round(statistics.median(values), 4) if values else 0.0,
        f"{name}_p99_seconds": round(quantile(values, 0.99), 4),
    }


def _baseline(shop: Shop, orders: list[Order], now: datetime) -> float:
    """Cases per second for a bare insert of a case row and an outbox row, per order."""
    began = time.perf_counter()
    for order in orders:
        parcel = order.shipments.get()
        with transaction.atomic():
            case = Case.objects.create(
                shop=shop,
                order=order,
                shipment=parcel,
                customer_id=order.customer_id,
                kind="not_received",
                playbook="B",
                source="customer",
                language="nl",
                is_open=False,
                opened_at=now,
                updated_at=now,
                first_response_due=now,
                resolution_due=now,
            )
            OutboxMessage.objects.create(
                shop=shop,
                shipment=parcel,
                kind="case_received",
                channel="email",
                audience="customer",
                idempotency_key=f"baseline:{case.pk}",
                language="nl",
                payload={},
                send_at=now,
                created_at=now,
                status="withdrawn",
            )
    spent = time.perf_counter() - began
    OutboxMessage.objects.filter(shop=shop, idempotency_key__startswith="baseline:").delete()
    Case.objects.filter(shop=shop).delete()
    return len(orders) / spent if spent else 0.0


def _intake(shop: Shop, orders: list[Order], now: datetime) -> dict[str, Any]:
    """Open one case per order as the customer would, sending the acknowledgement at once."""
    channel = {"email": MemoryChannel("email")}
    committed, sent, opening = [], [], 0.0
    for order in orders:
        delivered = order.shipments.filter(status="delivered").exists()
        kind = CaseKind.NOT_RECEIVED if delivered else CaseKind.LOST
        began = time.perf_counter()
        open_case(
            shop=shop,
            order=order,
            kind=kind,
            source=Case.Source.CUSTOMER,
            who=CUSTOMER,
            now=now,
            summary="Mijn pakket is niet aangekomen.",
        )
        done = time.perf_counter()
        send_due(channel, now)
        committed.append(done - began)
        sent.append(time.perf_counter() - began)
        opening += done - began
    acks = OutboxMessage.objects.filter(shop=shop, kind="case_received")
    statuses = dict(acks.values_list("status").annotate(n=Count("id")))
    return {
        "cases_opened": len(orders),
        "cases_opened_per_second": round(len(orders) / opening, 1) if opening else None,
        "acknowledgements": {str(k): v for k, v in statuses.items()},
        **_figures("ack_committed", committed),
        **_figures("ack_sent", sent),
    }


def _advance(shop: Shop, now: datetime) -> dict[str, Any]:
    """Complete each case's first open step as an agent would."""
    first: dict[int, str] = {}
    steps = CaseStep.objects.filter(case__shop=shop, state="open").order_by("case_id", "position")
    for case_id, key in steps.values_list("case_id", "key"):
        first.setdefault(case_id, key)
    cases = {c.pk: c for c in Case.objects.filter(pk__in=first)}
    began = time.perf_counter()
    for case_id, key in first.items():
        complete_step(case=cases[case_id], key=key, who=AGENT, now=now)
    spent = time.perf_counter() - began
    return {"cases_advanced_per_second": round(len(first) / spent, 1) if spent else None}


def _photo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (1200, 900), (180, 140, 90)).save(out, "JPEG", quality=85)
    return out.getvalue()


def _evidence(cases: list[Case], now: datetime) -> None:
    """What a disputed case holds: a message, a signed declaration and a photo."""
    photo = _photo()
    for case in cases:
        add_note(case=case, body="Niets bij de deur gevonden.", who=CUSTOMER, now=now, inbound=True)
        sign_declaration(
            case=case,
            name="Bench Klant",
            statement="Ik heb het pakket niet ontvangen.",
            agreed=True,
            now=now,
            ip="203.0.113.10",
            user_agent="bench",
        )
        add_photos(case=case, uploads=[Upload("deur.jpg", photo)], now=now, settle=False)


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    spent = []
    for call in calls:
        began = time.perf_counter()
        call()
        spent.append(time.perf_counter() - began)
    return spent


def _json(case: Case, now: datetime) -> str:
    return json.dumps(build_dossier(case, now=now))


def _pdf(case: Case, now: datetime) -> bytes:
    return render_pdf(build_dossier(case, now=now))


def _dossiers(shop: Shop, count: int, now: datetime) -> dict[str, Any]:
    """Dossier JSON (built and serialised) and PDF (built and rendered) times, warm."""
    cases = list(Case.objects.filter(shop=shop, playbook="B").order_by("id")[:count])
    _evidence(cases, now)
    first = _timed([partial(_pdf, cases[0], now)]) if cases else [0.0]
    as_json = _timed([partial(_json, case, now) for case in cases])
    as_pdf = _timed([partial(_pdf, case, now) for case in cases])
    figures = _figures("dossier_json", as_json) | _figures("dossier_pdf", as_pdf)
    # The process's first PDF also loads the fonts; a server pays that once.
    return {"dossiers": len(cases), "dossier_pdf_first_seconds": round(first[0], 3), **figures}


def delete_cases(shop: Shop) -> None:
    """Remove a benchmark shop's cases and ledger, then the shop itself."""
    for table in CASE_TABLES:
        execute_many(
            f"DELETE FROM cases_{table} WHERE case_id IN "
            "(SELECT id FROM cases_case WHERE shop_id = %s)",
            [(shop.id,)],
        )
    for table in ("ledger_remedyentry", "cases_case", "cases_deskpolicy"):
        execute_many(f"DELETE FROM {table} WHERE shop_id = %s", [(shop.id,)])
    delete_shop(shop)


def run(*, orders: int = 1000, dossiers: int = 50, keep: bool = False) -> dict[str, Any]:
    """Seed, then measure intake, acknowledgements, advancing and dossiers."""
    now = clock.now()
    shop = bench_shop("cases")
    Shop.objects.filter(pk=shop.pk).update(default_language="nl")
    shop.refresh_from_db()
    began = time.perf_counter()
    _seed(shop, orders, now)
    setup = time.perf_counter() - began
    rows = list(Order.objects.filter(shop=shop).select_related("customer").order_by("id"))
    baseline = _baseline(shop, rows, now)
    intake = _intake(shop, rows, now)
    advanced = _advance(shop, now)
    dossier = _dossiers(shop, dossiers, now)
    if not keep:
        delete_cases(shop)
    opened = intake["cases_opened_per_second"]
    return {
        "benchmark": "cases",
        "database": connection.vendor,
        "orders": orders,
        **intake,
        **advanced,
        **dossier,
        "baseline_insert_cases_per_second": round(baseline, 1),
        "ratio_to_baseline": round(opened / baseline, 3) if opened and baseline else None,
        "setup_seconds": round(setup, 1),
    }

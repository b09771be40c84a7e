"""Nothing goes out that stopped being true, imported history stays unsaid, the pace holds."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.cases.actors import CUSTOMER
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.gate import PACE
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due
from parcelcare.tracking.imports import import_events, import_orders
from parcelcare.tracking.models import Shipment


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def channels() -> dict[str, MemoryChannel]:
    return {name: MemoryChannel(name) for name in ("email", "sms", "whatsapp")}


def sent_kinds() -> list[str]:
    return sorted(OutboxMessage.objects.filter(status="sent").values_list("kind", flat=True))


@pytest.mark.django_db
def test_a_delay_queued_by_the_orders_import_is_withdrawn_once_events_say_delivered(
    api_shop: ApiShop, tmp_path: Path
) -> None:
    shop_id = api_shop.shop.id
    orders = jsonl(tmp_path / "orders.jsonl", [order_payload(promised="2026-11-17")])
    assert not import_orders(shop_id=shop_id, path=orders, now=NOW).errors
    delay = OutboxMessage.objects.get(kind="delayed_1", channel="email")
    assert delay.status == "queued" and delay.send_at <= NOW + timedelta(minutes=1)
    delivered = event(at="2026-11-17T15:00:00+01:00", code="I01", status="delivered")
    events = jsonl(tmp_path / "events.jsonl", [event(), delivered])
    later = NOW + timedelta(minutes=1)
    assert not import_events(shop_id=shop_id, path=events, now=later).errors
    assert Shipment.objects.get().status == "delivered"
    out = channels()
    counts = send_due(out, later + timedelta(hours=1))
    delay.refresh_from_db()
    assert delay.status == "withdrawn"
    assert delay.withdrawn_reason.startswith("no longer true")
    assert "delayed_1" not in sent_kinds()
    assert counts.get("sent", 0) >= 1  # the delivery itself, yesterday's news
    assert all("nog steeds" not in m.text for m in out["email"].sent)


@pytest.mark.django_db
def test_the_sender_withdraws_what_the_facts_deny_when_planning_did_not(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    # A fact written behind planning's back (a restore, another process, a bug): only the sender
    # stands between it and the customer.
    Shipment.objects.update(status="delivered", delivered_at=NOW)
    counts = send_due(channels(), NOW)
    assert counts == {"withdrawn": 2}
    reasons = set(OutboxMessage.objects.filter(audience="customer").values_list("withdrawn_reason"))
    assert reasons == {("no longer true: shipment delivered",)}


@pytest.mark.django_db
def test_orders_and_events_about_long_ago_plan_no_customer_message(
    api_shop: ApiShop, tmp_path: Path
) -> None:
    shop_id = api_shop.shop.id
    orders = jsonl(tmp_path / "orders.jsonl", [order_payload(promised="2026-10-20")])
    assert not import_orders(shop_id=shop_id, path=orders, now=NOW).errors
    journey = [
        event(at="2026-10-19T08:00:00+02:00", code="A1"),
        event(at="2026-10-23T15:00:00+02:00", code="I01", status="delivered"),
    ]
    events = jsonl(tmp_path / "events.jsonl", journey)
    assert not import_events(shop_id=shop_id, path=events, now=NOW).errors
    customer = OutboxMessage.objects.filter(audience="customer").exclude(status="withdrawn")
    assert list(customer.values_list("kind", flat=True)) == []
    send_due(channels(), NOW + timedelta(days=1))
    assert sent_kinds() == []


@pytest.mark.django_db
def test_a_late_parcel_imported_with_a_fresh_scan_is_news(
    api_shop: ApiShop, tmp_path: Path
) -> None:
    shop_id = api_shop.shop.id
    orders = jsonl(tmp_path / "orders.jsonl", [order_payload(promised="2026-11-06")])
    import_orders(shop_id=shop_id, path=orders, now=NOW)
    assert not OutboxMessage.objects.filter(kind__startswith="delayed").exists()
    # A scan from yesterday says the parcel is still under way: the delay is true, and news.
    events = jsonl(tmp_path / "events.jsonl", [event(at="2026-11-17T09:00:00+01:00")])
    import_events(shop_id=shop_id, path=events, now=NOW)
    assert OutboxMessage.objects.filter(kind="delayed_3", channel="email").exists()


@pytest.mark.django_db
def test_case_messages_keep_the_customers_pace(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    out = channels()
    assert send_due(out, NOW) == {"sent": 1, "later": 1}  # delayed_1 now, shipped after a gap
    shipment = Shipment.objects.get()
    open_case(
        shop=api_shop.shop,
        order=shipment.order,
        kind=CaseKind.NOT_RECEIVED,
        source="customer",
        who=CUSTOMER,
        now=NOW + timedelta(seconds=20),
        shipment=shipment,
    )
    send_due(out, NOW + timedelta(seconds=30))
    send_due(out, NOW + timedelta(seconds=50))
    rows = OutboxMessage.objects.filter(audience="customer", status="sent").order_by("sent_at")
    times = [(m.kind, m.sent_at) for m in rows]
    # The acknowledgement the customer asked for goes at once; nothing else within the gap.
    assert [kind for kind, _ in times] == ["delayed_1", "case_received"]
    for day_offset in range(3):
        send_due(out, NOW + timedelta(days=day_offset, minutes=20))
    times = [
        (m.kind, m.sent_at)
        for m in OutboxMessage.objects.filter(audience="customer", status="sent").order_by(
            "sent_at"
        )
    ]
    for (kind, at), (_, before) in zip(times[1:], times, strict=False):
        assert kind == "case_received" or at - before >= PACE.min_gap
    today = [at for _, at in times if at.date() == NOW.date()]
    assert len(today) <= (PACE.daily_cap or 0) + 1  # the cap, plus the acknowledgement


@pytest.mark.django_db
def test_a_case_request_answered_before_sending_is_withdrawn(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload())
    api_shop.post(
        "tracking-events",
        {"events": [event(at="2026-11-17T15:00:00+01:00", code="I01", status="delivered")]},
    )
    shipment = Shipment.objects.get()
    case, _ = open_case(
        shop=api_shop.shop,
        order=shipment.order,
        kind=CaseKind.NOT_RECEIVED,
        source="customer",
        who=CUSTOMER,
        now=NOW,
        shipment=shipment,
    )
    OutboxMessage.objects.filter(kind__startswith="case").exclude(status="sent").update(
        status="queued", send_at=NOW
    )
    case.status = "resolved"
    case.save(update_fields=["status"])
    send_due(channels(), NOW + timedelta(hours=1))
    for message in OutboxMessage.objects.filter(kind__in=["case_received", "case_request"]):
        assert message.status in ("sent", "withdrawn")
        if message.status == "withdrawn":
            assert message.withdrawn_reason == "no longer true: case resolved"


@pytest.mark.django_db
def test_the_check_costs_a_fixed_number_of_queries_per_batch(api_shop: ApiShop) -> None:
    for n in range(6):
        api_shop.post(
            "orders", order_payload(number=f"20{n}", tracking=f"3SQ{n}", promised="2026-11-17")
        )
        api_shop.post(
            "tracking-events",
            {"events": [event(tracking=f"3SQ{n}", at="2026-11-17T08:00:00+01:00")]},
        )
    with CaptureQueriesContext(connection) as queries:
        assert send_due(channels(), NOW) == {"sent": 6, "later": 6}
    reads = [q["sql"] for q in queries if "tracking_finding" in q["sql"]]
    assert len(reads) == 1

"""Polling end to end: schedules, leases, the rate limit, backoff and the periodic task."""

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import Connection, Shop
from parcelcare.integrations.polling import client
from parcelcare.integrations.polling.http import PollError
from parcelcare.jobs import polls_due
from parcelcare.tracking import polling
from parcelcare.tracking.ingest import ingest_events
from parcelcare.tracking.models import (
    Customer,
    Finding,
    Order,
    PollSchedule,
    Shipment,
    TrackingEvent,
)
from parcelcare.tracking.polling import LEASE, claim, poll_due, schedule_polls

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
CREATED = datetime(2021, 3, 24, 12, 0, tzinfo=UTC)
NOW = datetime(2021, 3, 26, 15, 0, tzinfo=UTC)
"""Just after the last scan in completestatus3.http (14:06 UTC that day)."""

MOVING = "3SABCD987516327"  # completestatus3.http: five events, in transit
DELIVERED = "3SABCD987040009"  # currentstatus3.http: delivered in February
DHL = "7777777770"  # DHL Unified sample: one pre-transit event in 2018


def postnl(name: str) -> bytes:
    # Recorded PostNL answers keep the HTTP head, a blank line, then the body.
    return (TRACKING / "postnl" / name).read_bytes().split(b"\n\n", 1)[1]


ANSWERS: dict[str, bytes] = {
    MOVING: postnl("completestatus3.http"),
    DELIVERED: postnl("currentstatus3.http"),
    DHL: (TRACKING / "karrio" / "dhl_universal__TrackingResponseJSON.json").read_bytes(),
}
NOTHING_YET = postnl("nocurrentshipments.http")


class FakeCarriers:
    """Answers like the carriers did in the recorded responses, and remembers every call."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.calls: list[tuple[str, list[str], dict[str, Any]]] = []
        self.failure = failure

    def __call__(
        self, carrier: str, numbers: list[str], credentials: Mapping[str, Any]
    ) -> dict[str, bytes | str]:
        self.calls.append((carrier, list(numbers), dict(credentials)))
        if self.failure is not None:
            raise self.failure
        return {n: ANSWERS.get(n, NOTHING_YET) for n in numbers}


@pytest.fixture
def shop(api_shop: ApiShop) -> Shop:
    for carrier in ("postnl", "dhl"):
        Connection.objects.create(
            shop=api_shop.shop, source=f"poll:{carrier}", secret="", settings={"api_key": "k"}
        )
    return api_shop.shop


def add_shipment(
    shop: Shop, number: str, carrier: str = "postnl", promised: date | None = date(2021, 3, 24)
) -> Shipment:
    customer, _ = Customer.objects.get_or_create(shop=shop, email="c@example.com")
    order = Order.objects.create(
        shop=shop,
        order_number=f"O-{number}",
        customer=customer,
        placed_at=CREATED,
        currency="EUR",
        created_at=CREATED,
        updated_at=CREATED,
    )
    return Shipment.objects.create(
        shop=shop,
        order=order,
        carrier=carrier,
        tracking_number=number,
        promised_date=promised,
        created_at=CREATED,
        updated_at=CREATED,
    )


def schedule_of(number: str) -> PollSchedule:
    return PollSchedule.objects.get(shipment__tracking_number=number)


def test_due_shipments_are_polled_and_their_events_stored(shop: Shop) -> None:
    for number, carrier in ((MOVING, "postnl"), (DELIVERED, "postnl"), (DHL, "dhl")):
        add_shipment(shop, number, carrier)
    assert schedule_polls(shop_id=shop.id, now=NOW) == 3
    fake = FakeCarriers()
    counts = poll_due(now=NOW, fetcher=fake)
    assert counts == {"polled": 3, "events": 7, "stopped": 2}
    assert sorted((c, sorted(n)) for c, n, _ in fake.calls) == [
        ("dhl", [DHL]),
        ("postnl", [DELIVERED, MOVING]),
    ]
    assert fake.calls[0][2]["api_key"] == "k"
    status = dict(Shipment.objects.values_list("tracking_number", "status"))
    assert status == {MOVING: "in_transit", DELIVERED: "delivered", DHL: "info_received"}
    assert TrackingEvent.objects.filter(shipment__tracking_number=MOVING).count() == 5
    delivered = Shipment.objects.get(tracking_number=DELIVERED)
    assert Finding.objects.filter(shipment=delivered, kind="delivered", closed_at=None).exists()
    # Promised two days ago, so every 2 hours; DHL's sample is years old, so polling stops.
    moving = schedule_of(MOVING)
    assert moving.next_poll_at == NOW + timedelta(hours=2) and moving.last_polled_at == NOW
    assert moving.lease_until is None and moving.attempts == 0
    assert schedule_of(DELIVERED).next_poll_at is None and schedule_of(DHL).next_poll_at is None


def test_only_carriers_with_credentials_and_open_shipments_are_scheduled(
    shop: Shop, other_shop: ApiShop
) -> None:
    add_shipment(shop, "GLS123", carrier="gls")
    add_shipment(shop, MOVING)
    add_shipment(other_shop.shop, MOVING)
    done = add_shipment(shop, "3SDONE", carrier="postnl")
    Shipment.objects.filter(id=done.id).update(status="delivered")
    assert schedule_polls(shop_id=shop.id, now=NOW) == 1
    assert schedule_polls(shop_id=other_shop.shop.id, now=NOW) == 0
    assert list(PollSchedule.objects.values_list("shop_id", "shipment__tracking_number")) == [
        (shop.id, MOVING)
    ]
    assert schedule_polls(shop_id=shop.id, now=NOW) == 0, "nothing changed since"


def test_the_rate_limit_defers_the_rest(shop: Shop) -> None:
    Connection.objects.filter(source="poll:postnl").update(
        settings={"api_key": "k", "requests_per_minute": 2}
    )
    for n in range(5):
        add_shipment(shop, f"3SRATE{n}")
    schedule_polls(shop_id=shop.id, now=NOW)
    buckets: polling.Buckets = {}
    fake = FakeCarriers()
    assert poll_due(now=NOW, fetcher=fake, buckets=buckets) == {"polled": 2, "deferred": 3}
    assert [len(numbers) for _, numbers, _ in fake.calls] == [2]
    waiting = PollSchedule.objects.filter(last_polled_at=None)
    assert waiting.count() == 3
    # Two requests a minute: the third token comes back after 30 seconds.
    assert set(waiting.values_list("next_poll_at", "lease_until")) == {
        (NOW + timedelta(seconds=30), None)
    }
    assert poll_due(now=NOW, fetcher=fake, buckets=buckets) == {}
    later = NOW + timedelta(seconds=30)
    assert poll_due(now=later, fetcher=fake, buckets=buckets) == {"polled": 1, "deferred": 2}


def test_a_poll_error_backs_off_and_keeps_the_schedule(shop: Shop) -> None:
    add_shipment(shop, MOVING)
    schedule_polls(shop_id=shop.id, now=NOW)
    failing = FakeCarriers(PollError("postnl", 503, True))
    assert poll_due(now=NOW, fetcher=failing) == {"failed": 1}
    first = schedule_of(MOVING)
    assert (first.attempts, first.last_error, first.lease_until) == (1, "HTTP 503", None)
    assert first.next_poll_at == NOW + timedelta(minutes=5)
    again = NOW + timedelta(minutes=5)
    poll_due(now=again, fetcher=failing)
    assert schedule_of(MOVING).next_poll_at == again + timedelta(minutes=10)
    # A success clears the failures.
    ok = NOW + timedelta(minutes=15)
    assert poll_due(now=ok, fetcher=FakeCarriers())["polled"] == 1
    assert (schedule_of(MOVING).attempts, schedule_of(MOVING).last_error) == (0, "")


@pytest.mark.parametrize(
    ("error", "wait"),
    [
        (PollError("postnl", 429, True, retry_after=3600), timedelta(hours=1)),
        (PollError("postnl", 401, False), timedelta(hours=1)),
        (RuntimeError("boom"), timedelta(minutes=5)),
    ],
    ids=["retry-after", "unauthorised", "unexpected"],
)
def test_how_long_a_failure_waits(shop: Shop, error: Exception, wait: timedelta) -> None:
    add_shipment(shop, MOVING)
    schedule_polls(shop_id=shop.id, now=NOW)
    assert poll_due(now=NOW, fetcher=FakeCarriers(error)) == {"failed": 1}
    assert schedule_of(MOVING).next_poll_at == NOW + wait


def test_unreadable_and_missing_answers_fail_one_shipment_each(shop: Shop) -> None:
    add_shipment(shop, MOVING)
    add_shipment(shop, "3SGARBLED")
    add_shipment(shop, "3SMISSING")
    schedule_polls(shop_id=shop.id, now=NOW)

    def fetcher(carrier: str, numbers: list[str], _: Mapping[str, Any]) -> dict[str, bytes]:
        return {MOVING: ANSWERS[MOVING], "3SGARBLED": b"<html>maintenance</html>"}

    assert poll_due(now=NOW, fetcher=fetcher) == {"polled": 1, "events": 5, "failed": 2}
    assert schedule_of("3SGARBLED").last_error.startswith("unreadable answer: postnl")
    assert schedule_of("3SMISSING").last_error == "no answer for this number"


def test_a_delivered_parcel_is_no_longer_scheduled(shop: Shop) -> None:
    add_shipment(shop, DELIVERED)
    schedule_polls(shop_id=shop.id, now=NOW)
    poll_due(now=NOW, fetcher=FakeCarriers())
    assert schedule_of(DELIVERED).next_poll_at is None
    later = NOW + timedelta(days=3)
    schedule_polls(shop_id=shop.id, now=later)
    fake = FakeCarriers()
    assert poll_due(now=later, fetcher=fake) == {} and fake.calls == []
    assert schedule_of(DELIVERED).next_poll_at is None


def test_a_delivery_learnt_elsewhere_stops_polling_without_asking(shop: Shop) -> None:
    shipment = add_shipment(shop, MOVING)
    schedule_polls(shop_id=shop.id, now=NOW)
    poll_due(now=NOW, fetcher=FakeCarriers())
    webhook_time = NOW + timedelta(hours=1)
    item = {
        "carrier": "postnl",
        "tracking_number": MOVING,
        "occurred_at": webhook_time.isoformat(),
        "code": "I01",
        "status": "delivered",
    }
    assert ingest_events(shop_id=shop.id, items=[item], now=webhook_time).accepted == 1
    assert schedule_polls(shop_id=shop.id, now=webhook_time) == 1
    assert schedule_of(MOVING).next_poll_at is None
    assert schedule_polls(shop_id=shop.id, now=webhook_time) == 0, "stopped for good"
    fake = FakeCarriers()
    poll_due(now=NOW + timedelta(days=1), fetcher=fake)
    assert fake.calls == [] and Shipment.objects.get(id=shipment.id).status == "delivered"


def test_an_expired_lease_is_claimed_again(shop: Shop) -> None:
    add_shipment(shop, MOVING)
    schedule_polls(shop_id=shop.id, now=NOW)
    assert len(claim(NOW)) == 1  # a worker leased it, then died
    fake = FakeCarriers()
    assert poll_due(now=NOW + timedelta(minutes=1), fetcher=fake) == {}
    assert fake.calls == []
    after = NOW + LEASE + timedelta(seconds=1)
    assert poll_due(now=after, fetcher=fake)["polled"] == 1
    assert schedule_of(MOVING).last_polled_at == after


def test_removed_credentials_stop_polling_until_they_return(shop: Shop) -> None:
    add_shipment(shop, MOVING)
    schedule_polls(shop_id=shop.id, now=NOW)
    link = Connection.objects.get(source="poll:postnl")
    link.delete()
    fake = FakeCarriers()
    assert poll_due(now=NOW, fetcher=fake) == {"stopped": 1} and fake.calls == []
    assert schedule_of(MOVING).last_error == polling.NO_CREDENTIALS
    link.pk = None
    link.save()
    assert schedule_polls(shop_id=shop.id, now=NOW) == 1
    assert schedule_polls(shop_id=shop.id, now=NOW) == 0
    assert poll_due(now=NOW, fetcher=fake)["polled"] == 1


def test_the_periodic_task_polls_with_the_real_client(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_shipment(shop, MOVING)
    fake = FakeCarriers()
    monkeypatch.setattr(client, "fetch", fake)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(polling, "RATE_BUCKETS", {})
    assert polls_due.call_local() == {"polled": 1, "events": 5}
    assert fake.calls[0][:2] == ("postnl", [MOVING])


def test_the_periodic_task_does_nothing_without_credentials(
    api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_shipment(api_shop.shop, MOVING)
    fake = FakeCarriers()
    monkeypatch.setattr(client, "fetch", fake)
    assert polls_due.call_local() == {}
    assert fake.calls == [] and not PollSchedule.objects.exists()


def test_a_polled_postnl_pickup_location_reaches_the_shipment(shop: Shop) -> None:
    from parcelcare.tracking.pickup_points import pickup_point_of

    document = json.loads(ANSWERS[MOVING])
    shipments = document["CompleteStatus"]["Shipment"]
    shipment = shipments[0] if isinstance(shipments, list) else shipments
    shipment["Address"].append(
        {
            "AddressType": "09",
            "CompanyName": "Bruna Stationsplein",
            "Street": "Stationsplein",
            "HouseNumber": "3",
            "HouseNumberSuffix": {},
            "Zipcode": "6811KJ",
            "City": "Arnhem",
            "CountryCode": "NL",
        }
    )
    parcel = add_shipment(shop, MOVING)
    schedule_polls(shop_id=shop.id, now=NOW)

    def fetcher(carrier: str, numbers: list[str], credentials: Mapping[str, Any]) -> dict:
        return {MOVING: json.dumps(document)}

    poll_due(now=NOW, fetcher=fetcher)
    point = pickup_point_of(Shipment.objects.get(id=parcel.id))
    assert point is not None
    assert (point.name, point.address) == ("Bruna Stationsplein", "Stationsplein 3, 6811KJ Arnhem")

"""Under any interleaving of orders, carrier events, reviews and sends, no message that goes out
contradicts its shipment's state at the moment it goes out (read from the database then)."""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import NOW, event, order_payload
from parcelcare.accounts.services import create_shop
from parcelcare.integrations.channels.base import OutgoingMessage, SendResult
from parcelcare.messaging.sender import send_due
from parcelcare.tracking.ingest import ingest_events
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.review import review_due
from parcelcare.tracking.schemas import OrderIn
from truth_oracle import Seen, contradiction, seen_now

TRACKING = ("3SPROP0001", "3SPROP0002")
STATUSES = (
    "info_received",
    "in_transit",
    "out_for_delivery",
    "failed_attempt",
    "available_for_pickup",
    "delivered",
    "returning",
    "returned",
    "exception",
)


class Witness:
    """A channel that records each message with its shipment's state read at send time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[Seen] = []

    def send(self, message: OutgoingMessage) -> SendResult:
        self.seen.append(seen_now(message.idempotency_key))
        return SendResult(f"{self.name}-{len(self.seen)}", "sent")


order_step = st.tuples(
    st.just("order"), st.sampled_from(TRACKING), st.one_of(st.integers(-3, 1), st.integers(-12, 3))
)
event_step = st.tuples(
    st.just("event"),
    st.sampled_from(TRACKING),
    st.one_of(st.just("delivered"), st.sampled_from(STATUSES)),
    st.one_of(st.integers(0, 6), st.integers(0, 96)),
)
time_step = st.tuples(st.sampled_from(["review", "send"]), st.integers(1, 30 * 60))
steps = st.lists(st.one_of(order_step, event_step, time_step), min_size=2, max_size=9)


def _order(shop_id: int, tracking: str, promised_in: int, now) -> None:
    body = order_payload(
        number=tracking[-4:],
        tracking=tracking,
        promised=(now + timedelta(days=promised_in)).date().isoformat(),
    )
    body["customer"]["email"] = "same@example.com"  # one customer for both: the pace applies
    upsert_orders(
        shop_id=shop_id, default_language="nl", batch=[OrderIn.model_validate(body)], now=now
    )


def _run(plan: list[tuple], witness: Witness) -> None:
    shop, _ = create_shop(name="Prop", timezone="Europe/Amsterdam", country="NL", language="nl")
    now = NOW
    for n, step in enumerate(plan):
        now += timedelta(minutes=7)
        if step[0] == "order":
            _order(shop.id, step[1], step[2], now)
        elif step[0] == "event":
            at = (now - timedelta(hours=step[3])).isoformat()
            item = event(tracking=step[1], at=at, code=f"P{n}", status=step[2])
            ingest_events(shop_id=shop.id, items=[item], now=now)
        else:
            now += timedelta(minutes=step[1])
            if step[0] == "review":
                review_due(now)
            else:
                send_due({"email": witness, "sms": witness}, now)  # type: ignore[dict-item]
    send_due({"email": witness, "sms": witness}, now + timedelta(hours=1))  # type: ignore[dict-item]


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
@example(  # the import orders -> import events case: a delay queued, then the parcel delivered
    plan=[
        ("order", TRACKING[0], -1),
        ("event", TRACKING[0], "in_transit", 30),
        ("event", TRACKING[0], "delivered", 2),
        ("send", 60),
    ]
)
def test_no_message_sent_contradicts_the_state_at_send_time(plan: list[tuple]) -> None:
    witness = Witness("email")
    with transaction.atomic():
        _run(plan, witness)
        transaction.set_rollback(True)
    wrong = [(seen, why) for seen in witness.seen if (why := contradiction(seen))]
    assert wrong == []


def test_the_oracle_catches_a_false_delay() -> None:
    seen = Seen("delayed_3", "3", "delivered", True, frozenset({("delivered", None)}))
    assert contradiction(seen) == "a delay for a parcel no longer under way"
    assert contradiction(Seen("delayed_2", "2", "in_transit", False, frozenset())) != ""
    fine = Seen("delayed_2", "2", "in_transit", False, frozenset({("delayed", 3)}))
    assert contradiction(fine) == ""

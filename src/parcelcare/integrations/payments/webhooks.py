"""Payout webhook senders for the inbox: Stripe and PayPal events carry the refund, Mollie
sends only a payment id (its refunds are fetched by the worker). Reading a body never touches
the database; the ledger applies the refund news it yields."""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from parcelcare.integrations.webhooks import Delivery, Headers, InvalidWebhook, Outcome

from .base import RefundResult
from .paypal import STATES as PAYPAL_STATES
from .stripe import STATES as STRIPE_STATES

STRIPE_TYPES = frozenset(
    {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}
)
PAYPAL_TYPES = frozenset({"PAYMENT.CAPTURE.REFUNDED"})
MOLLIE_PAYMENT = re.compile(r"tr_[A-Za-z0-9]{1,60}")
RECEIVED_HEADER = "x-parcelcare-received-at"
"""Set by the endpoint: Mollie repeats one payment id for every change, so that is no event id."""


@dataclass(frozen=True)
class RefundNews:
    """What a payout webhook says: refund states, or a payment whose refunds must be fetched."""

    provider: str
    results: list[RefundResult] = field(default_factory=list)
    fetch_payment: str = ""


def _json(body: bytes, provider: str) -> dict:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidWebhook(f"{provider}: the body is not JSON") from error
    if not isinstance(payload, dict):
        raise InvalidWebhook(f"{provider}: the body is not an event object")
    return payload


def _event(body: bytes, provider: str, id_key: str, type_key: str) -> Delivery:
    payload = _json(body, provider)
    event_id, topic = str(payload.get(id_key) or ""), str(payload.get(type_key) or "")
    if not event_id or not topic:
        raise InvalidWebhook(f"{provider}: the event has no {id_key} or {type_key}")
    return Delivery(event_id=event_id, topic=topic)


class StripePayoutSource:
    """Stripe events about refunds; the event id deduplicates."""

    slug = "stripe"

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """The event's id and type."""
        return _event(body, "stripe", "id", "type")

    def handle(self, topic: str, body: bytes) -> Outcome:
        """The refund object of a refund event."""
        refund = (_json(body, "stripe").get("data") or {}).get("object") or {}
        if topic not in STRIPE_TYPES or refund.get("object") != "refund" or not refund.get("id"):
            return Outcome(ignored=f"stripe {topic} is not a refund event")
        state = STRIPE_STATES.get(str(refund.get("status")), "pending")
        result = RefundResult(str(refund["id"]), state, str(refund.get("failure_reason") or ""))
        return Outcome(refunds=[RefundNews("stripe", results=[result])])


class MolliePayoutSource:
    """Mollie's form body `id=tr_…`; the worker fetches the payment's refunds."""

    slug = "mollie"

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """The payment id with the moment of receipt: each call may announce a new state."""
        payment = self._payment(body)
        return Delivery(event_id=f"{payment}@{headers.get(RECEIVED_HEADER, '')}", topic="payment")

    def handle(self, topic: str, body: bytes) -> Outcome:
        """Fetch the payment's waiting refunds."""
        return Outcome(refunds=[RefundNews("mollie", fetch_payment=self._payment(body))])

    @staticmethod
    def _payment(body: bytes) -> str:
        ids = parse_qs(body.decode("utf-8", "replace")).get("id") or [""]
        if not MOLLIE_PAYMENT.fullmatch(ids[0].strip()):
            raise InvalidWebhook("mollie: the body has no payment id (tr_…)")
        return ids[0].strip()


class PayPalPayoutSource:
    """PayPal events; PAYMENT.CAPTURE.REFUNDED carries the refund as its resource."""

    slug = "paypal"

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """The event's id (WH-…) and event_type."""
        return _event(body, "paypal", "id", "event_type")

    def handle(self, topic: str, body: bytes) -> Outcome:
        """The refund's id and status; a refund that did not complete is failed or pending."""
        refund = _json(body, "paypal").get("resource") or {}
        if topic not in PAYPAL_TYPES or not refund.get("id"):
            return Outcome(ignored=f"paypal {topic} is not a refund event")
        status = str(refund.get("status") or "")
        details = refund.get("status_details") or {}
        result = RefundResult(
            str(refund["id"]), PAYPAL_STATES.get(status, "pending"), str(details.get("reason", ""))
        )
        return Outcome(refunds=[RefundNews("paypal", results=[result])])


PAYOUT_SOURCES = {
    source.slug: source
    for source in (StripePayoutSource(), MolliePayoutSource(), PayPalPayoutSource())
}

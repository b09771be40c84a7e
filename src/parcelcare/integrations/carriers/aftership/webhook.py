"""AfterShip Tracking webhooks: signature check, delivery id and the events a push carries."""

import json
from collections.abc import Sequence
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.integrations.webhooks import (
    Delivery,
    Headers,
    InvalidWebhook,
    Outcome,
    WebhookSource,
    any_secret_matches,
    base64_hmac,
    body_event_id,
)

from ..pickup import from_aftership
from .parse import parse_tracking

SIGNATURE_HEADER = "aftership-hmac-sha256"
DEFAULT_TOPIC = "tracking_update"
"""The topic of a push that names none; AfterShip's tracking pushes all use it."""


class AfterShipSource:
    """AfterShip Tracking: a base64 HMAC-SHA256 of the raw body, keyed with the webhook secret."""

    slug = "aftership"
    name = "AfterShip"

    def verify(self, headers: Headers, body: bytes, secrets: Sequence[str]) -> bool:
        """True when `aftership-hmac-sha256` matches the body under one of the secrets."""
        presented = headers.get(SIGNATURE_HEADER, "")
        return any_secret_matches(secrets, presented, lambda secret: base64_hmac(secret, body))

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """AfterShip's `event_id`; else the tracking id and its last checkpoint time."""
        document = _document(body)
        topic = _text(document.get("event")) or DEFAULT_TOPIC
        event_id = _text(document.get("event_id")) or _tracking_key(document.get("msg"))
        return Delivery(event_id=event_id or body_event_id(body), topic=topic)

    def handle(self, topic: str, body: bytes) -> Outcome:
        """The pushed tracking's checkpoints as events, for any topic; re-sent ones deduplicate."""
        tracking = _document(body).get("msg")
        if not isinstance(tracking, dict):
            raise InvalidWebhook("aftership: body has no `msg` tracking object")
        try:
            events = parse_tracking(tracking)
        except InvalidEvent as error:
            raise InvalidWebhook(str(error)) from None
        point, number = from_aftership(tracking), _text(tracking.get("tracking_number")).upper()
        return Outcome(events=events, pickups={number: point} if point and number else {})


def _tracking_key(tracking: Any) -> str:
    """`<tracking id>:<last checkpoint time>`, stable for every resend of the same update."""
    if not isinstance(tracking, dict) or not _text(tracking.get("id")):
        return ""
    checkpoints = tracking.get("checkpoints")
    last = checkpoints[-1] if isinstance(checkpoints, list) and checkpoints else {}
    stamp = _text(last.get("checkpoint_time")) if isinstance(last, dict) else ""
    return f"{_text(tracking.get('id'))}:{stamp}"


def _document(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError as error:
        raise InvalidWebhook(f"aftership: body is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise InvalidWebhook("aftership: body is not a JSON object")
    return document


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


SOURCE: WebhookSource = AfterShipSource()

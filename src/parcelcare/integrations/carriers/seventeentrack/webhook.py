"""17TRACK API v2 webhooks: `sign` check, delivery id and the events a push carries."""

import hashlib
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
    body_event_id,
)

from .parse import parse_item

SIGNATURE_HEADER = "sign"
UPDATED = "TRACKING_UPDATED"


def sign(secret: str, body: bytes) -> str:
    """17TRACK's signature: lower-case hex SHA-256 of the raw body, "/" and the security key."""
    return hashlib.sha256(body + b"/" + secret.encode()).hexdigest()


class SeventeenTrackSource:
    """17TRACK: a plain SHA-256 over the body and the key (not an HMAC), in the `sign` header."""

    slug = "17track"
    name = "17TRACK"

    def verify(self, headers: Headers, body: bytes, secrets: Sequence[str]) -> bool:
        """True when `sign` matches the body under one of the security keys."""
        presented = headers.get(SIGNATURE_HEADER, "").strip().lower()
        return any_secret_matches(secrets, presented, lambda secret: sign(secret, body))

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """17TRACK sends no event id: the SHA-256 of the exact body stands in for one."""
        topic = _text(_document(body).get("event"))
        if not topic:
            raise InvalidWebhook("17track: body has no `event`")
        # A digest of one field (number, latest event) would merge two pushes that differ
        # only in back-filled older events; the whole body never does.
        return Delivery(event_id=body_event_id(body), topic=topic)

    def handle(self, topic: str, body: bytes) -> Outcome:
        """The events of a TRACKING_UPDATED push; other pushes (TRACKING_STOPPED) carry none."""
        if topic != UPDATED:
            return Outcome(ignored=f"17track {topic} carries no tracking events")
        data = _document(body).get("data")
        if not isinstance(data, dict):
            raise InvalidWebhook("17track: TRACKING_UPDATED body has no `data` object")
        try:
            return Outcome(events=parse_item(data))
        except InvalidEvent as error:
            raise InvalidWebhook(str(error)) from None


def _document(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError as error:
        raise InvalidWebhook(f"17track: body is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise InvalidWebhook("17track: body is not a JSON object")
    return document


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


SOURCE: WebhookSource = SeventeenTrackSource()

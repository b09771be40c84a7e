"""Sendcloud webhooks: `Sendcloud-Signature` check, delivery id and the event a push carries."""

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
    hex_hmac,
)

from .parse import STATUS_CHANGED, load, parcel_number, parse

SIGNATURE_HEADER = "sendcloud-signature"


class SendcloudSource:
    """Sendcloud: a lower-case hex HMAC-SHA256 of the raw body, keyed with the integration key."""

    slug = "sendcloud"
    name = "Sendcloud"

    def verify(self, headers: Headers, body: bytes, secrets: Sequence[str]) -> bool:
        """True when `Sendcloud-Signature` matches the body under one of the secrets."""
        presented = headers.get(SIGNATURE_HEADER, "").strip().lower()
        return any_secret_matches(secrets, presented, lambda secret: hex_hmac(secret, body))

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """`<parcel id>:<status id>:<timestamp>` for status changes; the body's digest otherwise."""
        document = _document(body)
        topic = document.get("action")
        if not isinstance(topic, str) or not topic:
            raise InvalidWebhook("sendcloud: body has no `action`")
        key = _status_key(document) if topic == STATUS_CHANGED else ""
        return Delivery(event_id=key or body_event_id(body), topic=topic)

    def handle(self, topic: str, body: bytes) -> Outcome:
        """The new status of the parcel as an event; other actions carry no tracking event."""
        if topic != STATUS_CHANGED:
            return Outcome(ignored=f"sendcloud {topic} carries no tracking event")
        document = _document(body)
        parcel = document.get("parcel")
        if isinstance(parcel, dict) and not parcel_number(parcel):
            return Outcome(ignored="sendcloud parcel has no tracking number yet")
        try:
            return Outcome(events=parse(document))
        except InvalidEvent as error:
            raise InvalidWebhook(str(error)) from None


def _status_key(document: dict[str, Any]) -> str:
    """Sendcloud sends no event id; parcel, status and send time name one change."""
    parcel = document.get("parcel")
    status = parcel.get("status") if isinstance(parcel, dict) else None
    if not isinstance(parcel, dict) or not isinstance(status, dict):
        return ""
    parts = (parcel.get("id"), status.get("id"), document.get("timestamp"))
    if any(part is None or isinstance(part, bool | dict | list) for part in parts):
        return ""
    return ":".join(str(part) for part in parts)


def _document(body: bytes) -> dict[str, Any]:
    try:
        return load(body)
    except InvalidEvent as error:
        raise InvalidWebhook(str(error)) from None


SOURCE: WebhookSource = SendcloudSource()

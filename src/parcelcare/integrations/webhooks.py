"""The contract every webhook source implements, and the signature checks they share.

A source verifies a request over its raw bytes, names the sender's event id and topic, and
turns a stored body into plain results (events, orders, privacy requests, delivery reports)
without touching the database; the tracking app stores and applies them.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from parcelcare.domain.errors import DomainError
from parcelcare.domain.timeline import TrackingEvent

if TYPE_CHECKING:
    from parcelcare.integrations.carriers.pickup import PickupPoint
    from parcelcare.integrations.channels.reports import DeliveryReport
    from parcelcare.integrations.payments.webhooks import RefundNews

Headers = Mapping[str, str]
"""Request headers with lower-case names."""


class InvalidWebhook(DomainError):
    """A webhook body or header that cannot be understood; the message says which part."""


@dataclass(frozen=True)
class Delivery:
    """What identifies one delivery: the sender's event id (for deduplication) and topic."""

    event_id: str
    topic: str


@dataclass
class Outcome:
    """What a webhook body means, as plain values the tracking app applies."""

    events: list[TrackingEvent] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    redact_emails: list[str] = field(default_factory=list)
    redact_shop: bool = False
    data_request_emails: list[str] = field(default_factory=list)
    reports: list["DeliveryReport"] = field(default_factory=list)
    pickups: dict[str, "PickupPoint"] = field(default_factory=dict)
    refunds: list["RefundNews"] = field(default_factory=list)
    ignored: str = ""


class StoredSource(Protocol):
    """What the inbox needs of a sender: its slug, a delivery's id, and reading a stored body."""

    @property
    def slug(self) -> str:
        """The sender's name in URLs, connections and the inbox."""
        ...

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """The event id and topic of a verified request; InvalidWebhook when absent."""
        ...

    def handle(self, topic: str, body: bytes) -> Outcome:
        """What a stored body means; InvalidWebhook when it is not the source's format."""
        ...


class WebhookSource(StoredSource, Protocol):
    """One sender of webhooks (a shop platform, an aggregator or a carrier)."""

    name: str

    def verify(self, headers: Headers, body: bytes, secrets: Sequence[str]) -> bool:
        """True when the request was signed with one of the shop's secrets for this source."""
        ...


def hmac_sha256(secret: str, message: bytes) -> bytes:
    """The raw HMAC-SHA256 digest of a message."""
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def any_secret_matches(
    secrets: Sequence[str], presented: str, digest: Callable[[str], str]
) -> bool:
    """Constant-time compare of a presented signature with each secret's expected one;
    two secrets are live during a rotation."""
    if not presented:
        return False
    found = False
    for secret in secrets:
        if secret and hmac.compare_digest(digest(secret).encode(), presented.strip().encode()):
            found = True
    return found


def base64_hmac(secret: str, body: bytes) -> str:
    """Base64 HMAC-SHA256 (Shopify, WooCommerce, AfterShip)."""
    return base64.b64encode(hmac_sha256(secret, body)).decode()


def hex_hmac(secret: str, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 (Sendcloud)."""
    return hmac_sha256(secret, body).hex()


def body_event_id(body: bytes) -> str:
    """A stable id for senders that give none: the SHA-256 of the exact body."""
    return "sha256:" + hashlib.sha256(body).hexdigest()

"""Delivery-report senders as webhook sources: how each is verified, what is stored, how it reads.

Twilio and Bird sign the URL they called, so verification sees the request's possible URLs;
Bird reports arrive as GET query parameters, which are what the inbox keeps. E-mail bounces
(RFC 3464 reports) are posted raw by the shop's mail relay with `X-Signature-256: sha256=<hex
HMAC-SHA256 of the body>`, the scheme WhatsApp uses too.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from parcelcare import clock
from parcelcare.integrations.webhooks import (
    Delivery,
    Headers,
    InvalidWebhook,
    Outcome,
    body_event_id,
)

from .bounces import parse_bounce
from .reports import (
    BIRD_SIGNATURE_HEADER,
    TWILIO_SIGNATURE_HEADER,
    WHATSAPP_SIGNATURE_HEADER,
    DeliveryReport,
    form_pairs,
    parse_bird,
    parse_twilio,
    parse_whatsapp,
    verify_bird,
    verify_twilio_body,
    verify_whatsapp,
)

BOUNCE_SIGNATURE_HEADER = "x-signature-256"
TOPIC = "delivery_report"


@dataclass(frozen=True)
class SignedRequest:
    """A report request as received: the URLs it may have been called at (behind a proxy the
    public one differs from the local one), lower-case headers, raw body and query string."""

    urls: tuple[str, ...]
    headers: Headers
    body: bytes
    query: str


Check = Callable[[SignedRequest, Sequence[str], datetime], bool]
Parse = Callable[[bytes, datetime], list[DeliveryReport]]


@dataclass(frozen=True)
class ReportSource:
    """One provider's delivery reports: verify, keep, deduplicate and read them."""

    slug: str
    name: str
    check: Check
    parse: Parse
    from_query: bool = False

    def verify(self, request: SignedRequest, secrets: Sequence[str], now: datetime) -> bool:
        """True when one of the shop's live secrets signed this request."""
        live = [secret for secret in secrets if secret]
        return bool(live) and self.check(request, live, now)

    def payload(self, request: SignedRequest) -> bytes:
        """What the inbox keeps: the body, or the query string for GET reports."""
        return request.query.encode() if self.from_query else request.body

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """A repeated report has the same bytes: its hash is the event id."""
        return Delivery(body_event_id(body), TOPIC)

    def handle(self, topic: str, body: bytes) -> Outcome:
        """The reports in a stored payload; InvalidWebhook when it is not this provider's."""
        try:
            return Outcome(reports=self.parse(body, clock.now()))
        except UnicodeDecodeError as error:
            raise InvalidWebhook(
                f"{self.slug}: the report is not UTF-8 text (byte {error.start})"
            ) from None
        except RecursionError:
            raise InvalidWebhook(f"{self.slug}: the report is nested too deeply") from None


def _twilio(request: SignedRequest, secrets: Sequence[str], now: datetime) -> bool:
    # Checked over the raw bytes: nothing is decoded before the signature matched.
    signature = request.headers.get(TWILIO_SIGNATURE_HEADER, "")
    return any(verify_twilio_body(secrets, url, request.body, signature) for url in request.urls)


def _whatsapp(request: SignedRequest, secrets: Sequence[str], now: datetime) -> bool:
    return verify_whatsapp(
        secrets, request.body, request.headers.get(WHATSAPP_SIGNATURE_HEADER, "")
    )


def _bird(request: SignedRequest, secrets: Sequence[str], now: datetime) -> bool:
    token = request.headers.get(BIRD_SIGNATURE_HEADER, "")
    return any(verify_bird(secrets, url, request.body, token, now=now) for url in request.urls)


def _bounce(request: SignedRequest, secrets: Sequence[str], now: datetime) -> bool:
    return verify_whatsapp(secrets, request.body, request.headers.get(BOUNCE_SIGNATURE_HEADER, ""))


TWILIO = ReportSource(
    "twilio", "Twilio", _twilio, lambda body, now: parse_twilio(form_pairs(body), now=now)
)
WHATSAPP = ReportSource(
    "whatsapp", "WhatsApp Cloud API", _whatsapp, lambda body, _: parse_whatsapp(body)
)
BIRD = ReportSource(
    "bird",
    "Bird (MessageBird)",
    _bird,
    lambda body, now: parse_bird(form_pairs(body), now=now),
    from_query=True,
)
BOUNCES = ReportSource(
    "email-bounces", "E-mail bounces", _bounce, lambda body, now: parse_bounce(body, now=now)
)

REPORT_SOURCES: dict[str, ReportSource] = {
    source.slug: source for source in (TWILIO, WHATSAPP, BIRD, BOUNCES)
}
"""Delivery-report senders by the slug in their URL and in the shop's connection."""

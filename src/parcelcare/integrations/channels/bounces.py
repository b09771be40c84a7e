"""E-mail bounces: delivery status notifications (RFC 3464) read as delivery reports.

The reporting server returns the original message or its headers; their Message-ID is the one
the e-mail channel gave as the provider message id. A `delayed` action gives no report.
"""

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import Message
from email.parser import HeaderParser
from email.utils import parsedate_to_datetime

from parcelcare.integrations.channels.reports import DeliveryReport, ReportStatus
from parcelcare.integrations.webhooks import InvalidWebhook

ACTIONS: dict[str, ReportStatus] = {
    "failed": "bounced",
    "delivered": "delivered",
    "relayed": "sent",
    "expanded": "sent",
}
ORIGINAL_TYPES = frozenset({"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"})


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _original_message_id(part: Message) -> str:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload(0)
        return str(inner.get("Message-ID", "")).strip() if isinstance(inner, Message) else ""
    payload = part.get_payload(decode=True)
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return str(HeaderParser().parsestr(text).get("Message-ID", "")).strip()


def _parts(report: Message) -> tuple[list[Message], str]:
    """The delivery-status field blocks and the original Message-ID of a multipart/report."""
    blocks: list[Message] = []
    original = ""
    parts = report.get_payload() if report.is_multipart() else []
    for part in (part for part in parts if isinstance(part, Message)):
        kind = part.get_content_type()
        if kind == "message/delivery-status" and not blocks:
            blocks = [block for block in part.get_payload() if isinstance(block, Message)]
        elif kind in ORIGINAL_TYPES and not original:
            original = _original_message_id(part)
    return blocks, original


def parse_bounce(raw: bytes, *, now: datetime) -> list[DeliveryReport]:
    """One report per recipient block whose action is final; InvalidWebhook for other mail."""
    report = message_from_bytes(raw, policy=policy.default)
    if report.get_content_type() != "multipart/report":
        raise InvalidWebhook("bounce: not a multipart/report delivery status notification")
    blocks, original = _parts(report)
    if not blocks or not original:
        raise InvalidWebhook("bounce: no delivery status or no original Message-ID")
    per_message, recipients = blocks[0], blocks[1:]
    arrived = _time(per_message.get("Arrival-Date")) or _time(report.get("Date")) or now
    found = []
    for recipient in recipients:
        status = ACTIONS.get(str(recipient.get("Action", "")).strip().lower())
        if status is not None:
            moment = _time(recipient.get("Last-Attempt-Date")) or arrived
            code = str(recipient.get("Status", "")).strip().split(" ")[0]
            found.append(DeliveryReport(original, status, code, moment))
    return found

"""Send due outbox rows: claim with a lease, render, hand to the channel, record the outcome."""

import logging
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.template import TemplateSyntaxError

from parcelcare import leases
from parcelcare.accounts.models import Shop
from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.integrations.channels.base import Channel as Sender
from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.tracking.sql import to_db

from .attempts import mark_failed, mark_sent
from .context import MessageContext, shop_facts
from .gate import apply, screen
from .models import OutboxMessage
from .overrides import OverrideKey, Slot, load_overrides, override_key, render_draft
from .render import MissingTemplate, Rendered, languages, render

WHATSAPP_TEMPLATE_PREFIX = "parcelcare_"
"""WhatsApp template names are this prefix and the message kind, e.g. parcelcare_delayed_1."""
log = logging.getLogger(__name__)
LEASE = timedelta(seconds=int(os.environ.get("PARCELCARE_OUTBOX_LEASE_SECONDS", "120")))
"""How long a worker may hold a message before another may take it over (after a crash)."""
MAX_ATTEMPTS = 8
S = OutboxMessage.Status


def claim(now: datetime, limit: int = 100) -> list[int]:
    """Lease due messages (new, retry due, or lease expired); desk tasks are not sent here."""
    at = to_db(now)
    return leases.claim(
        OutboxMessage,
        due="channel <> '' AND ((status = 'queued' AND send_at <= %s) "
        "OR (status = 'failed' AND next_attempt_at <= %s) "
        "OR (status = 'sending' AND lease_until < %s))",
        params=[at, at, at],
        order_by="send_at",
        limit=limit,
        now=now,
        lease=LEASE,
        status=S.SENDING,
    )


def _address(message: OutboxMessage) -> str:
    customer = message.shipment.order.customer
    if message.audience == "merchant":
        return message.shop.contact_email
    return customer.email if message.channel == Channel.EMAIL else customer.phone


def _unsubscribe_url(message: OutboxMessage) -> str:
    """The customer's one-click opt-out link; merchant notices have none."""
    if message.audience != "customer":
        return ""
    token = message.shipment.order.customer.unsubscribe_token
    return f"{settings.PUBLIC_URL}/u/{token}?channel={message.channel}"


def _context(message: OutboxMessage) -> MessageContext:
    shipment = message.shipment
    order = shipment.order
    facts: dict[str, Any] = {
        **shop_facts(message.shop),
        "language": message.language,
        "order_number": order.order_number,
        "customer_name": order.customer.name,
        "tracking_number": shipment.tracking_number,
        "tracking_url": f"{settings.PUBLIC_URL}/t/{shipment.public_token}",
        "unsubscribe_url": _unsubscribe_url(message),
    }
    # The pickup point the carrier named, if any, for the pickup messages.
    pickup = {f"pickup_{k}": v for k, v in (shipment.pickup_point or {}).items()}
    payload = {"carrier": shipment.carrier, **pickup, **(message.payload or {})}
    return MessageContext.from_payload(payload, **facts)


def preview(message: OutboxMessage, overrides: Mapping[OverrideKey, str] | None = None) -> Rendered:
    """The message as its recipient gets it, in the shop's own text where it wrote one."""
    kind, channel, context = MessageKind(message.kind), Channel(message.channel), _context(message)
    found = load_overrides([message.id]) if overrides is None else overrides
    language = languages(kind, context)[0]
    source = found.get(override_key(message.shop_id, kind, channel, language))
    if source is not None:
        try:
            return render(kind, channel, context, override=source)
        except (TemplateSyntaxError, ValueError):
            # A text that stopped rendering (say, after an upgrade) must not hold the message up.
            log.warning("outbox message %s: the shop's own text failed, ours is sent", message.id)
    return render(kind, channel, context)


def envelope(shop: Shop) -> tuple[str, str]:
    """The From header (the shop's sender name, our address) and the shop's Reply-To."""
    address = parseaddr(settings.MAIL_FROM)[1] or settings.MAIL_FROM
    return str(Address(display_name=shop.display_name, addr_spec=address)), shop.reply_to


def _outgoing(
    message: OutboxMessage, overrides: Mapping[OverrideKey, str] | None
) -> OutgoingMessage:
    rendered = preview(message, overrides)
    sender, reply_to = envelope(message.shop)
    return OutgoingMessage(
        channel=message.channel,
        to=_address(message),
        idempotency_key=message.idempotency_key,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        sender=sender,
        reply_to=reply_to,
        unsubscribe_url=_unsubscribe_url(message),
        in_reply_to=str((message.payload or {}).get("in_reply_to", "")),
        **_whatsapp_template(message, rendered.language),
    )


def _whatsapp_template(message: OutboxMessage, language: str) -> dict[str, Any]:
    """Outside WhatsApp's 24-hour window only an approved template reaches the customer: the
    template named `parcelcare_<kind>` in the message's language, with three body parameters
    (first name, order number, tracking link), as the shop registered it with Meta."""
    if message.channel != Channel.WHATSAPP:
        return {}
    customer = message.shipment.order.customer
    first_name = customer.name.split()[0] if customer.name.split() else ""
    return {
        # A reply to the customer's own WhatsApp message is inside the 24-hour window.
        "within_session_window": bool((message.payload or {}).get("in_session")),
        "template_name": f"{WHATSAPP_TEMPLATE_PREFIX}{message.kind}",
        "template_language": language,
        "template_params": [
            first_name or message.shop.name,
            message.shipment.order.order_number,
            f"{settings.PUBLIC_URL}/t/{message.shipment.public_token}",
        ],
    }


def send_one(
    message: OutboxMessage,
    senders: Mapping[str, Sender],
    now: datetime,
    overrides: Mapping[OverrideKey, str] | None = None,
) -> str:
    """Send one leased message and record the outcome; errors retry or go dead, never vanish."""
    try:
        sender = senders.get(message.channel)
        if sender is None:
            raise ChannelError(f"no {message.channel} provider is configured", False)
        outgoing = _outgoing(message, overrides)
        if not outgoing.to:
            raise ChannelError(f"no {message.channel} address for this {message.audience}", False)
        result = sender.send(outgoing)
    except (ChannelError, MissingTemplate) as error:
        retryable = isinstance(error, ChannelError) and error.retryable
        return _failed(message, now, str(error), retryable=retryable)
    return mark_sent(
        OutboxMessage,
        message.id,
        attempts=message.attempts + 1,
        now=now,
        provider_id=result.provider_message_id,
    )


def _failed(message: OutboxMessage, now: datetime, error: str, *, retryable: bool) -> str:
    return mark_failed(
        OutboxMessage,
        message.id,
        attempts=message.attempts + 1,
        now=now,
        error=error,
        retryable=retryable,
        max_attempts=MAX_ATTEMPTS,
    )


def send_due(senders: Mapping[str, Sender], now: datetime, limit: int = 100) -> dict[str, int]:
    """Claim and send due messages until none is due; counts per outcome."""
    counts: dict[str, int] = {}
    try:
        while claimed := claim(now, limit):
            # Nothing goes out that stopped being true since it was planned, or that would
            # crowd the customer: checked against the facts now, for the whole batch at once.
            screened = screen(claimed, now)
            apply(screened)
            for outcome, held in (("withdrawn", screened.withdrawn), ("later", screened.later)):
                if held:
                    counts[outcome] = counts.get(outcome, 0) + len(held)
            ids = screened.send
            overrides = load_overrides(ids)
            # A few queries for the whole claimed batch, not one per message; each related table
            # is read by primary key, a plan no database can get wrong, however fresh its stats.
            batch = OutboxMessage.objects.filter(id__in=ids).order_by("send_at", "id")
            for message in batch.prefetch_related("shop", "shipment__order__customer"):
                status = send_one(message, senders, now, overrides)
                counts[status] = counts.get(status, 0) + 1
            if len(claimed) < limit:
                break
    finally:
        close_all(senders.values())
    return counts


def close_all(senders: Iterable[Sender]) -> None:
    """End the connections senders keep open across messages (SMTP); others have none."""
    for sender in senders:
        close = getattr(sender, "close", None)
        if close is not None:
            close()


def send_test(
    *, shop: Shop, slot: Slot, source: str, to: str, channel: Sender, now: datetime
) -> None:
    """E-mail a draft, rendered with the sample context, to `to`; ValueError or ChannelError."""
    rendered = render_draft(shop, slot, source, now)
    sender, reply_to = envelope(shop)
    subject = rendered.subject or f"{slot.kind} ({slot.channel})"
    message = OutgoingMessage(
        channel=Channel.EMAIL,
        to=to,
        idempotency_key=f"test:{shop.id}:{uuid4().hex}",
        subject=f"[Test] {subject}",
        text=rendered.text,
        html=rendered.html,
        sender=sender,
        reply_to=reply_to,
    )
    try:
        channel.send(message)
    finally:
        close_all([channel])

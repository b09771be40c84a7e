"""Send due outbox rows: claim with a lease, render, hand to the channel, record the outcome."""

import logging
import os
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.integrations.channels.base import Channel as Sender
from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.tracking.sql import to_db

from .context import MessageContext
from .models import OutboxMessage
from .render import MissingTemplate, Rendered, render

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=int(os.environ.get("PARCELCARE_OUTBOX_LEASE_SECONDS", "120")))
"""How long a worker may hold a message before another may take it over (after a crash)."""
MAX_ATTEMPTS = 8
S = OutboxMessage.Status


def claim(now: datetime, limit: int = 100) -> list[int]:
    """Lease due messages (new, retry due, or lease expired); desk tasks are not sent here."""
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    at = to_db(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM messaging_outboxmessage WHERE channel <> '' AND ("
            "(status = 'queued' AND send_at <= %s) OR (status = 'failed' AND next_attempt_at <= %s)"
            " OR (status = 'sending' AND lease_until < %s)) ORDER BY send_at LIMIT %s" + lock,
            [at, at, at, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
        OutboxMessage.objects.filter(id__in=ids).update(status=S.SENDING, lease_until=now + LEASE)
    return ids


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
    order, shop = shipment.order, message.shop
    facts: dict[str, Any] = {
        "shop_name": shop.name,
        "shop_language": shop.default_language,
        "language": message.language,
        "order_number": order.order_number,
        "customer_name": order.customer.name,
        "tracking_number": shipment.tracking_number,
        "tracking_url": f"{settings.PUBLIC_URL}/t/{shipment.public_token}",
        "unsubscribe_url": _unsubscribe_url(message),
        "time_zone": shop.timezone,
    }
    payload = {"carrier": shipment.carrier, **(message.payload or {})}
    return MessageContext.from_payload(payload, **facts)


def preview(message: OutboxMessage) -> Rendered:
    """The message as its recipient gets it (for the outbox page and for sending)."""
    return render(MessageKind(message.kind), Channel(message.channel), _context(message))


def _outgoing(message: OutboxMessage) -> OutgoingMessage:
    rendered = preview(message)
    return OutgoingMessage(
        channel=message.channel,
        to=_address(message),
        idempotency_key=message.idempotency_key,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        sender=f"{message.shop.name} <{settings.MAIL_FROM}>",
        unsubscribe_url=_unsubscribe_url(message),
    )


def send_one(message_id: int, senders: dict[str, Sender], now: datetime) -> str:
    """Send one leased message and record the outcome; errors retry or go dead, never vanish."""
    message = OutboxMessage.objects.select_related("shop", "shipment__order__customer").get(
        id=message_id
    )
    try:
        sender = senders.get(message.channel)
        if sender is None:
            raise ChannelError(f"no {message.channel} provider is configured", False)
        outgoing = _outgoing(message)
        if not outgoing.to:
            raise ChannelError(f"no {message.channel} address for this {message.audience}", False)
        result = sender.send(outgoing)
    except (ChannelError, MissingTemplate) as error:
        retryable = isinstance(error, ChannelError) and error.retryable
        return _failed(message, now, str(error), retryable=retryable)
    OutboxMessage.objects.filter(id=message.id).update(
        status=S.SENT,
        sent_at=now,
        attempts=message.attempts + 1,
        lease_until=None,
        provider_message_id=result.provider_message_id[:200],
        last_error="",
    )
    return S.SENT


def _failed(message: OutboxMessage, now: datetime, error: str, *, retryable: bool) -> str:
    attempts = message.attempts + 1
    dead = not retryable or attempts >= MAX_ATTEMPTS
    retry = None if dead else now + timedelta(seconds=min(3600, 30 * 2 ** (attempts - 1)))
    OutboxMessage.objects.filter(id=message.id).update(
        status=S.DEAD if dead else S.FAILED,
        attempts=attempts,
        next_attempt_at=retry,
        lease_until=None,
        last_error=error[:500],
    )
    log.info("outbox message %s %s", message.id, "dead" if dead else "will be retried")
    return S.DEAD if dead else S.FAILED


def send_due(senders: dict[str, Sender], now: datetime, limit: int = 100) -> dict[str, int]:
    """Claim and send due messages until none is due; counts per outcome."""
    counts: dict[str, int] = {}
    while ids := claim(now, limit):
        for message_id in ids:
            status = send_one(message_id, senders, now)
            counts[status] = counts.get(status, 0) + 1
        if len(ids) < limit:
            break
    return counts

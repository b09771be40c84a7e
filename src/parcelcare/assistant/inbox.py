"""Store first: every inbound message is a row before anything reads it; workers claim rows
with a lease, answer them, and retry failures with backoff. A repeat (same id) is kept once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from parcelcare import leases
from parcelcare.integrations.inbound.mail import InboundEmail
from parcelcare.tracking.models import Shipment

from .models import InboundMessage

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
MAX_BODY = 20_000
"""Characters of a message kept and read; longer mail is mostly quoted history."""
S = InboundMessage.Status


@dataclass(frozen=True)
class Received:
    """The stored row's id and whether it was a repeat of one already kept."""

    message_id: int
    duplicate: bool


def receive(
    *,
    shop_id: int,
    channel: str,
    external_id: str,
    sender: str,
    body: str,
    now: datetime,
    subject: str = "",
    thread_ids: list[str] | None = None,
    form_shipment: Shipment | None = None,
    automated: bool = False,
    wake: bool = True,
) -> Received:
    """Keep one message (idempotent on shop, channel and the sender's id) and wake the worker."""
    existing = InboundMessage.objects.filter(
        shop_id=shop_id, channel=channel, external_id=external_id[:300]
    ).values_list("id", flat=True)
    if found := existing.first():
        return Received(found, True)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                shop_id=shop_id,
                channel=channel,
                external_id=external_id[:300],
                sender=sender[:254],
                subject=subject[:300],
                body=body[:MAX_BODY],
                thread_ids=(thread_ids or [])[:20],
                form_shipment=form_shipment,
                automated=automated,
                received_at=now,
                next_attempt_at=now,
            )
    except IntegrityError:
        # Two deliveries of one message at once: the other request stored it.
        return Received(int(existing.first() or 0), True)
    if wake:
        transaction.on_commit(_wake)
    return Received(message.pk, False)


def receive_email(*, shop_id: int, email: InboundEmail, now: datetime) -> Received:
    """Keep one parsed e-mail, from the mail webhook or a polled mailbox, like any message."""
    return receive(
        shop_id=shop_id,
        channel="email",
        external_id=email.message_id,
        sender=email.sender,
        subject=email.subject,
        body=email.text,
        thread_ids=email.thread_ids,
        automated=email.automated,
        now=now,
    )


def _wake() -> None:
    from parcelcare.jobs import answer_messages_now

    answer_messages_now()


def claim(now: datetime, limit: int = 50) -> list[int]:
    """Lease due messages: new, due for a retry, or stuck past their lease."""
    return leases.claim_retryable(
        InboundMessage,
        waiting=(S.PENDING, S.FAILED),
        working=S.PROCESSING,
        now=now,
        limit=limit,
        lease=LEASE,
    )


def process_due(
    handle: Callable[[InboundMessage, datetime], None], now: datetime, limit: int = 50
) -> dict[str, int]:
    """Claim and handle due messages until none is left; counts per outcome."""
    counts: dict[str, int] = {}
    for _ in range(1000):
        ids = claim(now, limit)
        for message in InboundMessage.objects.filter(id__in=ids).order_by("id"):
            outcome = _handle_one(handle, message, now)
            counts[outcome] = counts.get(outcome, 0) + 1
        if len(ids) < limit:
            break
    return counts


def _handle_one(
    handle: Callable[[InboundMessage, datetime], None], message: InboundMessage, now: datetime
) -> str:
    try:
        with transaction.atomic():
            handle(message, now)
    except Exception as error:
        attempts = message.attempts + 1
        dead = attempts >= MAX_ATTEMPTS
        InboundMessage.objects.filter(id=message.pk).update(
            status=S.DEAD if dead else S.FAILED,
            attempts=attempts,
            lease_until=None,
            next_attempt_at=None if dead else now + timedelta(seconds=30 * 2 ** (attempts - 1)),
            last_error=f"{type(error).__name__}: {error}"[:300],
        )
        log.warning("inbound message %s failed (%s)", message.pk, type(error).__name__)
        return "dead" if dead else "failed"
    return "done"

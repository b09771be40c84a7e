"""Case messages to the customer: outbox rows written in the case's transaction, sent at once."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from parcelcare.domain.notify_policy import Audience, MessageKind
from parcelcare.messaging.recipients import answer_channel

from .models import Case, CaseNote

RECEIVED = MessageKind.CASE_RECEIVED
REQUEST = MessageKind.CASE_REQUEST
REPLY = MessageKind.CASE_REPLY
RESOLVED = MessageKind.CASE_RESOLVED


def case_url(case: Case) -> str:
    """The customer's page for their case: status, what is asked of them, their answers."""
    return f"{settings.PUBLIC_URL}/c/{case.public_token}"


def queue(case: Case, kind: MessageKind, now: datetime, detail: str = "-", **payload: Any) -> bool:
    """Queue one case message; without a shipment or contact address, note why instead."""
    from parcelcare.messaging.models import OutboxMessage

    channel = answer_channel(case.customer)
    if case.shipment_id is None or channel is None:
        missing = "shipment" if case.shipment_id is None else "contact address"
        CaseNote.objects.create(
            case=case,
            at=now,
            direction=CaseNote.Direction.INTERNAL,
            author="system",
            body=f"{kind}: not sent, the case has no {missing}; answer the customer by hand.",
        )
        return False
    shipment = case.shipment
    facts = {
        "carrier": shipment.carrier if shipment else "",
        "case_reference": case.reference,
        "case_url": case_url(case),
        "playbook": case.playbook,
        "status": shipment.status if shipment else "",
        "promised_date": shipment.promised_date.isoformat()
        if shipment and shipment.promised_date
        else "",
    }
    key = f"case:{case.pk}:{kind}:{detail}"
    _, created = OutboxMessage.objects.get_or_create(
        shop_id=case.shop_id,
        idempotency_key=key,
        defaults={
            "shipment_id": case.shipment_id,
            "kind": kind,
            "channel": channel,
            "audience": Audience.CUSTOMER,
            "detail": detail[:32],
            "language": case.language,
            "payload": facts | payload,
            "send_at": now,
            "created_at": now,
        },
    )
    if created:
        transaction.on_commit(_send_soon)
    return created


def _send_soon() -> None:
    """Wake the sender so the customer hears back in seconds, not at the next minute."""
    from parcelcare.jobs import send_messages_now

    send_messages_now()

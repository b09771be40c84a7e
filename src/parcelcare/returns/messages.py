"""Return messages to the customer: outbox rows written in the return's transaction, sent at once;
the send-time gate sends each only while it is true (domain.notify_truth)."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from parcelcare.domain.notify_policy import Audience, MessageKind
from parcelcare.domain.returns_policy import ReturnPolicy
from parcelcare.messaging.recipients import answer_channel
from parcelcare.tracking.models import Shipment

from .models import Feedback, ReturnRequest, ReturnSettings

RECEIVED = MessageKind.RETURN_RECEIVED
APPROVED = MessageKind.RETURN_APPROVED
ARRIVED = MessageKind.RETURN_ARRIVED
REJECTED = MessageKind.RETURN_REJECTED
REFUNDED = MessageKind.RETURN_REFUNDED


def status_url(request: ReturnRequest) -> str:
    """The customer's page for their return: where it stands, the money, how to send it."""
    return f"{settings.PUBLIC_URL}/rs/{request.public_token}"


def survey_url(survey: Feedback) -> str:
    """The one-click survey page of a settled return or a resolved case."""
    return f"{settings.PUBLIC_URL}/f/{survey.token}"


def _shipment_id(request: ReturnRequest) -> int | None:
    """The order's delivered parcel the return is about (the first one otherwise)."""
    found = Shipment.objects.filter(order_id=request.order_id, shop_id=request.shop_id)
    delivered = found.filter(delivered_at__isnull=False).order_by("delivered_at", "id")
    first = delivered.values_list("id", flat=True).first()
    return first or found.order_by("id").values_list("id", flat=True).first()


def _address(request: ReturnRequest) -> str:
    found = ReturnSettings.objects.filter(shop_id=request.shop_id)
    return " ".join((found.values_list("return_address", flat=True).first() or "").split())


def queue(
    request: ReturnRequest, kind: MessageKind, now: datetime, detail: str = "-", **payload: Any
) -> bool:
    """Queue one return message once; False when there is no parcel or contact address."""
    from parcelcare.messaging.models import OutboxMessage

    channel, shipment_id = answer_channel(request.customer), _shipment_id(request)
    if channel is None or shipment_id is None:
        return False
    facts: dict[str, Any] = {
        "case_reference": request.rma,
        "case_url": status_url(request),
        "remedy": "keep_item" if request.keep_item else "",
    }
    if kind == APPROVED and not request.keep_item:
        facts["return_address"] = _address(request)
    if kind == REJECTED:
        facts["body"] = request.decision_note
    _, created = OutboxMessage.objects.get_or_create(
        shop_id=request.shop_id,
        idempotency_key=f"return:{request.pk}:{kind}:{detail}",
        defaults={
            "shipment_id": shipment_id,
            "kind": kind,
            "channel": channel,
            "audience": Audience.CUSTOMER,
            "detail": detail[:32],
            "language": request.language,
            "payload": facts | payload,
            "send_at": now,
            "created_at": now,
        },
    )
    if created:
        transaction.on_commit(_send_soon)
    return created


def arrived(request: ReturnRequest, now: datetime) -> bool:
    """Say the return parcel is back at the shop, on which day, and what follows the check."""
    if request.received_at is None or request.keep_item:
        return False  # nothing came back: a green return keeps its item
    return queue(
        request, ARRIVED, now, arrived_at=request.received_at.isoformat(), remedy=_follows(request)
    )


def _follows(request: ReturnRequest) -> str:
    """The customer's chosen resolution while the policy offers it and it holds something."""
    stored = ReturnSettings.objects.filter(shop_id=request.shop_id).values_list("policy", flat=True)
    offered = ReturnPolicy.from_dict(stored.first() or {}).resolutions
    if request.resolution not in offered:
        return ""
    if request.resolution != "exchange" and request.refund_minor <= 0:
        return ""
    return str(request.resolution)


def refunded(request: ReturnRequest, entry: Any, survey: Feedback, now: datetime) -> bool:
    """Say a refund went out (or store credit or a voucher was given), with its amount and the
    survey link; once per ledger entry."""
    return queue(
        request,
        REFUNDED,
        now,
        detail=str(entry.pk),
        amount_minor_units=int(entry.amount),
        amount_currency=entry.currency,
        survey_url=survey_url(survey),
        **_credit(entry),
    )


def _credit(entry: Any) -> dict[str, str]:
    """For store credit or a voucher: which one, and the code the customer uses."""
    if entry.kind not in ("store_credit", "voucher"):
        return {}
    return {"remedy": str(entry.kind), "voucher_code": entry.reference}


def _send_soon() -> None:
    """Wake the sender so the customer hears back in seconds, not at the next minute."""
    from parcelcare.jobs import send_messages_now

    send_messages_now()

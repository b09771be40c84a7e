"""What a sent message says, beside its shipment's state: a contradiction names what is false."""

from dataclasses import dataclass

from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Finding, Shipment

GONE = {"delivered", "returning", "returned", "cancelled"}


@dataclass(frozen=True)
class Seen:
    """A message as it went out, beside its shipment as the database had it at that moment."""

    kind: str
    detail: str
    status: str
    delivered: bool
    findings: frozenset[tuple[str, int | None]]


def contradiction(seen: Seen) -> str:
    """What the message says that the shipment's state denies; empty when nothing."""
    kind, status = seen.kind, seen.status
    delays = [level or 0 for k, level in seen.findings if k == "delayed"]
    if kind.startswith("delayed_"):
        if status in GONE or seen.delivered:
            return "a delay for a parcel no longer under way"
        if not delays or max(delays) < int(kind[-1]):
            return "a delay level the parcel is not at"
    wanted = {
        "out_for_delivery": "out_for_delivery",
        "failed_attempt": "failed_attempt",
        "awaiting_pickup": "available_for_pickup",
        "pickup_reminder": "available_for_pickup",
        "returning": "returning",
        "returned": "returned",
    }.get(kind)
    if wanted is not None and status != wanted:
        return f"{kind} while {status}"
    if kind == "delivered" and not seen.delivered:
        return "delivered while not delivered"
    if kind == "shipped" and (status in GONE or seen.delivered):
        return "shipped after the journey ended"
    if kind == "likely_lost" and (seen.delivered or ("likely_lost", None) not in seen.findings):
        return "likely lost while not"
    return ""


def seen_now(key: str) -> Seen:
    """The message with this idempotency key, and its shipment as the database has it now."""
    row = OutboxMessage.objects.get(idempotency_key=key)
    return seen_row(row)


def seen_row(row: OutboxMessage) -> Seen:
    """An outbox row beside its shipment's current state."""
    shipment = Shipment.objects.get(id=row.shipment_id)
    findings = Finding.objects.filter(shipment_id=shipment.id, closed_at=None)
    return Seen(
        row.kind,
        row.detail,
        shipment.status,
        shipment.delivered_at is not None,
        frozenset(findings.values_list("kind", "level")),
    )

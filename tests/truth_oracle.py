"""What a sent message says, beside its shipment's state: a contradiction names what is false."""

from dataclasses import dataclass

from parcelcare.messaging.models import OutboxMessage
from parcelcare.returns.models import ReturnRequest
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
    back: tuple[bool, str] | None = None
    """A return message's return: whether its parcel was ever taken in, and its status."""


def _return(seen: Seen) -> str:
    """What a return message says that its return denies; empty when nothing."""
    if seen.kind != "return_arrived":
        return ""
    if seen.back is None:
        return "return_arrived for a return that is gone"
    taken_in, status = seen.back
    if not taken_in:
        return "return_arrived while nothing came back"
    if status == "rejected":
        return "return_arrived after the return was rejected"
    return ""


def contradiction(seen: Seen) -> str:
    """What the message says that the shipment's state denies; empty when nothing."""
    kind, status = seen.kind, seen.status
    if kind.startswith("return_"):
        return _return(seen)
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
        _back(row.idempotency_key),
    )


def _back(key: str) -> tuple[bool, str] | None:
    """A return message's return as (parcel taken in, status); None for other messages."""
    prefix, _, rest = key.partition(":")
    if prefix != "return":
        return None
    found = ReturnRequest.objects.filter(pk=int(rest.split(":")[0]))
    row = found.values_list("received_at", "status").first()
    return None if row is None else (row[0] is not None, row[1])

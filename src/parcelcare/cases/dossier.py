"""The dispute dossier: everything a PayPal, Klarna, Shopify Payments or card "item not
received" dispute asks for, gathered from one case into a plain, JSON-ready dict.

Times are ISO 8601 in UTC, money is integer minor units with its currency (plus a text in the
shop's language). Internal notes and the risk score are not evidence: they sit under
`internal`, which the PDF leaves out; never upload that part to a payment provider.
"""

from datetime import UTC, datetime
from typing import Any

from django.utils import translation

from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.models import AuditEntry
from parcelcare.domain.vocabulary import LANGUAGES
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.overrides import load_overrides
from parcelcare.messaging.render import MissingTemplate
from parcelcare.messaging.sender import preview
from parcelcare.tracking.models import Order, Shipment
from parcelcare.tracking.queries import shipping_address

from .labels import money
from .messages import case_url
from .models import Case, CaseNote
from .queries import refundable_now

BILLING_NOT_PROVIDED = "not provided by the shop"
EVENT_FIELDS = (
    "occurred_at",
    "carrier",
    "tracking_number",
    "code",
    "status",
    "reason",
    "description",
    "location",
)


def iso(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC, or None."""
    return moment.astimezone(UTC).isoformat() if moment else None


def _money(minor: int, currency: str) -> dict[str, Any]:
    """Minor units, currency, and the amount as the active language writes it."""
    return {"minor": minor, "currency": currency, "text": money(minor, currency)}


def _shop(case: Case) -> dict[str, Any]:
    shop, brand = case.shop, brand_of(case.shop)
    return {
        "name": shop.display_name,
        "colour": brand.colour,
        "ink": brand.ink,
        "logo_url": brand.logo_url,
        "country": shop.country,
        "timezone": shop.timezone,
        "language": shop.default_language,
        "contact_email": shop.contact_email,
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "kind": case.kind,
        "playbook": case.playbook,
        "status": case.status,
        "source": case.source,
        "summary": case.summary,
        "opened_at": iso(case.opened_at),
        "first_response_at": iso(case.first_response_at),
        "resolved_at": iso(case.resolved_at),
        "closed_at": iso(case.closed_at),
        "outcome": case.outcome or None,
        "customer_url": case_url(case),
        "steps": [
            {"key": s.key, "state": s.state, "done_at": iso(s.done_at), "done_by": s.done_by}
            for s in case.steps.order_by("position")
        ],
    }


def _order(order: Order) -> dict[str, Any]:
    lines = [
        {
            "sku": line.sku,
            "name": line.name,
            "quantity": line.quantity,
            "unit_price": _money(line.unit_price, line.currency),
            "total": _money(line.unit_price * line.quantity, line.currency),
        }
        for line in order.lines.order_by("id")
    ]
    return {
        "number": order.order_number,
        "placed_at": iso(order.placed_at),
        "total": _money(order.total, order.currency),
        "lines": lines,
    }


def _addresses(order: Order) -> dict[str, Any]:
    """The shipping address; the billing address only when the shop sent one (it never
    does today), so whether they match is unknown rather than guessed."""
    shipping = shipping_address(order)
    return {
        "shipping": shipping,
        "billing": None,
        "billing_note": BILLING_NOT_PROVIDED,
        "match": "unknown",
    }


def _shipment(shipment: Shipment, disputed: bool) -> dict[str, Any]:
    legs = [
        {"carrier": leg.carrier, "tracking_number": leg.tracking_number}
        for leg in shipment.legs.order_by("id")
    ]
    first = {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number}
    events = shipment.events.order_by("occurred_at", "id").values(*EVENT_FIELDS)
    return {
        **first,
        "disputed": disputed,
        "legs": legs,
        "last_mile": legs[-1] if legs else first,
        "tracking_numbers": [first["tracking_number"], *(leg["tracking_number"] for leg in legs)],
        "status": shipment.status,
        "shipped_at": iso(shipment.shipped_at or shipment.first_scan_at),
        "promised_date": shipment.promised_date.isoformat() if shipment.promised_date else None,
        "delivered_at": iso(shipment.delivered_at),
        "events": [{**e, "occurred_at": iso(e["occurred_at"])} for e in events],
    }


def _tracking(case: Case) -> list[dict[str, Any]]:
    """Every parcel of the order, the case's own first, each with its whole timeline."""
    shipments = sorted(
        case.order.shipments.all(), key=lambda s: (s.pk != case.shipment_id, s.created_at, s.pk)
    )
    return [_shipment(s, s.pk == case.shipment_id) for s in shipments]


def _pod(case: Case, tracking: list[dict[str, Any]]) -> dict[str, Any]:
    pod = dict(case.pod or {})
    own = next((s for s in tracking if s["disputed"]), None)
    delivered = [e for e in (own or {}).get("events", []) if e["status"] == "delivered"]
    return {
        "requested_at": pod.get("requested_at"),
        "received_at": pod.get("received_at"),
        "strength": pod.get("strength") or ("scan_only" if delivered else "none"),
        "detail": pod.get("detail", ""),
        "delivered_at": own["delivered_at"] if own else None,
        "delivery_scan": delivered[-1] if delivered else None,
    }


def _outbound(case: Case) -> list[dict[str, Any]]:
    """Every message sent or queued to the customer about the order's parcels (withdrawn
    ones never left, so they are not evidence)."""
    rows = list(
        OutboxMessage.objects.filter(shipment__order_id=case.order_id, audience="customer")
        .exclude(channel="")
        .exclude(status=OutboxMessage.Status.WITHDRAWN)
        .select_related("shop", "shipment__order__customer")
        .order_by("created_at", "id")
    )
    overrides = load_overrides([row.pk for row in rows])
    return [_message(row, overrides) for row in rows]


def _message(row: OutboxMessage, overrides: Any) -> dict[str, Any]:
    try:
        rendered = preview(row, overrides)
        subject, text = rendered.subject, rendered.text
    except (MissingTemplate, ValueError):
        # No text to render it with: an agent's reply still has its own words.
        subject, text = "", str((row.payload or {}).get("body", ""))
    customer = row.shipment.order.customer
    return {
        "direction": "out",
        "at": iso(row.sent_at or row.created_at),
        "kind": row.kind,
        "channel": row.channel,
        "to": customer.email if row.channel == "email" else customer.phone,
        "status": row.status,
        "sent_at": iso(row.sent_at),
        "delivery_status": row.delivery_status or None,
        "subject": subject,
        "text": text,
    }


def _notes(case: Case, direction: str) -> list[dict[str, Any]]:
    """The case's notes of one direction: the customer's messages, or internal notes."""
    shown = "in" if direction == CaseNote.Direction.INBOUND else "internal"
    notes = case.notes.filter(direction=direction).order_by("at", "id")
    return [
        {
            "direction": shown,
            "at": iso(n.at),
            "channel": n.channel,
            "author": n.author,
            "text": n.body,
        }
        for n in notes
    ]


def _messages(case: Case) -> list[dict[str, Any]]:
    """Both ways in time order: our messages to the customer and theirs to us."""
    both = _outbound(case) + _notes(case, CaseNote.Direction.INBOUND)
    return sorted(both, key=lambda m: m["at"] or "")


def _declarations(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "name": d.name,
            "statement": d.statement,
            "language": d.language,
            "signed_at": iso(d.signed_at),
            "ip": d.ip,
            "user_agent": d.user_agent,
        }
        for d in case.declarations.order_by("signed_at", "id")
    ]


def _photos(case: Case) -> list[dict[str, Any]]:
    """Photo facts; the PDF embeds the images themselves, the JSON names them by hash."""
    rows = case.attachments.order_by("uploaded_at", "id").values(
        "id", "filename", "content_type", "size", "sha256", "uploaded_at"
    )
    return [{**row, "uploaded_at": iso(row["uploaded_at"])} for row in rows]


def _claims(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "carrier": c.carrier,
            "kind": c.kind,
            "status": c.status,
            "reference": c.reference,
            "opens_at": iso(c.opens_at),
            "deadline_at": iso(c.deadline_at),
            "filed_at": iso(c.filed_at),
            "outcome_at": iso(c.outcome_at),
            "payout": _money(c.payout_minor, c.currency),
        }
        for c in case.claims.order_by("id")
    ]


def _remedy(case: Case) -> dict[str, Any]:
    """What the shop's policy offered and recommended, what the customer chose, the outcome."""
    advice = case.recommendation or {}
    return {
        "offered": list(advice.get("offered", [])),
        "recommended": advice.get("recommended"),
        "reasons": list(advice.get("reasons", [])),
        "voucher_percent": advice.get("voucher_percent", 0),
        "cost_share_percent": advice.get("cost_share_percent", 0),
        "customer_choice": case.customer_choice or None,
        "outcome": case.outcome or None,
        "decided_at": iso(case.resolved_at),
    }


def _ledger(case: Case) -> dict[str, Any]:
    order = case.order
    entries = [
        {
            "kind": e.kind,
            "amount": _money(e.amount, e.currency),
            "reason": e.reason,
            "actor": _actor(e.actor_type, e.actor),
            "created_at": iso(e.created_at),
            "idempotency_key": e.idempotency_key,
        }
        for e in order.remedies.order_by("created_at", "id")
    ]
    left = refundable_now(case)
    return {
        "paid": _money(order.total, order.currency),
        "refunded": _money(order.total - left, order.currency),
        "refundable": _money(left, order.currency),
        "entries": entries,
    }


def _actor(kind: str, name: str) -> str:
    """The actor as kind:name ("integration:shopify-app"), or the kind alone."""
    return f"{kind}:{name}" if name else kind


def _audit(case: Case) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(
        shop_id=case.shop_id, subject_type="case", subject_id=case.pk
    ).order_by("at", "id")
    return [
        {
            "at": iso(a.at),
            "actor": _actor(a.actor_type, a.actor),
            "action": a.action,
            "before": a.before,
            "after": a.after,
        }
        for a in entries
    ]


def build_dossier(case: Case, *, now: datetime, language: str = "") -> dict[str, Any]:
    """Gather the dispute dossier of one case in `language` (one of LANGUAGES; the shop's
    own by default: a payment provider's reviewer often reads English best)."""
    case = Case.objects.select_related("shop", "order__customer", "shipment").get(pk=case.pk)
    language = language if language in LANGUAGES else case.shop.default_language
    with translation.override(language):
        return _gather(case, language, now)


def _gather(case: Case, language: str, now: datetime) -> dict[str, Any]:
    tracking = _tracking(case)
    customer = case.order.customer
    return {
        "generated_at": iso(now),
        "language": language,
        "shop": _shop(case),
        "case": _case(case),
        "order": _order(case.order),
        "customer": {"name": customer.name, "email": customer.email},
        "addresses": _addresses(case.order),
        "tracking": tracking,
        "proof_of_delivery": _pod(case, tracking),
        "messages": _messages(case),
        "declarations": _declarations(case),
        "photos": _photos(case),
        "claims": _claims(case),
        "remedy": _remedy(case),
        "ledger": _ledger(case),
        "audit": _audit(case),
        "internal": {"notes": _notes(case, CaseNote.Direction.INTERNAL), "risk": case.risk},
    }

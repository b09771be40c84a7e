"""Gather a claim's risk signals from the shop's records, score them and recommend a remedy."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

import phonenumbers
from django.db.models import Avg, Q

from parcelcare.domain.money import RemedyKind
from parcelcare.domain.playbooks import StepKey
from parcelcare.domain.remedy_policy import RemedyFacts, recommend
from parcelcare.domain.risk import (
    ClaimSignals,
    PodStrength,
    RiskScore,
    normalise_address,
    normalise_email,
    score_claim,
)
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import Order, TrackingEvent

from .models import Case
from .policy import desk_for

CLAIM_KINDS = ("not_received", "lost", "damaged_or_wrong_item")
RECENT_ORDERS = 500
NEAR_LIMIT = 200
"""Earlier claims sharing a postcode, e-mail or phone ending that are compared in full."""


def phone_key(raw: str, country: str) -> str:
    """A phone number in E.164 for matching, or "" when it is not a number."""
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _earlier_claims(case: Case) -> tuple[int, int]:
    """Claims by this customer, and by other customers sharing an e-mail, phone or address."""
    claims = Case.objects.filter(shop_id=case.shop_id, kind__in=CLAIM_KINDS).exclude(pk=case.pk)
    own = claims.filter(customer_id=case.customer_id).count()
    customer, order = case.customer, case.order
    match = Q(order__ship_postcode=order.ship_postcode) if order.ship_postcode else Q()
    if customer.email:
        match |= Q(customer__email__iexact=customer.email)
    if len(customer.phone) >= 6:
        match |= Q(customer__phone__endswith=customer.phone[-6:])
    if not match:
        return own, 0
    near = (
        claims.exclude(customer_id=case.customer_id)
        .filter(match)
        .select_related("customer", "order")[:NEAR_LIMIT]
    )
    email, phone = normalise_email(customer.email), phone_key(customer.phone, order.ship_country)
    address = _address(order)
    same = 0
    for other in near:
        if (
            (email and normalise_email(other.customer.email) == email)
            or (phone and phone_key(other.customer.phone, other.order.ship_country) == phone)
            or _address(other.order) == address
        ):
            same += 1
    return own, same


def _address(order: Order) -> str:
    return normalise_address(
        line1=order.ship_line1, postcode=order.ship_postcode, country=order.ship_country
    )


def _pod_strength(case: Case) -> PodStrength:
    stored = (case.pod or {}).get("strength")
    if stored:
        return PodStrength(stored)
    delivered = case.shipment is not None and case.shipment.delivered_at is not None
    return PodStrength.SCAN_ONLY if delivered else PodStrength.NONE


def _delivered_elsewhere(case: Case) -> bool:
    """True when the carrier's delivery scan names a postcode other than the order's."""
    shipment, postcode = case.shipment, case.order.ship_postcode.replace(" ", "").casefold()
    if shipment is None or shipment.delivered_at is None or not postcode:
        return False
    location = (
        TrackingEvent.objects.filter(shipment=shipment, status="delivered")
        .order_by("-occurred_at")
        .values_list("location", flat=True)
        .first()
    )
    text = (location or "").replace(" ", "").casefold()
    return bool(text) and any(c.isdigit() for c in text) and postcode not in text


def signals(case: Case, now: datetime) -> ClaimSignals:
    """The risk signals of a claim, read from the shop's own records."""
    order, shipment = case.order, case.shipment
    own, same = _earlier_claims(case)
    earlier = Order.objects.filter(customer_id=case.customer_id, placed_at__lt=order.placed_at)
    recent = Order.objects.filter(shop_id=case.shop_id).order_by("-placed_at")[:RECENT_ORDERS]
    typical = Order.objects.filter(pk__in=recent.values("pk")).aggregate(v=Avg("total"))["v"]
    delivered = shipment.delivered_at if shipment else None
    return ClaimSignals(
        earlier_claims_by_customer=own,
        earlier_claims_same_contact=same,
        pod_strength=_pod_strength(case),
        days_since_delivery=(now - delivered).days if delivered else None,
        order_value_minor=order.total,
        typical_order_value_minor=int(typical or order.total),
        first_order=not earlier.exists(),
        address_mismatch=_delivered_elsewhere(case),
        customer_orders=earlier.filter(shipments__status="delivered").distinct().count(),
    )


def _address_error(case: Case) -> bool:
    data = case.steps.filter(key__in=[StepKey.CONFIRM_ADDRESS, StepKey.VERIFY_ADDRESS])
    return any(d.get("customer_error") for d in data.values_list("data", flat=True) if d)


def _facts(case: Case, risk_in: ClaimSignals, insured_above: int | None) -> RemedyFacts:
    order = case.order
    year_ago = case.opened_at.replace(year=case.opened_at.year - 1)
    claims_365 = (
        Case.objects.filter(
            customer_id=case.customer_id, kind__in=CLAIM_KINDS, opened_at__gte=year_ago
        )
        .exclude(pk=case.pk)
        .count()
    )
    return RemedyFacts(
        order_value_minor=order.total,
        currency=order.currency,
        already_reshipped=RemedyEntry.objects.filter(order=order, kind=RemedyKind.RESHIP).exists(),
        earlier_claims_365d=claims_365,
        customer_orders=risk_in.customer_orders,
        first_order=risk_in.first_order,
        address_error_by_customer=_address_error(case),
        insured=insured_above is not None and order.total > insured_above,
        customer_choice=case.customer_choice or None,
    )


def _plain(value: Any) -> Any:
    """Dataclasses, enums and mappings as JSON-ready values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def assess(*, case: Case, now: datetime) -> RiskScore:
    """Score the claim, recommend a remedy, and store both (with reasons) on the case."""
    policy = desk_for(case.shop, now).remedy_policy()
    found = signals(case, now)
    risk = score_claim(found)
    advice = recommend(
        policy=policy,
        playbook=case.playbook,
        risk=risk,
        facts=_facts(case, found, policy.insured_above_minor),
    )
    case.risk = _plain(asdict(risk) | {"signals": asdict(found)})
    case.recommendation = _plain(asdict(advice))
    case.save(update_fields=["risk", "recommendation"])
    return risk

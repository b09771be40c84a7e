"""Carrier-facing steps: proof of delivery and claims with the carrier's deadlines."""

from datetime import datetime
from typing import Any

from django.db import transaction

from parcelcare.domain.claims import ClaimKind, claim_dates, claim_window
from parcelcare.domain.money import RemedyKind
from parcelcare.domain.playbooks import StepKey, StepState
from parcelcare.domain.risk import PodStrength

from .actors import CaseError, Who, audit, lock
from .models import CarrierClaim, Case
from .policy import desk_for
from .services import CLOSED_STATES, advance, complete_step, settle_step


def request_pod(*, case: Case, who: Who, now: datetime) -> None:
    """Record that proof of delivery was asked of the carrier; the case waits on the carrier."""
    with transaction.atomic():
        case = lock(case)
        before = dict(case.pod or {})
        case.pod = {**before, "requested_at": now.isoformat()}
        case.save(update_fields=["pod"])
        audit(case, who, "pod.request", now, before or None, case.pod)
        advance(case, who, now)


def record_pod(*, case: Case, strength: PodStrength, detail: str, who: Who, now: datetime) -> None:
    """Store what the carrier sent as proof (signature, photo, GPS) and settle the step."""
    with transaction.atomic():
        case = lock(case)
        before = dict(case.pod or {})
        case.pod = {
            **before,
            "received_at": now.isoformat(),
            "strength": PodStrength(strength).value,
            "detail": detail[:2000],
        }
        case.save(update_fields=["pod"])
        audit(case, who, "pod.received", now, before or None, {"strength": case.pod["strength"]})
        if case.steps.filter(key=StepKey.REQUEST_POD).exists():
            complete_step(case=case, key=StepKey.REQUEST_POD, who=who, now=now)
        from .assess import assess

        assess(case=case, now=now)


def _window(case: Case, kind: ClaimKind, now: datetime) -> dict[str, Any]:
    shipment = case.shipment
    if shipment is None:
        return {}
    desk = desk_for(case.shop, now)
    window = claim_window(
        carrier=shipment.carrier, kind=kind, overrides=desk.settings.claim_windows or None
    )
    dates = claim_dates(
        window=window,
        shipped_at=shipment.first_scan_at or shipment.shipped_at,
        delivered_at=shipment.delivered_at,
        last_scan_at=shipment.last_event_at,
        calendar=desk.calendar,
    )
    return {"opens_at": dates.opens_at, "deadline_at": dates.deadline_at} if dates else {}


def claim_kind_for(case: Case) -> ClaimKind:
    """A damaged parcel is a damage claim; everything else that went missing a loss claim."""
    return ClaimKind.DAMAGE if case.playbook == "E" else ClaimKind.LOSS


def prepare_claim(*, case: Case, now: datetime) -> CarrierClaim:
    """The draft claim with its window, so reminders can run before anything is filed."""
    kind = claim_kind_for(case)
    claim, _ = CarrierClaim.objects.get_or_create(
        case=case,
        kind=kind,
        defaults={
            "carrier": case.shipment.carrier if case.shipment else "",
            "currency": case.order.currency,
            **_window(case, kind, now),
        },
    )
    return claim


def file_claim(*, case: Case, reference: str, who: Who, now: datetime) -> CarrierClaim:
    """Record the claim filed with the carrier under its reference."""
    if not reference.strip():
        raise CaseError("a filed claim needs the carrier's reference")
    with transaction.atomic():
        case = lock(case)
        claim = prepare_claim(case=case, now=now)
        if claim.opens_at and now < claim.opens_at:
            raise CaseError(
                f"the carrier takes {claim.kind} claims from {claim.opens_at:%Y-%m-%d} on"
            )
        before = claim.status
        claim.status, claim.reference, claim.filed_at = "filed", reference.strip(), now
        claim.save(update_fields=["status", "reference", "filed_at"])
        audit(case, who, "claim.file", now, {"status": before}, {"reference": claim.reference})
        open_step = case.steps.filter(key=StepKey.FILE_CLAIM, state=StepState.OPEN).exists()
        if open_step and case.status in CLOSED_STATES:
            # The customer was helped already; the shop still recovers its money from the carrier.
            settle_step(case, StepKey.FILE_CLAIM, who, now, StepState.DONE, {})
        elif open_step:
            complete_step(case=case, key=StepKey.FILE_CLAIM, who=who, now=now)
    return claim


def claim_outcome(
    *, case: Case, accepted: bool, payout_minor: int, who: Who, now: datetime
) -> CarrierClaim:
    """The carrier's answer; a payout goes into the ledger as carrier_claim_recovery."""
    from .outcomes import record_remedy

    if payout_minor < 0:
        raise CaseError("a payout cannot be negative")
    with transaction.atomic():
        claim = CarrierClaim.objects.select_for_update().filter(case=case, status="filed").first()
        if claim is None:
            raise CaseError("there is no filed claim waiting for an answer")
        claim.status = (
            "paid" if accepted and payout_minor else ("accepted" if accepted else "rejected")
        )
        claim.payout_minor, claim.outcome_at = payout_minor, now
        claim.save(update_fields=["status", "payout_minor", "outcome_at"])
        audit(case, who, "claim.outcome", now, {"status": "filed"}, {"status": claim.status})
        if payout_minor:
            record_remedy(
                case=case,
                kind=RemedyKind.CARRIER_CLAIM_RECOVERY,
                amount=payout_minor,
                who=who,
                now=now,
                idempotency_key=f"claim:{claim.pk}:payout",
                reason=claim.reference,
            )
    return claim

"""The desk's periodic pass: open cases from findings before the customer asks, let open cases
follow their parcel's tracking, and remind agents of carrier claim deadlines.

Everything is read set-wise; only cases that need a change are touched one by one."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from parcelcare.domain.cases import (
    CaseKind,
    FollowUp,
    Playbook,
    TrackingFacts,
    follow_tracking,
    proactive_kind,
)
from parcelcare.domain.claims import ClaimDates, reminders
from parcelcare.domain.playbooks import StepKey
from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import Finding

from .actors import SYSTEM
from .carrier import prepare_claim
from .models import CarrierClaim, Case, DeskPolicy
from .outcomes import TO_CUSTOMER, close_delivered
from .services import open_case, switch_playbook

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PROACTIVE_FINDINGS = (FindingKind.LIKELY_LOST, FindingKind.RETURNED_TO_SENDER, FindingKind.DELAYED)
"""Findings that open a case, most serious first: one case per shipment takes the first."""


@dataclass
class DeskPass:
    """What one pass did."""

    opened: int = 0
    closed_delivered: int = 0
    switched: int = 0
    reminded: int = 0


def _candidates() -> list[Finding]:
    """Open findings that call for a case, on shipments without an open case or a case
    already opened for the same finding; shops that turned proactive cases off are skipped."""
    quiet_shops = DeskPolicy.objects.filter(proactive=False).values("shop_id")
    return list(
        Finding.objects.filter(closed_at__isnull=True, kind__in=PROACTIVE_FINDINGS)
        .filter(~Q(kind=FindingKind.DELAYED) | Q(level__gte=3))
        .exclude(shop_id__in=quiet_shops)
        .exclude(shipment__cases__is_open=True)
        .exclude(id__in=Case.objects.filter(finding__isnull=False).values("finding_id"))
        .select_related("shipment__order__customer", "shipment__shop")
        .order_by("id")
    )


def open_proactive(now: datetime) -> int:
    """Open a case for each finding that calls for one; returns how many were opened."""
    opened = 0
    first: dict[int, Finding] = {}
    for finding in sorted(_candidates(), key=lambda f: PROACTIVE_FINDINGS.index(f.kind)):
        first.setdefault(finding.shipment_id, finding)
    for finding in first.values():
        kind = proactive_kind(FindingKind(finding.kind), finding.level)
        if kind is None:
            continue
        shipment = finding.shipment
        try:
            _, created = open_case(
                shop=shipment.shop,
                order=shipment.order,
                shipment=shipment,
                kind=kind,
                source=Case.Source.PROACTIVE,
                who=SYSTEM,
                now=now,
                finding=finding,
            )
        except IntegrityError:
            continue  # another worker opened it first; its case stands
        opened += created
    _consume_followups()
    return opened


def _consume_followups() -> None:
    """Agent follow-ups in the outbox are answered by the case that is now open for them."""
    from parcelcare.messaging.models import OutboxMessage

    OutboxMessage.objects.filter(
        kind="agent_followup", status="queued", shipment__cases__is_open=True
    ).update(status="sent", provider_message_id="case desk")


def follow_open_cases(now: datetime) -> tuple[int, int]:
    """Let open cases follow tracking: close on delivery, switch playbook when the facts do."""
    cases = list(
        Case.objects.filter(is_open=True, shipment__isnull=False).select_related("shipment")
    )
    if not cases:
        return 0, 0
    findings: dict[int, set[FindingKind]] = defaultdict(set)
    for shipment_id, kind in Finding.objects.filter(
        shipment_id__in=[c.shipment_id for c in cases], closed_at__isnull=True
    ).values_list("shipment_id", "kind"):
        findings[shipment_id].add(FindingKind(kind))
    remedied = set(
        RemedyEntry.objects.filter(
            case_id__in=[c.pk for c in cases], kind__in=list(TO_CUSTOMER)
        ).values_list("case_id", flat=True)
    )
    closed = switched = 0
    for case in cases:
        assert case.shipment is not None
        facts = TrackingFacts(
            ShipmentStatus(case.shipment.status), frozenset(findings[case.shipment.pk])
        )
        follow = follow_tracking(
            kind=CaseKind(case.kind),
            playbook=Playbook(case.playbook),
            facts=facts,
            remedied=case.pk in remedied,
        )
        if follow.action == FollowUp.CLOSE_DELIVERED:
            close_delivered(case=case, who=SYSTEM, now=now)
            closed += 1
        elif follow.action == FollowUp.SWITCH and follow.playbook is not None:
            with transaction.atomic():
                switch_playbook(case=case, playbook=follow.playbook, who=SYSTEM, now=now)
            switched += 1
    return closed, switched


def prepare_claims(now: datetime) -> int:
    """A draft claim with its window for every open case whose checklist files one, so its
    deadline shows and reminders run before anyone opens the case."""
    cases = (
        Case.objects.filter(is_open=True, steps__key=StepKey.FILE_CLAIM, steps__state="open")
        .exclude(claims__isnull=False)
        .select_related("shop", "order", "shipment")
    )
    count = 0
    for case in cases:
        prepare_claim(case=case, now=now)
        count += 1
    return count


def remind_claims(now: datetime) -> int:
    """Count each deadline reminder of a draft claim as it comes (the desk shows it); a claim
    whose deadline already passed gets none: the page says it is overdue."""
    count = 0
    # Claims of resolved cases too: the customer was helped, the shop still recovers the cost.
    claims = CarrierClaim.objects.filter(status="draft", deadline_at__gt=now).select_related("case")
    for claim in claims:
        assert claim.deadline_at is not None
        dates = ClaimDates(
            opens_at=claim.opens_at or claim.deadline_at, deadline_at=claim.deadline_at
        )
        due = len(reminders(dates=dates, now=EPOCH)) - len(reminders(dates=dates, now=now))
        if due > claim.reminders_sent:
            count += due - claim.reminders_sent
            claim.reminders_sent, claim.reminded_at = due, now
            claim.save(update_fields=["reminders_sent", "reminded_at"])
    return count


def desk_pass(now: datetime) -> DeskPass:
    """One pass of the desk's periodic work."""
    result = DeskPass()
    result.opened = open_proactive(now)
    result.closed_delivered, result.switched = follow_open_cases(now)
    prepare_claims(now)
    result.reminded = remind_claims(now)
    return result

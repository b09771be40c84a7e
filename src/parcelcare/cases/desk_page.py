"""What the desk's case page shows beside the stream: SLA, checklist, claim, advice, remedies."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcelcare.domain.claims import ClaimDates, ClaimStatus, claim_status
from parcelcare.domain.playbooks import StepKey, StepState
from parcelcare.integrations.carriers.names import carrier_name
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking import labels as tracking_labels
from parcelcare.tracking.models import Shipment

from . import labels
from .carrier import prepare_claim
from .models import CarrierClaim, Case, CaseStep
from .policy import Desk
from .queries import Due, first_response, refundable_now, resolution, stored
from .services import CLOSED_STATES

GENERIC = ("done", "skip")


@dataclass(frozen=True)
class When:
    """A moment written out in the shop's zone, and relative to now."""

    at: datetime | None
    text: str
    relative: str


def when(at: datetime | None, now: datetime) -> When:
    """The moment as the agent reads it."""
    return When(at, tracking_labels.when(at), tracking_labels.relative(at, now))


@dataclass(frozen=True)
class SlaView:
    """One SLA target on the page: label, due moment and badge."""

    label: str
    due: When
    state: str
    tone: str


def sla_view(label: str, due: Due, now: datetime) -> SlaView:
    """One target ready for its badge."""
    text, tone = labels.sla_chip(due.state)
    return SlaView(label, when(due.at, now), text, tone)


@dataclass(frozen=True)
class StepRow:
    """One checklist step with the actions that fit it now."""

    key: str
    label: str
    actor: str
    state: str
    state_label: str
    due: When
    overdue: bool
    done_by: str
    actions: tuple[str, ...]
    answer_label: str = ""
    answer: str = ""


def _answer(step: CaseStep) -> tuple[str, str]:
    """What the customer answered on a step the agent acts on: the address to ship to."""
    data = step.data or {}
    if step.key != StepKey.CONFIRM_ADDRESS or step.state != StepState.DONE:
        return "", ""
    if data.get("new_address"):
        return _("The right address"), str(data["new_address"])
    if data.get("pickup_point"):
        return _("The pickup point"), str(data["pickup_point"])
    if data.get("correct"):
        return _("The address on my order is right"), ""
    return "", ""


def _actions(step: CaseStep, case: Case, claim_open: bool) -> tuple[str, ...]:
    if step.state != StepState.OPEN:
        return ()
    if case.status in CLOSED_STATES:
        # A claim still recovers the shop's money after the customer has been helped.
        return ("claim_file",) if step.key == StepKey.FILE_CLAIM and claim_open else ()
    if step.key == StepKey.REQUEST_POD:
        asked = bool(stored(case.pod).get("requested_at"))
        return ("pod_record", "skip") if asked else ("pod_request", "pod_record", "skip")
    if step.key == StepKey.FILE_CLAIM:
        return ("claim_file", "skip") if claim_open else ("skip",)
    if step.key == StepKey.DECIDE_REMEDY:
        return ("remedy",)
    return GENERIC


def _step_due(step: CaseStep, claim: CarrierClaim | None, now: datetime) -> When:
    """When a step is due; filing a claim is due by the carrier's deadline when that is sooner."""
    due = step.due_at
    if step.key == StepKey.FILE_CLAIM and claim is not None and claim.deadline_at is not None:
        if claim.deadline_at < now:
            return When(
                claim.deadline_at,
                tracking_labels.when(claim.deadline_at),
                deadline_passed(claim.deadline_at, now),
            )
        due = min(due, claim.deadline_at)
    return when(due, now)


def _state_label(step: CaseStep, finished: bool, claim: "ClaimView | None") -> str:
    """An open step of a finished case is no to-do: optional (a claim) or not needed."""
    state = str(step.state)
    if finished and state == StepState.OPEN:
        optional = step.key == StepKey.FILE_CLAIM and claim is not None and claim.optional
        return _("Optional") if optional else _("Not needed")
    return str(labels.STEP_STATE_LABELS.get(state, state))


def checklist(case: Case, now: datetime, claim: "ClaimView | None" = None) -> list[StepRow]:
    """The playbook's steps in order, each with its state, due time and actions."""
    rows = []
    draft = case.claims.filter(status="draft").order_by("id").first()
    finished = case.status in CLOSED_STATES
    claim_open = claim.status != "overdue" if claim is not None else not finished
    for step in case.steps.order_by("position", "id"):
        state = str(step.state)
        answer_label, answer = _answer(step)
        due = _step_due(step, draft, now)
        rows.append(
            StepRow(
                key=step.key,
                label=labels.step_label(step.key),
                actor=str(labels.ACTOR_LABELS.get(step.actor, step.actor)),
                state=state,
                state_label=_state_label(step, finished, claim),
                due=due,
                overdue=state == StepState.OPEN and due.at is not None and due.at < now,
                done_by=labels.done_by_words(step.done_by),
                actions=_actions(step, case, claim_open or step.key != StepKey.FILE_CLAIM),
                answer_label=answer_label,
                answer=answer,
            )
        )
    return rows


def deadline_passed(deadline: datetime, now: datetime) -> str:
    """'deadline passed 3 days ago' (whole days; 'today' within the first day)."""
    days = (now - deadline).days
    if days < 1:
        return _("deadline passed today")
    return ngettext(
        "deadline passed %(days)d day ago", "deadline passed %(days)d days ago", days
    ) % {"days": days}


def claim_state(claim: CarrierClaim, now: datetime) -> str:
    """A claim's state for the desk: its stored status once filed, else where its window is."""
    if claim.status != "draft" or claim.deadline_at is None:
        return claim.status
    dates = ClaimDates(opens_at=claim.opens_at or claim.deadline_at, deadline_at=claim.deadline_at)
    found = claim_status(dates=dates, now=now, filed_at=None)
    return found.value if found in (ClaimStatus.OVERDUE, ClaimStatus.DUE_SOON) else "draft"


CLAIM_TONES = {
    "paid": "ok",
    "accepted": "ok",
    "rejected": "danger",
    "filed": "info",
    "overdue": "danger",
    "due_soon": "warn",
}


@dataclass(frozen=True)
class ClaimView:
    """The carrier claim: its window, reference and outcome."""

    status: str
    status_label: str
    tone: str
    carrier: str
    opens: When
    deadline: When
    reference: str
    filed: When
    payout: str
    optional: bool = False
    """A finished case: filing only recovers the shop's cost, nobody waits for it."""


def _claim_of(case: Case, now: datetime) -> CarrierClaim | None:
    wants = case.steps.filter(key=StepKey.FILE_CLAIM).exists()
    if case.shipment_id is None or not (wants or case.claims.exists()):
        return None
    return case.claims.order_by("id").first() or prepare_claim(case=case, now=now)


def _worth_claiming(case: Case) -> bool:
    """A finished case whose remedy cost the shop money: a claim can still recover it."""
    costly = ("reship", "refund", "partial_refund")
    return RemedyEntry.objects.filter(case=case, kind__in=costly).exists()


def claim_view(case: Case, now: datetime) -> ClaimView | None:
    """The claim of a case whose playbook files one (the draft holds the window).

    A finished case shows a claim only once filed, or while a draft can still recover a cost."""
    claim = _claim_of(case, now)
    if claim is None:
        return None
    state = claim_state(claim, now)
    finished = case.status in CLOSED_STATES
    if finished and claim.status == "draft" and (state == "overdue" or not _worth_claiming(case)):
        return None
    payout = labels.money(claim.payout_minor, claim.currency) if claim.payout_minor else ""
    optional = finished and claim.status == "draft"
    label = _("Not filed (optional)") if optional else labels.CLAIM_STATUS_LABELS.get(state, state)
    deadline = when(claim.deadline_at, now)
    if state == "overdue" and claim.deadline_at is not None:
        deadline = When(claim.deadline_at, deadline.text, deadline_passed(claim.deadline_at, now))
    return ClaimView(
        status=state,
        status_label=str(label),
        tone=CLAIM_TONES.get(state, "muted"),
        carrier=carrier_name(claim.carrier) if claim.carrier else "",
        opens=when(claim.opens_at, now),
        deadline=deadline,
        reference=claim.reference,
        filed=when(claim.filed_at, now),
        payout=payout,
        optional=optional,
    )


@dataclass(frozen=True)
class Factor:
    """One risk factor in words with its signed weight."""

    sentence: str
    weight: str
    tone: str


@dataclass(frozen=True)
class Advice:
    """The recommended remedy with its reasons, and the risk score with its factors."""

    recommended: str
    recommended_label: str
    reasons: list[str]
    offered: tuple[str, ...]
    share_percent: int
    voucher_percent: int
    score: int | None
    band: str
    band_tone: str
    factors: list[Factor]


def advice(case: Case) -> Advice:
    """What assess() stored on the case, written out in the agent's language."""
    rec, risk, currency = stored(case.recommendation), stored(case.risk), case.order.currency
    reasons = [
        labels.reason_sentence(str(r.get("key", "")), stored(r.get("detail")), currency)
        for r in rec.get("reasons", [])
        if isinstance(r, dict)
    ]
    factors = [
        Factor(
            labels.factor_sentence(str(f.get("key", "")), stored(f.get("detail")), currency),
            labels.signed(int(f.get("weight", 0))),
            "danger" if int(f.get("weight", 0)) > 0 else "ok",
        )
        for f in risk.get("factors", [])
        if isinstance(f, dict)
    ]
    band, tone = labels.band_chip(risk.get("band"))
    recommended = str(rec.get("recommended", ""))
    return Advice(
        recommended=recommended,
        recommended_label=labels.remedy_label(recommended) if recommended else "",
        reasons=reasons,
        offered=tuple(str(o) for o in rec.get("offered", ())),
        share_percent=int(rec.get("cost_share_percent", 0) or 0),
        voucher_percent=int(rec.get("voucher_percent", 0) or 0),
        score=risk.get("score"),
        band=band,
        band_tone=tone,
        factors=factors,
    )


@dataclass(frozen=True)
class RemedyOption:
    """One remedy button: a form with its own idempotency key."""

    kind: str
    label: str
    key: str
    primary: bool
    amount_minor: int | None = None
    amount_text: str = ""
    share: int = 0


def _key(case: Case) -> str:
    """A fresh idempotency key for one rendered form: a double click sends the same key."""
    return f"desk:{case.pk}:{secrets.token_urlsafe(12)}"


def remedy_options(case: Case, desk: Desk, found: Advice) -> list[RemedyOption]:
    """The remedy buttons for an open case; the recommended one first and highlighted."""
    if case.status in CLOSED_STATES:
        return []
    currency, best = case.order.currency, found.recommended
    left = refundable_now(case)
    percent = found.voucher_percent or desk.remedy_policy().voucher_percent
    voucher = case.order.total * percent // 100
    wanted: list[tuple[str, int | None, str]] = [("reship", 0, "")]
    if left:
        wanted += [("refund", left, labels.money(left, currency)), ("partial_refund", None, "")]
    if voucher:
        wanted.append(("voucher", voucher, f"{labels.money(voucher, currency)} ({percent}%)"))
    if "deny" in found.offered:
        wanted.append(("deny", None, ""))
    share = found.share_percent if best == "reship" else 0
    options = [
        RemedyOption(
            kind,
            labels.remedy_label(kind),
            _key(case),
            kind == best,
            amount,
            text,
            share if kind == "reship" else 0,
        )
        for kind, amount, text in wanted
    ]
    return sorted(options, key=lambda option: not option.primary)


@dataclass(frozen=True)
class LedgerRow:
    """A remedy already booked for the case, with the new parcel of a reship."""

    label: str
    amount: str
    at: When
    actor: str
    shipment: Shipment | None
    share: int = 0
    """The customer's share of a reship's cost, in percent."""


def ledger(case: Case, now: datetime) -> list[LedgerRow]:
    """The remedies booked on this case, oldest first."""
    rows = RemedyEntry.objects.filter(case=case).select_related("shipment").order_by("created_at")
    return [
        LedgerRow(
            label=labels.remedy_label(entry.kind),
            amount=labels.money(entry.amount, entry.currency) if entry.amount else "",
            at=when(entry.created_at, now),
            actor=labels.actor_words(entry.actor_type, entry.actor),
            shipment=entry.shipment,
            share=entry.customer_share_percent,
        )
        for entry in rows
    ]


def sla_views(case: Case, desk: Desk, now: datetime) -> list[SlaView]:
    """Both SLA targets of the case."""
    return [
        sla_view(_("First response"), first_response(case, desk, now), now),
        sla_view(_("Resolution"), resolution(case, desk, now), now),
    ]

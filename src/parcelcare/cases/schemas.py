"""Typed shapes of the case API: a case in and out, list filters, and each action's parameters."""

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from parcelcare.domain.cases import CaseKind, CaseStatus, Playbook
from parcelcare.domain.money import RemedyKind
from parcelcare.domain.playbooks import StepKey
from parcelcare.domain.risk import PodStrength
from parcelcare.tracking.limits import MAX_AMOUNT_MINOR

from .messages import case_url
from .models import Case

API_ROOT = "/api/v1"


class CaseIn(Schema):
    """A customer's report: open a case on the order (or join the open one on its parcel)."""

    order_number: str = Field(..., min_length=1, max_length=64)
    kind: CaseKind
    summary: str = Field("", max_length=500)
    tracking_number: str | None = Field(
        None, max_length=64, description="which parcel of the order; default: its latest"
    )


class CaseQuery(Schema):
    """Query parameters of the case list."""

    status: CaseStatus | None = None
    kind: CaseKind | None = None
    playbook: Playbook | None = None
    open: bool | None = None
    cursor: str | None = Field(None, max_length=64)
    limit: int = Field(50, ge=1, le=200)


class StepOut(Schema):
    """One checklist step with its owner, state and due time."""

    key: str
    actor: str
    state: str
    due_at: datetime
    done_at: datetime | None
    done_by: str


class CaseLinks(Schema):
    """Where to find the case: the customer's page, this resource, the dossier."""

    customer: str
    self: str
    dossier_json: str
    dossier_pdf: str


class CaseOut(Schema):
    """A case with its SLA times, checklist, risk and recommended remedy."""

    id: int
    reference: str
    kind: str
    playbook: str
    status: str
    is_open: bool
    source: str
    summary: str
    language: str
    order_number: str = Field(..., alias="order.order_number")
    tracking_number: str | None
    opened_at: datetime
    first_response_due: datetime
    first_response_at: datetime | None
    resolution_due: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    outcome: str
    customer_choice: str
    steps: list[StepOut]
    risk: dict[str, Any]
    recommendation: dict[str, Any] = Field(
        ...,
        description="The remedy advised while the case waits for a decision; empty once it "
        "is decided (see outcome).",
    )
    pod: dict[str, Any]
    links: CaseLinks

    @staticmethod
    def resolve_recommendation(obj: Case) -> dict[str, Any]:
        """Advice only while the case is undecided: a finished case has its outcome instead."""
        return {} if obj.outcome or not obj.is_open else dict(obj.recommendation or {})

    @staticmethod
    def resolve_tracking_number(obj: Case) -> str | None:
        """The tracking number of the case's parcel, when it has one."""
        return obj.shipment.tracking_number if obj.shipment else None

    @staticmethod
    def resolve_steps(obj: Case) -> list[Any]:
        """The checklist in playbook order."""
        return list(obj.steps.all())

    @staticmethod
    def resolve_links(obj: Case) -> dict[str, str]:
        """Links to the customer's page and to this case's resources."""
        own = f"{API_ROOT}/cases/{obj.pk}"
        return {
            "customer": case_url(obj),
            "self": own,
            "dossier_json": f"{own}/dossier.json",
            "dossier_pdf": f"{own}/dossier.pdf",
        }


class CasePage(Schema):
    """One page of cases and the cursor of the next."""

    items: list[CaseOut]
    next_cursor: str | None


class ActionIn(Schema):
    """`{"action": name, ...parameters}`; the parameters depend on the action."""

    action: str = Field(..., min_length=1, max_length=32)


class ActionOut(Schema):
    """The action taken, what it produced, and the case afterwards."""

    action: str
    result: dict[str, Any]
    case: CaseOut


class Params(BaseModel):
    """Parameters of one action; anything not named here is refused."""

    model_config = ConfigDict(extra="forbid")


class NoParams(Params):
    """An action without parameters."""


class StepParams(Params):
    """Which checklist step to settle, and what to record with it."""

    step: StepKey
    data: dict[str, Any] = Field(default_factory=dict)


class SkipParams(Params):
    """Which checklist step to skip."""

    step: StepKey


class TextParams(Params):
    """A note or a reply in the agent's own words."""

    body: str = Field(..., min_length=1, max_length=10_000)


class PodParams(Params):
    """What the carrier sent as proof of delivery."""

    strength: PodStrength
    detail: str = Field("", max_length=2000)


class ClaimParams(Params):
    """The reference of the claim filed with the carrier."""

    reference: str = Field(..., min_length=1, max_length=100)


class ClaimOutcomeParams(Params):
    """The carrier's answer to the claim; money in integer minor units."""

    accepted: bool
    payout_minor: int = Field(0, ge=0, le=MAX_AMOUNT_MINOR, strict=True)


class RemedyParams(Params):
    """A remedy for the ledger; the idempotency key makes a retry safe."""

    kind: RemedyKind
    amount_minor: int = Field(..., ge=0, le=MAX_AMOUNT_MINOR, strict=True)
    idempotency_key: str = Field(..., min_length=1, max_length=120)
    reason: str = Field("", max_length=300)
    carrier: str = Field("", max_length=32, description="reship: the new parcel's carrier")
    tracking_number: str = Field("", max_length=64, description="reship: its tracking number")
    customer_share_percent: int = Field(0, ge=0, le=100, strict=True)
    reference: str = Field(
        "", max_length=100, description="voucher: its code, sent to the customer; refund: an id"
    )


class DenyParams(Params):
    """Why the claim is declined (kept in the audit trail, not sent)."""

    reason: str = Field(..., min_length=1, max_length=300)


class ReopenParams(Params):
    """Why a resolved or closed case is taken up again."""

    why: str = Field(..., min_length=1, max_length=300)

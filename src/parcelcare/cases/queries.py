"""Read-side queries of the case desk: the inbox in due order, SLA states, what is refundable."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case as Pick
from django.db.models import F, QuerySet, When

from parcelcare.accounts.models import Shop
from parcelcare.domain.cases import CaseKind, CaseStatus, Playbook
from parcelcare.domain.money import LedgerLine, Money, RemedyKind, refundable
from parcelcare.domain.sla import SlaState, sla_state

from .models import Case
from .policy import Desk

SLA_FILTERS = (SlaState.AT_RISK, SlaState.BREACHED)
"""The SLA states the inbox can be filtered on."""


class BadFilter(ValueError):
    """A filter value the inbox cannot apply."""


@dataclass(frozen=True)
class CaseFilter:
    """The inbox filters; None means any."""

    status: str | None = None
    kind: str | None = None
    playbook: str | None = None
    sla: str | None = None
    mine: bool = False


def _choice(params: Mapping[str, str], name: str, allowed: frozenset[str]) -> str | None:
    value = (params.get(name) or "").strip()
    if value and value not in allowed:
        raise BadFilter(f"{name} {value[:20]!r} is not one of {', '.join(sorted(allowed))}")
    return value or None


def read_filter(params: Mapping[str, str]) -> CaseFilter:
    """The inbox filter from a query string; BadFilter when a value is unknown."""
    return CaseFilter(
        status=_choice(params, "status", frozenset(CaseStatus)),
        kind=_choice(params, "kind", frozenset(CaseKind)),
        playbook=_choice(params, "playbook", frozenset(Playbook)),
        sla=_choice(params, "sla", frozenset(SLA_FILTERS)),
        mine=params.get("mine") in ("1", "on", "true"),
    )


@dataclass(frozen=True)
class Due:
    """One SLA target of a case: which one, when it is due, and where it stands."""

    target: str
    at: datetime
    state: SlaState


def first_response(case: Case, desk: Desk, now: datetime) -> Due:
    """The first-response target, met or missed once answered."""
    return Due("first_response", case.first_response_due, _state(case, desk, now, first=True))


def resolution(case: Case, desk: Desk, now: datetime) -> Due:
    """The resolution target, met or missed once resolved."""
    return Due("resolution", case.resolution_due, _state(case, desk, now, first=False))


def _state(case: Case, desk: Desk, now: datetime, *, first: bool) -> SlaState:
    return sla_state(
        due=case.first_response_due if first else case.resolution_due,
        started=case.opened_at,
        now=now,
        done_at=case.first_response_at if first else case.resolved_at,
        calendar=desk.calendar,
        hours=desk.hours,
    )


def due_now(case: Case, desk: Desk, now: datetime) -> Due:
    """What is due next: the first response until someone answered, then the resolution."""
    if case.first_response_at is None:
        return first_response(case, desk, now)
    return resolution(case, desk, now)


def open_cases(shop: Shop, flt: CaseFilter, user_id: int | None) -> QuerySet[Case]:
    """The shop's open cases matching the filter, the one due first on top."""
    cases = Case.objects.filter(shop=shop, is_open=True)
    for name in ("status", "kind", "playbook"):
        value = getattr(flt, name)
        if value:
            cases = cases.filter(**{name: value})
    if flt.mine:
        cases = cases.filter(assignee_id=user_id)
    due = Pick(
        When(first_response_at__isnull=True, then=F("first_response_due")),
        default=F("resolution_due"),
    )
    return (
        cases.annotate(due=due)
        .select_related("order", "customer", "assignee")
        .order_by("due", "id")
    )


def ledger_lines(case: Case) -> list[LedgerLine]:
    """The order's remedy ledger as domain lines."""
    rows = case.order.remedies.values_list("kind", "amount", "currency", "idempotency_key")
    return [LedgerLine(RemedyKind(kind), amount, cur, key) for kind, amount, cur, key in rows]


def refundable_now(case: Case) -> int:
    """What may still be refunded on the case's order, in minor units."""
    paid = Money(case.order.total, case.order.currency)
    return refundable(paid=paid, lines=ledger_lines(case)).amount


def stored(value: Any) -> dict[str, Any]:
    """A JSON field's mapping, or an empty one."""
    return value if isinstance(value, dict) else {}

"""Delivery reports applied to the outbox: the provider's word on each sent message, set-wise."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, F, Q, Value, When

from parcelcare.integrations.channels.reports import DeliveryReport

from .models import OutboxMessage

FINAL = frozenset(OutboxMessage.Delivery.values)
"""Report statuses that say how a message ended; `sent` says nothing new."""
SHOWN_UNKNOWN = 20
"""Unknown ids named in an answer; the count covers them all."""


@dataclass(frozen=True)
class Applied:
    """What a batch of reports did: reports read, messages updated, ids no message of the shop
    has, and intermediate reports passed over."""

    reports: int
    updated: int
    unknown: list[str] = field(default_factory=list)
    ignored: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The counts for a webhook answer, with the first unknown ids."""
        return {
            "reports": self.reports,
            "updated": self.updated,
            "unknown": len(self.unknown),
            "unknown_ids": self.unknown[:SHOWN_UNKNOWN],
            "ignored": self.ignored,
        }

    def note(self) -> str:
        """One line for the inbox page."""
        return (
            f"{self.reports} reports: {self.updated} messages updated, "
            f"{len(self.unknown)} unknown message ids, {self.ignored} intermediate"
        )


def latest(reports: Iterable[DeliveryReport]) -> dict[str, DeliveryReport]:
    """The newest final report per provider message id."""
    found: dict[str, DeliveryReport] = {}
    for report in reports:
        held = found.get(report.provider_message_id)
        if report.status in FINAL and (held is None or report.occurred_at >= held.occurred_at):
            found[report.provider_message_id] = report
    return found


def _not_newer(report: DeliveryReport) -> Q:
    """The row is this report's message and holds no later report (reports arrive unordered)."""
    return Q(provider_message_id=report.provider_message_id) & (
        Q(delivery_updated_at=None) | Q(delivery_updated_at__lte=report.occurred_at)
    )


def _case(
    chosen: dict[str, DeliveryReport], column: str, value: Callable[[DeliveryReport], Any]
) -> Case:
    """One CASE over the batch: each row gets its own report's value."""
    whens = [When(provider_message_id=pid, then=Value(value(r))) for pid, r in chosen.items()]
    return Case(*whens, default=F(column))


def apply_reports(*, shop_id: int, reports: list[DeliveryReport]) -> Applied:
    """Record each message's final report in one UPDATE, only within the shop; count the rest."""
    final = latest(reports)
    ignored = sum(1 for report in reports if report.status not in FINAL)
    if not final:
        return Applied(len(reports), 0, [], ignored)
    rows = OutboxMessage.objects.filter(shop_id=shop_id, provider_message_id__in=list(final))
    known = set(rows.values_list("provider_message_id", flat=True))
    unknown = sorted(pid for pid in final if pid not in known)
    chosen = {pid: report for pid, report in final.items() if pid in known}
    if not chosen:
        return Applied(len(reports), 0, unknown, ignored)
    updated = rows.filter(reduce(or_, map(_not_newer, chosen.values()))).update(
        delivery_status=_case(chosen, "delivery_status", lambda r: r.status),
        delivery_error=_case(chosen, "delivery_error", lambda r: r.error_code[:32]),
        delivery_updated_at=_case(chosen, "delivery_updated_at", lambda r: r.occurred_at),
    )
    return Applied(len(reports), updated, unknown, ignored)

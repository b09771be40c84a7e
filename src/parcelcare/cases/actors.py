"""Who acts on a case, the audit entry every change appends, and the row lock changes take."""

from datetime import datetime
from typing import Any

from parcelcare.accounts.audit import Who, audit_of
from parcelcare.domain.errors import DomainError

from .models import Case


class CaseError(DomainError):
    """A case action that cannot be taken in the case's current state."""


SYSTEM = Who("system", "desk")
CUSTOMER = Who("customer")


def audit(case: Case, who: Who, action: str, now: datetime, before: Any, after: Any) -> None:
    """Append the case's audit entry in the caller's transaction."""
    audit_of("case", case, who, action, now, before, after)


def lock(case: Case) -> Case:
    """The case row again, locked for the rest of the transaction."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("shop", "order", "shipment", "customer")
        .get(pk=case.pk)
    )


def mark_first_response(case: Case, who: Who, now: datetime) -> None:
    """An agent's first action counts as the first response when nothing answered before."""
    if case.first_response_at is None and who.kind == "agent":
        case.first_response_at = now
        case.save(update_fields=["first_response_at"])

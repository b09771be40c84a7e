"""Append-only audit entries: who changed what, before and after, in the caller's transaction."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from .models import AuditEntry


@dataclass(frozen=True)
class Who:
    """Who acts: an agent (by username), the customer, the system or an integration."""

    kind: str
    name: str = ""

    @property
    def label(self) -> str:
        """The name shown in a stream of changes."""
        return self.name or self.kind


def record(
    *,
    shop_id: int,
    at: datetime,
    actor_type: str,
    actor: str,
    subject_type: str,
    subject_id: int,
    action: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Write one audit entry; call it inside the transaction that makes the change."""
    AuditEntry.objects.create(
        shop_id=shop_id,
        at=at,
        actor_type=actor_type,
        actor=actor,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        before=before,
        after=after,
    )


def audit_of(
    subject_type: str, subject: Any, who: Who, action: str, now: datetime, before: Any, after: Any
) -> None:
    """Write one audit entry about a shop's row (a case, a return, a ledger entry) by `who`."""
    record(
        shop_id=subject.shop_id,
        at=now,
        actor_type=who.kind,
        actor=who.name,
        subject_type=subject_type,
        subject_id=subject.pk,
        action=action,
        before=before,
        after=after,
    )


def save_fields(
    instance: models.Model,
    changes: dict[str, Any],
    *,
    shop_id: int,
    at: datetime,
    actor: str,
    subject_type: str,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """Set and save the changed fields of a settings row and audit them, by an agent."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save(update_fields=list(changes))
    record(
        shop_id=shop_id,
        at=at,
        actor_type="agent",
        actor=actor,
        subject_type=subject_type,
        subject_id=int(instance.pk),
        action=action,
        before={name: before[name] for name in changes},
        after={name: after[name] for name in changes},
    )

"""Append-only audit entries: who changed what, before and after, in the caller's transaction."""

from datetime import datetime
from typing import Any

from .models import AuditEntry


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

"""A shop's return settings: the policy (only what differs from the defaults is stored),
conditions and return address, saved with one audit entry."""

from datetime import datetime

from parcelcare.accounts.audit import record
from parcelcare.domain.returns_policy import ReturnPolicy

from .models import ReturnSettings


def save_settings(
    *,
    shop_id: int,
    policy: ReturnPolicy,
    conditions: str,
    return_address: str,
    actor_type: str,
    actor: str,
    now: datetime,
) -> ReturnSettings:
    """Store the policy's differences from the defaults and the texts; audit before → after."""
    defaults = ReturnPolicy().as_dict()
    stored = {k: v for k, v in policy.as_dict().items() if v != defaults[k]}
    found, _ = ReturnSettings.objects.get_or_create(shop_id=shop_id)
    before = {
        "policy": found.policy,
        "conditions": found.conditions,
        "return_address": bool(found.return_address),
    }
    found.policy = stored
    found.conditions = conditions.strip()[:2000]
    found.return_address = return_address.strip()[:500]
    found.save()
    record(
        shop_id=shop_id,
        at=now,
        actor_type=actor_type,
        actor=actor,
        subject_type="return_settings",
        subject_id=found.pk,
        action="returns.policy",
        before=before,
        after={
            "policy": stored,
            "conditions": found.conditions,
            "return_address": bool(found.return_address),
        },
    )
    return found

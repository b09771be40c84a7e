"""Customer consent to SMS and WhatsApp: which channels, since when; an opt-out always wins.

E-mail about an order is transactional and needs no consent. Consent given by a shop (API,
Shopify, import) is only ever added: a later order without it keeps what was agreed. The
customer changes it on their tracking page; the opt-out link removes it for its channel.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from parcelcare.accounts.models import AuditEntry

from .models import Customer
from .schemas import CONSENT_CHANNELS

SEPARATORS = re.compile(r"[\s,;]+")


def split_channels(value: str) -> list[str]:
    """'sms, whatsapp' or 'sms whatsapp' as ['sms', 'whatsapp'], lower case, as written."""
    return [part for part in SEPARATORS.split(value.strip().lower()) if part]


def effective(customer: Customer) -> list[str]:
    """The channels the customer agreed to and has not opted out of."""
    out = set(customer.opted_out or [])
    return [c for c in CONSENT_CHANNELS if c in (customer.consent or []) and c not in out]


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).isoformat()


def grant(customer: Customer, given: Iterable[str] | None, now: datetime) -> list[str]:
    """Add consent for `given` on the (unsaved) customer; returns the channels newly added.

    Never removes a channel, and never adds one the customer opted out of."""
    current, out = set(customer.consent or []), set(customer.opted_out or [])
    added = [c for c in CONSENT_CHANNELS if c in set(given or ()) - current - out]
    if added:
        customer.consent = [c for c in CONSENT_CHANNELS if c in current or c in added]
        customer.consent_at = {**(customer.consent_at or {}), **dict.fromkeys(added, _stamp(now))}
    return added


def revoke(customer: Customer, channels: Iterable[str]) -> list[str]:
    """Remove consent for `channels` on the (unsaved) customer; returns the channels removed."""
    gone = [c for c in CONSENT_CHANNELS if c in set(channels) & set(customer.consent or [])]
    if gone:
        customer.consent = [c for c in customer.consent if c not in gone]
        customer.consent_at = {
            k: v for k, v in (customer.consent_at or {}).items() if k not in gone
        }
    return gone


def audit_entry(
    customer: Customer, action: str, channels: list[str], *, by: str, source: str, now: datetime
) -> AuditEntry:
    """An unsaved audit entry of a consent change: channels and source, no personal data."""
    return AuditEntry(
        shop_id=customer.shop_id,
        at=now,
        actor_type=by,
        actor="",
        subject_type="customer",
        subject_id=customer.pk,
        action=action,
        after={"channels": channels, "source": source},
    )


@dataclass(frozen=True)
class Offer:
    """What the tracking page may offer: channels to choose from, and those agreed to."""

    channels: tuple[str, ...] = ()
    consented: tuple[str, ...] = ()

    @property
    def ask(self) -> bool:
        """Whether to invite the customer: a phone number is known and nothing agreed yet."""
        return bool(self.channels) and not self.consented


def offer(customer: Customer) -> Offer:
    """The channels a customer with a phone number can agree to: all but the opted-out ones."""
    if not customer.phone:
        return Offer()
    out = set(customer.opted_out or [])
    channels = tuple(c for c in CONSENT_CHANNELS if c not in out)
    return Offer(channels, tuple(c for c in effective(customer) if c in channels))


@dataclass(frozen=True)
class Change:
    """Channels a customer's choice added and removed."""

    added: list[str]
    removed: list[str]


def choose(*, customer_id: int, wanted: Iterable[str], now: datetime) -> Change:
    """The customer's own choice on their tracking page: exactly `wanted` of what is offered."""
    with transaction.atomic():
        fresh = Customer.objects.select_for_update().get(pk=customer_id)
        offered = offer(fresh).channels
        chosen = [c for c in offered if c in set(wanted)]
        added = grant(fresh, chosen, now)
        removed = revoke(fresh, [c for c in offered if c not in chosen])
        if not (added or removed):
            return Change([], [])
        fresh.save(update_fields=["consent", "consent_at"])
        AuditEntry.objects.bulk_create(
            audit_entry(fresh, action, channels, by="customer", source="tracking_page", now=now)
            for action, channels in (("consent_given", added), ("consent_withdrawn", removed))
            if channels
        )
    return Change(added, removed)

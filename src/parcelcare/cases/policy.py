"""A shop's desk settings as domain values: calendar, opening hours, SLA and remedy policy."""

from dataclasses import dataclass, fields
from datetime import datetime

from parcelcare.accounts.models import Shop
from parcelcare.domain.calendar import BusinessCalendar
from parcelcare.domain.remedy_policy import RemedyPolicy
from parcelcare.domain.sla import BusinessHours, SlaPolicy, policy_for
from parcelcare.tracking.calendars import business_calendar

from .models import DeskPolicy


@dataclass(frozen=True)
class Desk:
    """Everything the case rules need to know about one shop."""

    shop: Shop
    settings: DeskPolicy
    calendar: BusinessCalendar
    hours: BusinessHours

    def sla(self, kind: str) -> SlaPolicy:
        """The SLA targets for a case kind, with the shop's overrides."""
        return policy_for(kind=kind, overrides=self.settings.sla or None)

    def remedy_policy(self) -> RemedyPolicy:
        """The shop's remedy policy: domain defaults plus the fields the shop changed."""
        known = {f.name for f in fields(RemedyPolicy)}
        chosen = {k: v for k, v in (self.settings.remedy or {}).items() if k in known}
        return RemedyPolicy(**chosen)


def desk_for(shop: Shop, now: datetime) -> Desk:
    """The desk settings of a shop (created with defaults on first use)."""
    settings, _ = DeskPolicy.objects.get_or_create(shop=shop)
    calendar = business_calendar(shop.timezone, shop.country, now.year - 1, now.year + 1)
    hours = BusinessHours(open=settings.opens_at, close=settings.closes_at)
    return Desk(shop=shop, settings=settings, calendar=calendar, hours=hours)

"""The case desk's settings page: owners change opening hours, SLA targets, the remedy policy
and carrier claim windows; agents and viewers read them."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.domain.claims import ANY_CARRIER, claim_window
from parcelcare.tracking.views import agent_page, is_owner

from .models import DeskPolicy
from .settings_forms import (
    CLAIM_KINDS,
    CLAIM_WORDS,
    ClaimsForm,
    HoursForm,
    RemedyForm,
    SlaForm,
    save_desk_policy,
)

REMEDY_GROUPS = (
    (gettext_lazy("Remedy"), ("prefer", "reship_goodwill_once", "voucher_percent")),
    (
        gettext_lazy("Address errors by the customer"),
        ("split_reship_cost_on_customer_address_error", "share_percent"),
    ),
    (gettext_lazy("Insurance"), ("insured_above_minor",)),
    (
        gettext_lazy("Benefit of the doubt"),
        ("benefit_of_doubt_first_order", "benefit_of_doubt_loyal_orders"),
    ),
    (gettext_lazy("Deny"), ("deny_after_claims", "high_risk_score")),
)
"""The remedy policy's fields in the groups the page shows them in."""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class DeskSettingsForm:
    """The page's four sections, validated and saved together."""

    hours: HoursForm
    sla: SlaForm
    remedy: RemedyForm
    claims: ClaimsForm

    @classmethod
    def of(cls, policy: DeskPolicy, currency: str, data: Any = None) -> "DeskSettingsForm":
        """The sections prefilled with the values in force (bound to `data` on a POST)."""
        hours = {"opens_at": policy.opens_at, "closes_at": policy.closes_at}
        return cls(
            HoursForm(data, prefix="hours", initial={**hours, "proactive": policy.proactive}),
            SlaForm(data, prefix="sla", stored=_mapping(policy.sla)),
            RemedyForm(data, prefix="remedy", stored=_mapping(policy.remedy), currency=currency),
            ClaimsForm(data, prefix="claims", stored=_mapping(policy.claim_windows)),
        )

    @property
    def is_bound(self) -> bool:
        """Whether the form holds a POST."""
        return self.hours.is_bound

    def sections(self) -> tuple[forms.Form, ...]:
        """The four section forms."""
        return (self.hours, self.sla, self.remedy, self.claims)

    def is_valid(self) -> bool:
        """Whether every section is valid (all are checked, so all show their errors)."""
        return all([section.is_valid() for section in self.sections()])

    def disable(self) -> None:
        """Read-only, for agents and viewers."""
        for section in self.sections():
            for field in section.fields.values():
                field.disabled = True

    def remedy_groups(self) -> list[tuple[str, list[BoundField]]]:
        """The remedy fields by group; a field no group names comes last, never hidden."""
        named = {name for _title, names in REMEDY_GROUPS for name in names}
        groups = [(str(t), [self.remedy[n] for n in names]) for t, names in REMEDY_GROUPS]
        rest = [field for field in self.remedy if field.name not in named]
        return groups + ([(_("More"), rest)] if rest else [])

    @staticmethod
    def claim_notes() -> list[str]:
        """What each claim kind's days count from, read from the "*" windows."""
        text = _("%(kind)s: the wait counts %(unit)s from %(start)s, the deadline from %(end)s.")
        notes = []
        for kind in CLAIM_KINDS:
            window = claim_window(carrier=ANY_CARRIER, kind=kind)
            unit = _("calendar days") if window.calendar_days else _("business days")
            start, end = CLAIM_WORDS[window.counted_from], CLAIM_WORDS[window.deadline_anchor]
            words = {"kind": CLAIM_WORDS[kind], "unit": unit, "start": start, "end": end}
            notes.append(text % words)
        return notes

    def changes(self) -> dict[str, Any]:
        """The DeskPolicy fields as the valid form sets them."""
        hours = self.hours.cleaned_data
        return {
            "opens_at": hours["opens_at"],
            "closes_at": hours["closes_at"],
            "proactive": hours["proactive"],
            "sla": self.sla.overrides(),
            "remedy": self.remedy.overrides(),
            "claim_windows": self.claims.overrides(),
        }


@require_http_methods(["GET", "HEAD", "POST"])
@agent_page
def desk_settings(request: HttpRequest, shop: Shop) -> HttpResponse:
    """GET shows the desk settings; POST saves them for owners (403 for agents and viewers)."""
    owner = is_owner(request.user, shop)
    if request.method == "POST" and not owner:
        return HttpResponse(status=403)
    # Reading must not create the row: desk_for() and the save do that when it matters.
    policy = DeskPolicy.objects.filter(shop=shop).first() or DeskPolicy(shop=shop)
    data = request.POST if request.method == "POST" else None
    form = DeskSettingsForm.of(policy, currency=shop.currency, data=data)
    if not owner:
        form.disable()
    if form.is_bound and form.is_valid():
        actor = request.user.get_username()
        save_desk_policy(shop=shop, changes=form.changes(), actor=actor, now=clock.now())
        messages.success(request, _("Saved. Cases opened from now on follow these settings."))
        return redirect("desk_settings")
    context = {"shop": shop, "form": form, "may_edit": owner}
    return render(request, "cases/settings.html", context, status=400 if form.is_bound else 200)

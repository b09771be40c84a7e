"""The desk settings page's forms: opening hours, SLA, remedy policy and carrier claim windows.

The domain checks every value (`BusinessHours`, `policy_for`, `RemedyPolicy`, `claim_window`)
and its message is shown beside the field. Only what differs from the domain's defaults is
stored, so a shop keeps following the defaults it never changed."""

from collections.abc import Iterator, Mapping
from dataclasses import fields
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from django import forms
from django.db import transaction
from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcelcare.accounts.audit import save_fields
from parcelcare.accounts.models import Shop
from parcelcare.domain.claims import ANY_CARRIER, CARRIERS, ClaimKind, claim_window
from parcelcare.domain.remedy_policy import REFUND, RESHIP, RemedyPolicy
from parcelcare.domain.sla import DEFAULT_POLICIES, BusinessHours, policy_for
from parcelcare.integrations.carriers.names import carrier_name

from .forms import AmountField
from .labels import kind_label, remedy_label
from .models import DeskPolicy

SLA_FIELDS = ("first_response", "resolution")
HOURS, MINUTES = "h", "min"
UNITS = ((HOURS, gettext_lazy("hours")), (MINUTES, gettext_lazy("minutes")))
CLAIM_CARRIERS = (*CARRIERS, ANY_CARRIER)
CLAIM_KINDS = (str(ClaimKind.LOSS), str(ClaimKind.DAMAGE))
CLAIM_FIELDS = ("opens_after_days", "deadline_days")
CLAIM_WORDS = {
    ClaimKind.LOSS: gettext_lazy("Loss"),
    ClaimKind.DAMAGE: gettext_lazy("Damage"),
    "opens_after_days": gettext_lazy("waiting days"),
    "deadline_days": gettext_lazy("deadline days"),
    "shipped": gettext_lazy("shipping"),
    "delivered": gettext_lazy("delivery"),
    "last_scan": gettext_lazy("the last scan"),
}
PERCENTS = frozenset({"voucher_percent", "share_percent", "high_risk_score"})
REMEDY_LABELS = {
    "reship_goodwill_once": gettext_lazy("Reship as goodwill only once per order"),
    "prefer": gettext_lazy("Preferred remedy"),
    "voucher_percent": gettext_lazy("Apology voucher (%)"),
    "split_reship_cost_on_customer_address_error": gettext_lazy(
        "Split the reship cost when the customer's address was wrong"
    ),
    "share_percent": gettext_lazy("Customer's share of that reship cost (%)"),
    "insured_above_minor": gettext_lazy("Treat as insured above (%(currency)s)"),
    "benefit_of_doubt_first_order": gettext_lazy("Give a first order the benefit of the doubt"),
    "benefit_of_doubt_loyal_orders": gettext_lazy("Loyal customer from this many orders"),
    "deny_after_claims": gettext_lazy("Recommend a deny after this many claims in 365 days"),
    "high_risk_score": gettext_lazy("Recommend a deny from this risk score"),
}
"""A label for every `RemedyPolicy` field: a new field without one fails loudly."""
REMEDY_HELP = {
    "reship_goodwill_once": gettext_lazy(
        "After one reship, a second problem with the order gets a refund."
    ),
    "prefer": gettext_lazy("Recommended when the customer has not chosen and no rule decides."),
    "voucher_percent": gettext_lazy("Offered with a remedy; 0 offers none."),
    "insured_above_minor": gettext_lazy(
        "Costlier orders count as insured: file a carrier claim. Empty: off."
    ),
    "benefit_of_doubt_first_order": gettext_lazy("A first order is never recommended for a deny."),
    "benefit_of_doubt_loyal_orders": gettext_lazy(
        "Loyal customers are never recommended for a deny; 0: off."
    ),
    "deny_after_claims": gettext_lazy("0 switches it off."),
    "high_risk_score": gettext_lazy("0 to 100: the risk score shown on each claim."),
}


def _not_saved(error: Exception) -> str:
    """The domain's message, as the page shows it beside a field."""
    return _("Not saved: %(error)s") % {"error": error}


def _number(label: Any, help_text: Any = "", **attrs: int) -> forms.IntegerField:
    """A whole-number field; the domain, not the form, decides which numbers are allowed."""
    widget = forms.NumberInput(attrs={"class": "num", **attrs})
    return forms.IntegerField(label=label, help_text=help_text, widget=widget)


def _switch(label: Any, help_text: Any = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, help_text=help_text, required=False)


def _time(label: Any, help_text: Any = "") -> forms.TimeField:
    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    return forms.TimeField(label=label, help_text=help_text, widget=widget)


class HoursForm(forms.Form):
    """Opening hours on business days, and whether the desk opens cases by itself."""

    opens_at = _time(gettext_lazy("Opens at"))
    closes_at = _time(
        gettext_lazy("Closes at"),
        gettext_lazy("SLA clocks run only inside these hours, on business days."),
    )
    proactive = _switch(
        gettext_lazy("Open cases by themselves for likely-lost, returned and level-3-late parcels"),
        gettext_lazy(
            "The customer hears from you before they ask. Off: only customers, agents and "
            "the API open cases."
        ),
    )

    def clean(self) -> dict[str, Any]:
        """Closing must come after opening."""
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None:
            try:
                BusinessHours(open=opens, close=closes)
            except ValueError:
                self.add_error("closes_at", _("Closing time must be after the opening time."))
        return data


Path = tuple[str, ...]
"""Where a value sits in a JSON field of overrides: (kind, field) or (carrier, kind, field)."""


def _nest(path: Path, value: Any) -> Any:
    """`value` under `path`: ("a", "b") and 1 give {"a": {"b": 1}}."""
    for step in reversed(path):
        value = {step: value}
    return value


def _leaves(stored: Any, depth: int, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """The values `depth` levels down a nested mapping, with their paths."""
    if len(path) == depth:
        yield path, stored
    elif isinstance(stored, Mapping):
        for step, below in stored.items():
            yield from _leaves(below, depth, (*path, str(step)))


class _Grid(forms.Form):
    """A table of whole numbers, each read through the domain, stored only where it differs."""

    depth = 2

    def __init__(self, *args: Any, stored: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the domain accepts of the stored overrides; a bad one would break every case.
        leaves = _leaves(stored, self.depth)
        self.kept = {path: value for path, value in leaves if self._accepts(path, value)}
        for path in self.paths():
            value = self.kept.get(path)
            self.add(path, self.read(path, _nest(path, value) if value is not None else None))

    def paths(self) -> list[Path]:
        """The cells of the table, in reading order."""
        raise NotImplementedError

    def read(self, path: Path, overrides: Any) -> int:
        """The cell's value with `overrides` applied; ValueError with the domain's reason."""
        raise NotImplementedError

    def label(self, path: Path) -> str:
        """The cell's name for screen readers."""
        raise NotImplementedError

    def add(self, path: Path, initial: int) -> None:
        """The cell's field, prefilled."""
        field = _number(self.label(path), min=0)
        field.required, field.initial = False, initial
        self.fields[self.key(path)] = field

    def key(self, path: Path) -> str:
        """A field name; "*" is no character for an HTML id."""
        return "-".join("any" if step == ANY_CARRIER else step for step in path)

    def value(self, path: Path) -> int | None:
        """The entered number; None when left empty (the default) or invalid."""
        value = self.cleaned_data.get(self.key(path))
        return value if isinstance(value, int) else None

    def _accepts(self, path: Path, value: Any) -> bool:
        try:
            self.read(path, _nest(path, value))
        except ValueError:
            return False
        return True

    def clean(self) -> dict[str, Any]:
        """Each value through the domain, so its message lands beside the field."""
        data = super().clean() or {}
        for path in self.paths():
            value = self.value(path)
            try:
                if value is not None:
                    self.read(path, _nest(path, value))
            except ValueError as error:
                self.add_error(self.key(path), _not_saved(error))
        return data

    def overrides(self) -> dict[str, Any]:
        """The values that differ from the defaults, and stored ones the table does not show."""
        shown = set(self.paths())
        leaves = {path: v for path, v in self.kept.items() if path not in shown}
        for path in shown:
            value = self.value(path)
            if value is not None and value != self.read(path, None):
                leaves[path] = value
        found: dict[str, Any] = {}
        for path, value in sorted(leaves.items()):
            node = found
            for step in path[:-1]:
                node = node.setdefault(step, {})
            node[path[-1]] = value
        return found


def _whole_minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)


def duration_text(minutes: int) -> str:
    """A target in words: '8 h' or '90 min'."""
    if minutes % 60 == 0:
        return _("%(count)s h") % {"count": minutes // 60}
    return _("%(count)s min") % {"count": minutes}


class SlaForm(_Grid):
    """First response and resolution per case kind, each a number of hours or minutes."""

    def paths(self) -> list[Path]:
        return [(kind, name) for kind in DEFAULT_POLICIES for name in SLA_FIELDS]

    def read(self, path: Path, overrides: Any) -> int:
        return _whole_minutes(getattr(policy_for(kind=path[0], overrides=overrides), path[1]))

    def label(self, path: Path) -> str:
        names = {"first_response": _("first response"), "resolution": _("resolution")}
        return f"{kind_label(path[0])}: {names[path[1]]}"

    def add(self, path: Path, initial: int) -> None:
        """A number and its unit: whole hours when they are, else minutes."""
        hours = initial % 60 == 0
        super().add(path, initial // 60 if hours else initial)
        self.fields[self.key(path)].widget.attrs["min"] = 1
        unit = forms.ChoiceField(label=self.label(path), choices=UNITS)
        unit.initial = HOURS if hours else MINUTES
        self.fields[f"{self.key(path)}-unit"] = unit

    def value(self, path: Path) -> int | None:
        """The entered target in minutes."""
        amount = super().value(path)
        hours = self.cleaned_data.get(f"{self.key(path)}-unit") == HOURS
        return amount * 60 if amount is not None and hours else amount

    def rows(self) -> list[tuple[str, list[tuple[BoundField, BoundField, str]]]]:
        """The table: per case kind, per target its number, unit and default in words."""
        rows: dict[str, list[tuple[BoundField, BoundField, str]]] = {}
        for path in self.paths():
            key, standard = self.key(path), duration_text(self.read(path, None))
            cell = (self[key], self[f"{key}-unit"], standard)
            rows.setdefault(kind_label(path[0]), []).append(cell)
        return list(rows.items())


def _remedy_field(name: str, default: object, currency: str) -> forms.Field:
    """The widget that suits one `RemedyPolicy` field."""
    label, help_text = REMEDY_LABELS[name], REMEDY_HELP.get(name, "")
    if name == "prefer":
        choices = [(choice, remedy_label(choice)) for choice in (RESHIP, REFUND)]
        return forms.ChoiceField(
            label=label, help_text=help_text, choices=choices, widget=forms.RadioSelect
        )
    if name == "insured_above_minor":
        attrs = {"inputmode": "decimal", "class": "num"}
        field = AmountField(help_text=help_text, required=False, widget=forms.TextInput(attrs))
        field.label, field.currency = label % {"currency": currency}, currency
        return field
    if isinstance(default, bool):
        return _switch(label, help_text)
    return _number(label, help_text, min=0, **({"max": 100} if name in PERCENTS else {}))


class RemedyForm(forms.Form):
    """Every field of the shop's `RemedyPolicy`, prefilled with the values in force."""

    def __init__(self, *args: Any, stored: Mapping[str, Any], currency: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for spec in fields(RemedyPolicy):
            self.fields[spec.name] = _remedy_field(spec.name, spec.default, currency)
            value = stored.get(spec.name, spec.default)
            try:
                RemedyPolicy(**{spec.name: value})
            except (TypeError, ValueError):
                value = spec.default
            self.initial[spec.name] = value
        if (insured := self.initial["insured_above_minor"]) is not None:  # 25000 -> 250.00
            self.initial["insured_above_minor"] = Decimal(insured).scaleb(
                -get_currency_precision(currency)
            )

    def clean(self) -> dict[str, Any]:
        """Each value through `RemedyPolicy`, so its message lands beside the field."""
        data = super().clean() or {}
        for name, value in list(data.items()):
            try:
                RemedyPolicy(**{name: value})
            except (TypeError, ValueError) as error:
                self.add_error(name, _not_saved(error))
        return data

    def overrides(self) -> dict[str, Any]:
        """The fields that differ from the domain's defaults."""
        default = RemedyPolicy()
        return {
            spec.name: self.cleaned_data[spec.name]
            for spec in fields(RemedyPolicy)
            if self.cleaned_data[spec.name] != getattr(default, spec.name)
        }


def _carrier_name(carrier: str) -> str:
    if carrier == ANY_CARRIER:
        return _("Every other carrier")
    return carrier_name(carrier)


class ClaimsForm(_Grid):
    """Waiting and deadline days per carrier (and "*", every other carrier) and claim kind."""

    depth = 3

    def paths(self) -> list[Path]:
        return [(c, k, n) for c in CLAIM_CARRIERS for k in CLAIM_KINDS for n in CLAIM_FIELDS]

    def read(self, path: Path, overrides: Any) -> int:
        window = claim_window(carrier=path[0], kind=path[1], overrides=overrides)
        return int(getattr(window, path[2]))

    def label(self, path: Path) -> str:
        carrier, kind, name = path
        return f"{_carrier_name(carrier)}: {CLAIM_WORDS[kind]}, {CLAIM_WORDS[name]}"

    def rows(self) -> list[tuple[str, list[tuple[BoundField, str]]]]:
        """A row per carrier; loss then damage, each waiting then deadline days, named short."""
        rows: dict[str, list[tuple[BoundField, str]]] = {}
        for carrier, kind, name in self.paths():
            short = f"{CLAIM_WORDS[kind]}, {CLAIM_WORDS[name]}"
            cell = (self[self.key((carrier, kind, name))], short)
            rows.setdefault(_carrier_name(carrier), []).append(cell)
        return list(rows.items())


def _plain(value: Any) -> Any:
    """A value as the audit entry's JSON holds it."""
    return value.isoformat() if isinstance(value, time) else value


def save_desk_policy(
    *, shop: Shop, changes: dict[str, Any], actor: str, now: datetime
) -> list[str]:
    """Store the desk settings with one audit entry of what changed; the names changed."""
    with transaction.atomic():
        DeskPolicy.objects.get_or_create(shop=shop)
        policy = DeskPolicy.objects.select_for_update().get(shop=shop)
        before = {name: _plain(getattr(policy, name)) for name in changes}
        after = {name: _plain(value) for name, value in changes.items()}
        changed = [name for name in changes if before[name] != after[name]]
        if not changed:
            return []
        save_fields(
            policy,
            {name: changes[name] for name in changed},
            shop_id=shop.pk,
            at=now,
            actor=actor,
            subject_type="desk_policy",
            action="desk_policy_changed",
            before=before,
            after=after,
        )
    return changed

"""The ledger's codes in words on the agent pages: remedy kinds, reasons, entry statuses, and
the months a filter can choose (the stored codes stay in the API and the CSV export)."""

from datetime import date

from babel.dates import format_date
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parcelcare.cases.labels import KIND_LABELS as CASE_KINDS
from parcelcare.cases.labels import REMEDY_LABELS
from parcelcare.returns.words import REASONS as RETURN_REASONS

KIND_LABELS: dict[str, Promise] = {
    **REMEDY_LABELS,
    "return_shipping": _("Return postage"),
    "insurance_payout": _("Insurance payout"),
    "chargeback": _("Chargeback"),
    "chargeback_reversal": _("Chargeback reversed"),
}

STATUS_LABELS: dict[str, Promise] = {
    "recorded": _("Recorded"),
    "pending": _("Payout running"),
    "paid": _("Paid out"),
    "failed": _("Payout failed"),
}

REASON_LABELS: dict[str, Promise] = {**CASE_KINDS, **RETURN_REASONS, "other": _("Other")}
"""A ledger reason is a return's reason or a case's kind; neither shares a code but "other"."""

MAX_MONTHS = 36


def kind_label(kind: str) -> str:
    """A remedy kind in words; the code for one without a label."""
    return str(KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    """An entry status in words."""
    return str(STATUS_LABELS.get(status, status))


def reason_label(reason: str) -> str:
    """A ledger reason key in words."""
    return str(REASON_LABELS.get(reason, reason))


def month_label(month: str) -> str:
    """A YYYY-MM month as the agent's language names it: "november 2026", "November 2026"."""
    year, number = (int(part) for part in month.split("-"))
    locale = (get_language() or "en").replace("-", "_")
    return format_date(date(year, number, 1), "LLLL yyyy", locale=locale)


def month_choices(first: date | None, today: date) -> list[tuple[str, str]]:
    """(YYYY-MM, name) from this month back to the first booked one, newest first, bounded."""
    year, month = today.year, today.month
    choices = []
    for _step in range(MAX_MONTHS):
        code = f"{year:04d}-{month:02d}"
        choices.append((code, month_label(code)))
        if first is None or (year, month) <= (first.year, first.month):
            break
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices

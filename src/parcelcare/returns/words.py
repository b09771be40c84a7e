"""The return portal's words: reasons, resolutions, statuses and refusals in the customer's
language (gettext; the active language is set by the view)."""

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcelcare.cases.labels import money
from parcelcare.domain.returns_policy import ReturnError
from parcelcare.tracking.public_format import long_day

REASONS: dict[str, Promise] = {
    "wrong_size": gettext_lazy("Wrong size"),
    "poor_quality": gettext_lazy("Poor quality"),
    "wrong_item": gettext_lazy("Wrong item sent"),
    "not_as_pictured": gettext_lazy("Not as pictured"),
    "damaged": gettext_lazy("Arrived damaged"),
    "changed_mind": gettext_lazy("Changed my mind"),
    "other": gettext_lazy("Other reason"),
}
RESOLUTIONS: dict[str, Promise] = {
    "refund": gettext_lazy("Refund to my payment method"),
    "store_credit": gettext_lazy("Store credit"),
    "exchange": gettext_lazy("Exchange for another item"),
}
STATUSES: dict[str, Promise] = {
    "requested": gettext_lazy("Return requested"),
    "approved": gettext_lazy("Return approved"),
    "rejected": gettext_lazy("Return not accepted"),
    "in_transit": gettext_lazy("Return parcel on its way"),
    "received": gettext_lazy("Return received"),
    "inspected": gettext_lazy("Return checked"),
    "resolved": gettext_lazy("Return completed"),
    "closed": gettext_lazy("Return closed"),
}


def refusal(error: ReturnError, lang: str) -> str:
    """Why a request cannot be made, in the customer's words."""
    facts = error.facts
    if error.code == "window_closed":
        closed = facts["closed_at"]
        day = long_day(closed.date(), lang) + f" {closed.year}"  # type: ignore[attr-defined]
        return _("The return period for this order closed on %(day)s.") % {"day": day}
    if error.code == "not_delivered":
        return _("This order has not been delivered yet. You can return it once it arrives.")
    if error.code == "quantity":
        return _("You can return at most %(left)s of %(sku)s.") % facts
    if error.code == "not_returnable":
        return _("%(sku)s cannot be returned.") % facts
    if error.code == "nothing_picked":
        return _("Choose at least one item and how many to return.")
    if error.code == "photo":
        return _("Photos must be JPEG, PNG or WebP, at most 8 MB each and 6 in all.")
    return _("This return cannot be requested. Please check your choices.")


def amount(minor: int, currency: str) -> str:
    """Money as the active language writes it."""
    return money(minor, currency)

"""What the customer's return pages show, already in the active language."""

from datetime import datetime
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from parcelcare.domain.returns_policy import Pick, ReturnPolicy, window_closes
from parcelcare.tracking.models import Order
from parcelcare.tracking.public_format import long_day

from . import words
from .models import Feedback, ReturnRequest, ReturnSettings
from .order_facts import bought_lines, delivered_at, policy_of


def parse_picks(posted: QueryDict) -> list[Pick]:
    """The quantities asked per line (fields qty_<line id>); blanks and zeros are skipped."""
    picks = []
    for key in posted:
        if key.startswith("qty_") and key[4:].isdigit():
            try:
                quantity = int(posted.get(key) or 0)
            except ValueError:
                quantity = -1
            if quantity:
                picks.append(Pick(int(key[4:]), quantity))
    return picks


def _window_text(policy: ReturnPolicy, order_id: int, now: datetime, lang: str) -> str:
    delivered = delivered_at(order_id)
    if delivered is None:
        return _("You can return items within %(days)s days of delivery.") % {
            "days": policy.window_days
        }
    closes = window_closes(delivered_at=delivered, policy=policy)
    day = f"{long_day(closes.date(), lang)} {closes.year}"
    if now > closes:
        return _("The return period for this order closed on %(day)s.") % {"day": day}
    return _("You can return items until %(day)s.") % {"day": day}


def form_context(*, order: Order, now: datetime, posted: dict[str, Any], error: str) -> dict:
    """The return form: lines with what can still be returned, reasons, resolutions, policy."""
    from django.utils import translation

    policy = policy_of(order.shop_id)
    names = dict(order.lines.values_list("id", "name"))
    lines = [
        {
            "id": line.line_id,
            "sku": line.sku,
            "name": names.get(line.line_id, line.sku),
            "left": line.quantity - line.returned,
            "price": words.amount(line.unit_price, order.currency),
            "blocked": line.sku in policy.non_returnable_skus,
            "asked": posted.get(f"qty_{line.line_id}", ""),
        }
        for line in bought_lines(order.pk)
    ]
    settings = ReturnSettings.objects.filter(shop_id=order.shop_id).first()
    lang = translation.get_language() or "en"
    return {
        "order_number": order.order_number,
        "lines": lines,
        "reasons": [(key, str(label)) for key, label in words.REASONS.items()],
        "resolutions": [
            (key, str(label))
            for key, label in words.RESOLUTIONS.items()
            if key in policy.resolutions
        ],
        "posted": posted,
        "error": error,
        "window": _window_text(policy, order.pk, now, lang),
        "conditions": settings.conditions if settings else "",
        "restocking": policy.restocking_fee_percent,
        "postage": words.amount(policy.return_shipping_minor, order.currency)
        if policy.return_shipping_minor
        else "",
    }


def _refund_state(item: ReturnRequest) -> str:
    entry = item.remedies.exclude(kind__in=("return_shipping",)).order_by("-id").first()
    if entry is None:
        return ""
    if entry.status == "pending":
        return _("Your refund is on its way to your payment method.")
    if entry.status == "paid":
        return _("Your refund has been paid: %(amount)s.") % {
            "amount": words.amount(entry.amount, entry.currency)
        }
    if entry.status == "failed":
        return _("Your refund could not be paid yet. The shop will contact you.")
    return _("Settled: %(amount)s.") % {"amount": words.amount(entry.amount, entry.currency)}


def status_context(item: ReturnRequest, *, error: str) -> dict:
    """The return's status page."""
    settings = ReturnSettings.objects.filter(shop_id=item.shop_id).first()
    survey = Feedback.objects.filter(request=item).first()
    return {
        "item": item,
        "headline": str(words.STATUSES.get(item.status, item.status)),
        "reason": str(words.REASONS.get(item.reason, item.reason)),
        "resolution": str(words.RESOLUTIONS.get(item.resolution, item.resolution)),
        "lines": list(item.lines.all()),
        "goods": words.amount(item.goods_minor, item.currency),
        "fee": words.amount(item.restocking_fee_minor, item.currency)
        if item.restocking_fee_minor
        else "",
        "postage": words.amount(item.return_shipping_minor, item.currency)
        if item.return_shipping_minor
        else "",
        "deduction": words.amount(item.deduction_minor, item.currency)
        if item.deduction_minor
        else "",
        "refund": words.amount(item.refund_minor, item.currency),
        "send_back": item.status in ("approved", "in_transit") and not item.keep_item,
        "return_address": settings.return_address if settings else "",
        "refund_state": _refund_state(item),
        "survey": survey if survey is not None and survey.score is None else None,
        "error": error,
    }

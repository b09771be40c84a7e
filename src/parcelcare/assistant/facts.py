"""The live facts an answer is written from: the tracking page's own sentences, the refund in
the ledger, the shop's returns portal, in the customer's language and the shop's time zone."""

from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from parcelcare.domain.intents import Intent
from parcelcare.domain.replies import ReplyFacts
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking import public_format, public_page
from parcelcare.tracking.models import Order, Shipment

from .models import AssistantSettings

REFUNDS = ("refund", "partial_refund")


def _refund(order: Order, language: str) -> tuple[str, str] | None:
    """The latest refund booked for the order, as (amount, date) written for the language."""
    from decimal import Decimal

    from babel.dates import format_date
    from babel.numbers import format_currency, get_currency_precision

    entry = (
        RemedyEntry.objects.filter(shop_id=order.shop_id, order=order, kind__in=REFUNDS)
        .exclude(status="failed")  # a payout that failed is no refund to tell about
        .order_by("-created_at", "-id")
        .first()
    )
    if entry is None:
        return None
    zone = public_format.shop_zone(order.shop)
    exact = Decimal(entry.amount).scaleb(-get_currency_precision(entry.currency))
    amount = format_currency(exact, entry.currency, locale=language)
    day = format_date(entry.created_at.astimezone(zone).date(), format="long", locale=language)
    return amount, day


def portal_url(order: Order, shipment: Shipment | None) -> str:
    """parcelcare's own returns portal: the parcel's return page, else the shop's lookup."""
    try:
        if shipment is not None:
            return settings.PUBLIC_URL + reverse(
                "return_from_tracking", args=[shipment.public_token]
            )
        return settings.PUBLIC_URL + reverse("return_lookup", args=[order.shop_id])
    except NoReverseMatch:
        return ""


def reply_facts(
    *,
    intent: Intent,
    language: str,
    order: Order,
    shipment: Shipment | None,
    config: AssistantSettings,
    now: datetime,
) -> ReplyFacts:
    """Everything `domain.replies.compose` may say about this order, nothing more."""
    base = ReplyFacts(
        intent=intent,
        language=language,
        order_number=order.order_number,
        returns_url=config.returns_url or portal_url(order, shipment),
        refund=_refund(order, language) if intent == Intent.REFUND_STATUS else None,
    )
    if shipment is None:
        return base
    zone = public_format.shop_zone(order.shop)
    with translation.override(language), timezone.override(zone):
        page = public_page.build_page(shipment, lang=language, now=now)
        estimate = (str(page.estimate.title), str(page.estimate.value)) if page.estimate else None
        return replace(
            base,
            status=shipment.status,
            carrier=public_page.carrier_name(shipment.carrier),
            headline=str(page.headline),
            details=tuple(str(d) for d in page.details),
            estimate=estimate,
            actions=tuple(str(a) for a in page.actions),
            tracking_url=f"{settings.PUBLIC_URL}/t/{shipment.public_token}",
        )

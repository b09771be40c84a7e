"""A realistic made-up context for previews and test e-mails: the shop's own brand, a sample
customer in the chosen language, and the facts each message kind talks about."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from parcelcare.accounts.models import Shop
from parcelcare.domain.notify_policy import DELAYED, RETURN_KINDS, Channel, MessageKind

from .context import MessageContext, shop_facts

PEOPLE = {
    "nl": ("Sanne de Vries", "PostNL", "3SGRN0012345678"),
    "de": ("Lena Schneider", "DHL", "00340434161094042557"),
    "en": ("Emma Clarke", "DPD", "05212345678901"),
    "fr": ("Camille Martin", "Colissimo", "6A12345678901"),
}
"""A customer name, carrier and tracking number that read naturally in each language."""


def sample_context(
    shop: Shop, kind: MessageKind, channel: Channel, language: str, now: datetime
) -> MessageContext:
    """The context a preview of `kind` in `language` is rendered with."""
    name, carrier, tracking = PEOPLE.get(language, PEOPLE["en"])
    today = now.date()
    kind = MessageKind(kind)
    level = DELAYED.index(kind) + 1 if kind in DELAYED else None
    unsubscribe = f"{settings.PUBLIC_URL}/u/sample?channel={Channel(channel)}"
    return MessageContext(
        **shop_facts(shop),
        language=language,
        order_number="1042",
        carrier_name=carrier,
        tracking_url=f"{settings.PUBLIC_URL}/t/sample",
        tracking_number=tracking,
        customer_name=name,
        unsubscribe_url=unsubscribe if kind != MessageKind.NOT_SHIPPED_MERCHANT else "",
        promised_date=today - timedelta(days=level or 0) if level else today + timedelta(days=1),
        deadline=today + timedelta(days=5),
        days_left=5 if kind == MessageKind.AWAITING_PICKUP else 2,
        pickup_name="Primera Lindenhof",
        pickup_address="Lindenlaan 4, 3511 AB Utrecht",
        pickup_hours="09:00-18:00",
        level=level,
        attempt=1,
        reason="recipient_unavailable",
        label_created_at=now - timedelta(days=3),
        business_days=3,
        **(_return_sample(shop, kind, now) if kind in RETURN_KINDS else {}),
    )


def _return_sample(shop: Shop, kind: MessageKind, now: datetime) -> dict[str, Any]:
    """A return's facts for previews: its number and page, the money, survey and address."""
    public = settings.PUBLIC_URL
    arrived: dict[str, Any] = {}
    if kind == MessageKind.RETURN_ARRIVED:
        arrived = {"arrived_at": now, "remedy": "refund"}
    return arrived | {
        "case_reference": "RMA-7KQ2-M4XP",
        "case_url": f"{public}/rs/sample",
        "amount_minor_units": 2495,
        "amount_currency": shop.currency or "EUR",
        "survey_url": f"{public}/f/sample",
        "return_address": f"{shop.name}, Industrieweg 12, 3542 AD Utrecht",
        "body": "The return period closed on 2 November.",
    }

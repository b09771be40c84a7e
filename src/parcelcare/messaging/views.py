"""Agent page of the outbox: every message queued, sent or failed, with a preview of each."""

from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from parcelcare.accounts.models import Shop
from parcelcare.tracking.views import agent_page

from .labels import (
    DELIVERY_LABELS,
    audience_label,
    kind_label,
    language_label,
    sent_channel_label,
    withdrawn_label,
)
from .models import OutboxMessage
from .render import MissingTemplate
from .sender import preview

SHOWN = 200
ASKS_SHOWN = 50
STATE_LABELS = (
    ("queued", _("Queued")),
    ("sent", _("Sent")),
    ("failed", _("Retrying")),
    ("dead", _("Failed")),
    ("withdrawn", _("Withdrawn")),
)
LABELS = dict(STATE_LABELS) | {"sending": _("Sending")}


def _label(message: OutboxMessage) -> None:
    """Give a message its words for the page: kind, channel, audience, language, state."""
    labels = {
        "kind_label": kind_label(message.kind),
        "channel_label": sent_channel_label(message.channel) if message.channel else "",
        "audience_label": audience_label(message.audience),
        "language_label": language_label(message.language),
        "state_label": LABELS.get(message.status, message.status),
        "delivery_label": DELIVERY_LABELS.get(message.delivery_status, ""),
        "withdrawn_label": withdrawn_label(message.withdrawn_reason),
    }
    for name, value in labels.items():
        setattr(message, name, value)


@agent_page
def outbox_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Counts per state and the latest messages, newest first; desk tasks included."""
    messages = OutboxMessage.objects.filter(shop=shop)
    counts = dict(messages.values_list("status").annotate(n=Count("id")))
    status = request.GET.get("status", "")
    if status in OutboxMessage.Status.values:
        messages = messages.filter(status=status)
    else:
        # Withdrawn messages were never sent; they stay one click away, not in the way.
        messages = messages.exclude(status=OutboxMessage.Status.WITHDRAWN)
    latest = list(messages.select_related("shipment__order").order_by("-send_at")[:SHOWN])
    for message in latest:
        _label(message)
    states = [(value, label, counts.get(value, 0)) for value, label in STATE_LABELS]
    context = {
        "shop": shop,
        "states": states,
        "latest": latest,
        "status": status,
        "asks": _asks(shop),
    }
    return render(request, "messaging/outbox.html", context)


def _asks(shop: Shop) -> list[Any]:
    """The latest requests for an order number sent to senders parcelcare could not verify."""
    from parcelcare.assistant.models import SenderAsk

    asks = list(SenderAsk.objects.filter(shop=shop).order_by("-created_at", "-id")[:ASKS_SHOWN])
    for ask in asks:
        ask.channel_label = sent_channel_label(ask.channel)  # type: ignore[attr-defined]
        ask.language_label = language_label(ask.language)  # type: ignore[attr-defined]
        ask.state_label = LABELS.get(ask.status, ask.status)  # type: ignore[attr-defined]
    return asks


@agent_page
def outbox_message(request: HttpRequest, shop: Shop, message_id: int) -> HttpResponse:
    """One message as the recipient sees it."""
    message = (
        OutboxMessage.objects.filter(shop=shop, id=message_id)
        .select_related("shop", "shipment__order__customer")
        .first()
    )
    if message is None:
        raise Http404("no such message in this shop")
    try:
        rendered = preview(message) if message.channel else None
    except MissingTemplate:
        rendered = None
    _label(message)
    context = {"shop": shop, "message": message, "rendered": rendered}
    return render(request, "messaging/message.html", context)

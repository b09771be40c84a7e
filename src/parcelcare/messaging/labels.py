"""Display labels of message kinds, channels and delivery reports on the agent pages."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parcelcare.domain.notify_policy import Audience, Channel, MessageKind

K = MessageKind

KIND_LABELS: dict[str, Promise] = {
    K.SHIPPED: _("Parcel shipped"),
    K.OUT_FOR_DELIVERY: _("Out for delivery"),
    K.DELAYED_1: _("Delayed, 1st notice"),
    K.DELAYED_2: _("Delayed, 2nd notice"),
    K.DELAYED_3: _("Delayed, 3rd notice"),
    K.FAILED_ATTEMPT: _("Delivery attempt failed"),
    K.AWAITING_PICKUP: _("Ready for pickup"),
    K.PICKUP_REMINDER: _("Pickup reminder"),
    K.DELIVERED: _("Delivered"),
    K.RETURNING: _("Returning to sender"),
    K.RETURNED: _("Returned to sender"),
    K.LIKELY_LOST: _("Likely lost"),
    K.NOT_SHIPPED_MERCHANT: _("Not shipped (to the shop)"),
    K.AGENT_FOLLOWUP: _("Follow-up for the desk"),
    # The case desk's messages, by value: their kinds belong to the cases app.
    "case_received": _("Case opened"),
    "case_request": _("Case: question to the customer"),
    "case_reply": _("Case: reply"),
    "case_resolved": _("Case resolved"),
    "assistant_reply": _("Answer to the customer's question"),
    K.RETURN_RECEIVED: _("Return request received"),
    K.RETURN_APPROVED: _("Return approved"),
    K.RETURN_ARRIVED: _("Return parcel arrived"),
    K.RETURN_REJECTED: _("Return rejected"),
    K.RETURN_REFUNDED: _("Return refunded"),
}

CHANNEL_LABELS: dict[str, Promise] = {
    Channel.EMAIL: _("E-mail"),
    Channel.SMS: _("SMS and WhatsApp"),
    Channel.WHATSAPP: _("WhatsApp"),
}

SENT_CHANNEL_LABELS: dict[str, Promise] = {
    Channel.EMAIL: _("E-mail"),
    Channel.SMS: _("SMS"),
    Channel.WHATSAPP: _("WhatsApp"),
}
"""A message's channel once sent: an SMS is an SMS (the editor's SMS text serves WhatsApp too)."""

AUDIENCE_LABELS: dict[str, Promise] = {
    Audience.CUSTOMER: _("Customer"),
    Audience.MERCHANT: _("Shop"),
    Audience.AGENT: _("Case desk"),
}

LANGUAGE_LABELS: dict[str, Promise] = {
    "nl": _("Dutch"),
    "de": _("German"),
    "en": _("English"),
    "fr": _("French"),
}

DELIVERY_LABELS: dict[str, Promise] = {
    "delivered": _("Delivered"),
    "failed": _("Not delivered"),
    "bounced": _("Bounced"),
}


def kind_label(kind: str) -> str:
    """A message kind in words; the code itself for a kind without a label."""
    return str(KIND_LABELS.get(kind, kind))


def channel_label(channel: str) -> str:
    """A channel in words."""
    return str(CHANNEL_LABELS.get(channel, channel))


def sent_channel_label(channel: str) -> str:
    """The channel one message went out on, in words."""
    return str(SENT_CHANNEL_LABELS.get(channel, channel))


def audience_label(audience: str) -> str:
    """Who a message is for, in words."""
    return str(AUDIENCE_LABELS.get(audience, audience))


def language_label(language: str) -> str:
    """A message's language by its name in the reader's language."""
    return str(LANGUAGE_LABELS.get(language, language))


def withdrawn_label(reason: str) -> str:
    """Why a message was withdrawn, in the agent's language (the stored reason is a code)."""
    from parcelcare.cases.labels import STATUS_LABELS as CASE_STATUS_LABELS
    from parcelcare.tracking.labels import status_label

    if reason.startswith("no longer true: shipment "):
        status = status_label(reason.removeprefix("no longer true: shipment "))
        return _("No longer true when due: the parcel is now “%(status)s”") % {"status": status}
    if reason.startswith("no longer true: case "):
        code = reason.removeprefix("no longer true: case ")
        status = str(CASE_STATUS_LABELS.get(code, _("Deleted") if code == "gone" else code))
        return _("No longer true when due: the case is now “%(status)s”") % {"status": status}
    if reason.startswith("no longer true: return "):
        return str(_("No longer true when due: the return changed since"))
    return str(WITHDRAWN_REASONS.get(reason, reason))


WITHDRAWN_REASONS: dict[str, Promise] = {
    "no longer true at review": _("No longer true at the next review"),
    "shipment cancelled": _("The parcel was cancelled"),
    "over the customer's daily cap": _("The customer already had the most messages for that day"),
    "no shipment of its shop": _("The parcel is no longer in this shop"),
}

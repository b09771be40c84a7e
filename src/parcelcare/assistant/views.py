"""Agent pages: the drafts waiting for an answer, and the owner's assistant settings."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from parcelcare import clock
from parcelcare.accounts.models import Membership, Shop
from parcelcare.domain.intents import Intent
from parcelcare.messaging.labels import language_label
from parcelcare.tracking.views import agent_page, agent_role

from .drafts import DraftError, dismiss_draft, save_settings, send_draft
from .labels import INTENT_LABELS, intent_label
from .models import InboundMessage
from .respond import settings_of

SHOWN = 100
REASONS = {
    "intent_other": gettext_lazy("not about an order's delivery"),
    "low_confidence": gettext_lazy("not sure what is asked"),
    "sender_not_verified": gettext_lazy("sender not matched to the order"),
    "not_determined": gettext_lazy("needs a decision"),
    "intent_disabled": gettext_lazy("automatic answers are off for this question"),
    "human_asked": gettext_lazy("asked for a person"),
    "no_shipment": gettext_lazy("the order has no parcel yet"),
}


@agent_page
def drafts(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Messages waiting for an agent, oldest first, with the suggested answer to edit."""
    rows = InboundMessage.objects.filter(shop=shop)
    counts = dict(rows.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    waiting = list(
        rows.filter(outcome=InboundMessage.Outcome.DRAFT)
        .select_related("order", "ask")
        .order_by("received_at")[:SHOWN]
    )
    for message in waiting:
        message.reason_labels = [str(REASONS.get(r, r)) for r in message.reasons]  # type: ignore[attr-defined]
        message.intent_label = intent_label(message.intent)  # type: ignore[attr-defined]
        message.language_label = language_label(message.language)  # type: ignore[attr-defined]
        message.sureness = _("%(percent)d%% sure") % {  # type: ignore[attr-defined]
            "percent": int((message.confidence or 0) * 100)
        }
    context = {
        "shop": shop,
        "counts": counts,
        "waiting": waiting,
        "can_act": agent_role(request.user, shop) != Membership.Role.VIEWER,
    }
    return render(request, "assistant/drafts.html", context)


@require_POST
@agent_page
def draft_action(request: HttpRequest, shop: Shop, message_id: int) -> HttpResponse:
    """Send the (edited) suggested answer, or dismiss the message."""
    if agent_role(request.user, shop) == Membership.Role.VIEWER:
        return HttpResponse(status=403)
    try:
        if request.POST.get("action") == "dismiss":
            dismiss_draft(
                message_id=message_id, shop_id=shop.pk, user=request.user, now=clock.now()
            )
            messages.success(request, _("The message is closed without an answer."))
        else:
            send_draft(
                message_id=message_id,
                shop_id=shop.pk,
                text=request.POST.get("reply", ""),
                user=request.user,
                now=clock.now(),
            )
            messages.success(request, _("The answer is on its way."))
    except DraftError as error:
        messages.error(request, str(error))
    return redirect("assistant_drafts")


class SettingsForm(forms.Form):
    """On or off, the questions answered without an agent, the returns portal."""

    enabled = forms.BooleanField(
        required=False,
        label=gettext_lazy("Answer automatically"),
        help_text=gettext_lazy(
            "Also asks senders it cannot verify for their order number and postcode."
        ),
    )
    intents = forms.MultipleChoiceField(
        required=False,
        choices=[(str(i), INTENT_LABELS[i]) for i in Intent if i != Intent.OTHER],
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Questions answered without an agent"),
    )
    returns_url = forms.URLField(
        required=False, assume_scheme="https", label=gettext_lazy("Returns portal address")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@agent_page
def assistant_settings(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Owners change the settings; agents and viewers read them."""
    config = settings_of(shop.pk)
    owner = agent_role(request.user, shop) == Membership.Role.OWNER
    initial = {
        "enabled": config.enabled,
        "intents": config.auto_intents,
        "returns_url": config.returns_url,
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not owner:
            return HttpResponse(status=403)
        if form.is_valid():
            save_settings(
                config=config,
                enabled=form.cleaned_data["enabled"],
                intents=form.cleaned_data["intents"],
                returns_url=form.cleaned_data["returns_url"],
                user=request.user,
                now=clock.now(),
            )
            messages.success(request, _("Saved."))
            return redirect("assistant_settings")
    return render(request, "assistant/settings.html", {"shop": shop, "form": form, "owner": owner})

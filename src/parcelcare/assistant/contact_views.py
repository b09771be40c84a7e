"""/t/<token>/ask: the contact form of a tracking page; the message is answered like mail."""

from uuid import uuid4

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.throttle import RateLimit, client_ip
from parcelcare.tracking.public_views import not_found, private_response, shipment_page

from .inbox import receive

ASKS = RateLimit("public-ask", limit=5, window=3600)
"""Questions per tracking link and client address an hour."""


class AskForm(forms.Form):
    """The customer's question."""

    message = forms.CharField(
        label=_("Your question"), min_length=3, max_length=4000, widget=forms.Textarea
    )


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest, token: str) -> HttpResponse:
    """Show the form, or keep the question for the assistant and say it is on its way."""
    found = shipment_page(request, token)
    if found is None:
        return not_found(request)
    shipment, lang = found
    context = {"shop_name": shipment.shop.name, "brand": brand_of(shipment.shop), "token": token}
    status = 200
    with translation.override(lang):
        form = AskForm(request.POST or None)
        if request.method == "POST":
            verdict = ASKS.hit(f"{shipment.pk}:{client_ip(request)}", clock.now())
            if not verdict.allowed:
                context["outcome"], status = "too_many", 429
            elif form.is_valid():
                receive(
                    shop_id=shipment.shop_id,
                    channel="form",
                    external_id=f"form:{uuid4().hex}",
                    sender="",
                    body=form.cleaned_data["message"],
                    form_shipment=shipment,
                    now=clock.now(),
                )
                context["outcome"], form = "sent", AskForm()
            else:
                status = 400
        response = render(request, "assistant/ask.html", {**context, "form": form}, status=status)
    return private_response(response, lang)

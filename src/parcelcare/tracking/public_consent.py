"""/t/<token>/updates: the customer agrees to, or stops, delivery updates by SMS or WhatsApp.

A page of its own, like /t/<token>/report: the tracking page sends no referrer, so browsers
would post a form on it with `Origin: null` and the CSRF check would refuse it. This page keeps
the same-origin policy. Posts are rate-limited per link and client address.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.throttle import RateLimit, client_ip

from . import consent
from .models import Shipment
from .public_views import asked_language, not_found, private_response, shipment_page
from .schemas import CONSENT_CHANNELS

UPDATES = RateLimit("public-consent", limit=10, window=600)
"""Choices saved per tracking link and client address, like the lookup's limit."""


class UpdatesForm(forms.Form):
    """The channels ticked; none ticked withdraws what was agreed."""

    channels = forms.MultipleChoiceField(choices=[(c, c) for c in CONSENT_CHANNELS], required=False)


def _done(token: str, asked: str | None) -> HttpResponse:
    """See Other: back to the page with a GET that thanks the customer."""
    query = urlencode({"done": "1", **({"lang": asked} if asked else {})})
    response = redirect(f"{reverse('public_updates', args=[token])}?{query}")
    response.status_code = 303
    return response


def _page(
    request: HttpRequest, shipment: Shipment, lang: str, *, status: int = 200, too_many=False
) -> HttpResponse:
    """The updates page: what the customer agrees to, and the channels to tick."""
    customer, asked = shipment.order.customer, asked_language(request)
    context = {
        "shop_name": shipment.shop.name,
        "brand": brand_of(shipment.shop),
        "order_number": shipment.order.order_number,
        "token": shipment.public_token,
        "offer": consent.offer(customer),
        "has_phone": bool(customer.phone),
        "done": request.GET.get("done") == "1" and status == 200,
        "query": f"?lang={asked}" if asked else "",
        "too_many": too_many,
    }
    with translation.override(lang):
        response = render(request, "public/updates.html", context, status=status)
    return private_response(response, lang)


@require_http_methods(["GET", "HEAD", "POST"])
def updates(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the choice; POST saves it (audited) and comes back with a thank-you."""
    found = shipment_page(request, token)
    if found is None:
        return not_found(request)
    shipment, lang = found
    customer = shipment.order.customer
    if request.method != "POST":
        return _page(request, shipment, lang)
    now = clock.now()
    verdict = UPDATES.hit(f"{token}:{client_ip(request)}", now)
    if not verdict.allowed:
        response = _page(request, shipment, lang, too_many=True, status=429)
        response.headers["Retry-After"] = str(verdict.retry_after)
        return response
    form = UpdatesForm(request.POST)
    if not form.is_valid():
        return _page(request, shipment, lang, status=400)
    consent.choose(customer_id=customer.pk, wanted=form.cleaned_data["channels"], now=now)
    return _done(token, asked_language(request))

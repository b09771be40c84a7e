"""The customer's pages, without login: tracking by link, and the per-shop order lookup."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_safe

from parcelcare import clock
from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.models import Shop
from parcelcare.accounts.throttle import RateLimit, client_ip
from parcelcare.domain.vocabulary import LANGUAGES

from . import consent, public_format, public_lookup, public_page
from .models import Shipment

LOOKUPS = RateLimit("public-lookup", limit=10, window=600)
"""Lookups per client address and shop; failed ones count too, so guessing is slow."""


class LookupForm(forms.Form):
    """Order number and delivery postcode, both required."""

    order_number = forms.CharField(max_length=64)
    postcode = forms.CharField(max_length=20)


def private_response(
    response: HttpResponse, lang: str, referrer: str = "same-origin"
) -> HttpResponse:
    """No caching, no indexing; the tracking page sends no referrer, its address is its key.

    The lookup form keeps same-origin: with no referrer at all, browsers send `Origin: null`
    on the form's POST and the CSRF check rightly refuses it."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = referrer
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Language"] = lang
    return response


def asked_language(request: HttpRequest) -> str | None:
    """The ?lang= choice when it is one of nl, de, en, fr; else None."""
    asked = (request.GET.get("lang") or "").strip().lower()
    return asked if asked in LANGUAGES else None


def shipment_page(request: HttpRequest, token: str) -> tuple[Shipment, str] | None:
    """The shipment behind a tracking link and the language its pages speak; None if unknown."""
    shipment = public_lookup.shipment_by_token(token)
    if shipment is None:
        return None
    lang = public_format.page_language(
        asked_language(request), shipment.order.customer.language, shipment.shop.default_language
    )
    return shipment, lang


def not_found(request: HttpRequest) -> HttpResponse:
    """The same 404 page for any unknown link, in the asked or the browser's language."""
    lang = public_format.page_language(asked_language(request), translation.get_language())
    with translation.override(lang):
        response = render(request, "public/not_found.html", status=404)
    return private_response(response, lang)


@require_safe
def tracking_page(request: HttpRequest, token: str) -> HttpResponse:
    """One shipment for its customer, in their language and the shop's time zone."""
    found = shipment_page(request, token)
    if found is None:
        return not_found(request)
    shipment, lang = found
    with translation.override(lang), timezone.override(public_format.shop_zone(shipment.shop)):
        page = public_page.build_page(shipment, lang=lang, now=clock.now())
        context = {
            "page": page,
            "shop_name": page.shop_name,
            "brand": brand_of(shipment.shop),
            "updates": consent.offer(shipment.order.customer),
        }
        response = render(request, "public/tracking.html", context)
    return private_response(response, lang, referrer="no-referrer")


def _lookup_page(
    request: HttpRequest, shop: Shop, lang: str, form: LookupForm, **extra: Any
) -> HttpResponse:
    status = extra.pop("status", 200)
    context = {"shop_name": shop.name, "brand": brand_of(shop), "form": form, **extra}
    with translation.override(lang):
        response = render(request, "public/lookup.html", context, status=status)
    return private_response(response, lang)


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The lookup form of one shop; a match goes to the tracking page of the order's parcel."""
    shop = (
        Shop.objects.filter(pk=shop_id)
        .only("id", "name", "default_language", "brand_colour", "logo_url")
        .first()
    )
    if shop is None:
        return not_found(request)
    asked = asked_language(request)
    lang = public_format.page_language(asked, shop.default_language)
    if request.method != "POST":
        return _lookup_page(request, shop, lang, LookupForm())
    verdict = LOOKUPS.hit(f"{shop.id}:{client_ip(request)}", clock.now())
    if not verdict.allowed:
        response = _lookup_page(request, shop, lang, LookupForm(), outcome="too_many", status=429)
        response.headers["Retry-After"] = str(verdict.retry_after)
        return response
    form = LookupForm(request.POST)
    with translation.override(lang):
        valid = form.is_valid()
    if not valid:
        return _lookup_page(request, shop, lang, form, status=400)
    found = public_lookup.find_order(
        shop_id=shop.id,
        order_number=form.cleaned_data["order_number"],
        postcode=form.cleaned_data["postcode"],
    )
    if not found.found:
        return _lookup_page(request, shop, lang, form, outcome="not_found")
    if not found.token:
        return _lookup_page(request, shop, lang, form, outcome="not_shipped")
    target = reverse("public_tracking", args=[found.token])
    response = redirect(f"{target}?lang={asked}" if asked else target)
    response.status_code = 303  # See Other: the browser follows with a GET
    return response

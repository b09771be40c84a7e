"""The customer's return portal, without login: find the order (/r/<shop>) or come from the
tracking page (/t/<token>/return), pick lines, reason, photos and resolution; then follow the
return at /rs/<token>, whose unguessable token is the only key. Posts are rate-limited."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.branding import brand_of
from parcelcare.accounts.models import Shop
from parcelcare.accounts.throttle import RateLimit, client_ip
from parcelcare.domain.returns_policy import Pick, ReturnError
from parcelcare.tracking import public_format, public_lookup
from parcelcare.tracking.models import Order
from parcelcare.tracking.public_views import (
    asked_language,
    not_found,
    private_response,
    shipment_page,
)

from . import lookup as finder
from . import words
from .portal import form_context, parse_picks, status_context
from .services import request_return

LOOKUPS = RateLimit("return-lookup", limit=10, window=600)
"""Lookups per client address and shop; failed ones count too, so guessing is slow."""
SUBMITS = RateLimit("return-submit", limit=10, window=600)
"""Return requests and answers per order or return and client address."""


def _session_key(shop_id: int) -> str:
    return f"returns:order:{shop_id}"


def _page(
    request: HttpRequest,
    shop: Shop,
    lang: str,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    context = {"shop_name": shop.name, "brand": brand_of(shop), **context}
    with translation.override(lang), timezone.override(public_format.shop_zone(shop)):
        response = render(request, template, context, status=status)
    return private_response(response, lang)


def _see(name: str, token: str | int, lang: str | None) -> HttpResponse:
    target = reverse(name, args=[token]) + (f"?{urlencode({'lang': lang})}" if lang else "")
    response = redirect(target)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def portal_lookup(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Order number plus postcode or e-mail; a match opens the return form for that order."""
    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is None:
        return not_found(request)
    asked = asked_language(request)
    lang = public_format.page_language(asked, shop.default_language)
    data = {"order_number": "", "postcode_or_email": ""}
    outcome, status = "", 200
    if request.method == "POST":
        data = {key: request.POST.get(key, "").strip()[:200] for key in data}
        verdict = LOOKUPS.hit(f"{shop.id}:{client_ip(request)}", clock.now())
        if not verdict.allowed:
            outcome, status = "too_many", 429
        else:
            order = finder.find_order(shop_id=shop.id, **data)
            if order is not None:
                request.session[_session_key(shop.id)] = order.pk
                return _see("return_start", shop.id, asked)
            outcome = "not_found"
    context = {"data": data, "outcome": outcome}
    return _page(request, shop, lang, "public_returns/lookup.html", context, status)


@require_http_methods(["GET", "HEAD", "POST"])
def portal_start(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The return form for the order the lookup found (kept in the session)."""
    order_id = request.session.get(_session_key(shop_id))
    found = (
        Order.objects.filter(shop_id=shop_id, pk=int(order_id))
        .select_related("shop", "customer")
        .first()
        if isinstance(order_id, int)
        else None
    )
    if found is None:
        return _see("return_lookup", shop_id, asked_language(request))
    return _return_form(request, found)


@require_http_methods(["GET", "HEAD", "POST"])
def from_tracking(request: HttpRequest, token: str) -> HttpResponse:
    """The return form reached from a tracking page: its link proves the order is theirs."""
    page = shipment_page(request, token)
    if page is None:
        return not_found(request)
    return _return_form(request, page[0].order)


def _return_form(request: HttpRequest, order: Order) -> HttpResponse:
    asked = asked_language(request)
    lang = public_format.page_language(asked, order.customer.language, order.shop.default_language)
    now, error, status = clock.now(), "", 200
    posted: dict[str, Any] = {}
    with translation.override(lang):
        if request.method == "POST":
            posted = request.POST.dict()
            verdict = SUBMITS.hit(f"{order.pk}:{client_ip(request)}", now)
            if not verdict.allowed:
                error, status = (
                    _("Too many attempts. Please wait a few minutes and try again."),
                    429,
                )
            else:
                try:
                    created = _submit(request, order, lang, parse_picks(request.POST))
                except ReturnError as refused:
                    error, status = words.refusal(refused, lang), 400
                else:
                    return _see("return_status", created.public_token, asked)
        context = form_context(order=order, now=now, posted=posted, error=error)
    return _page(request, order.shop, lang, "public_returns/form.html", context, status)


def _submit(request: HttpRequest, order: Order, lang: str, picks: list[Pick]) -> Any:
    photos = [upload.read() for upload in request.FILES.getlist("photos")[:7]]
    return request_return(
        order=order,
        picks=picks,
        reason=request.POST.get("reason", ""),
        resolution=request.POST.get("resolution", ""),
        comment=request.POST.get("comment", "")[:2000],
        photos=photos,
        language=lang,
        now=clock.now(),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def return_status(request: HttpRequest, token: str) -> HttpResponse:
    """Where the return stands, what to do now, and (once approved) where to send it."""
    from .models import ReturnRequest
    from .services import CUSTOMER, add_return_parcel

    found = ReturnRequest.objects.filter(public_token=token).select_related("shop", "order")
    item = found.first() if public_lookup.TOKEN.fullmatch(token) else None
    if item is None:
        return not_found(request)
    asked = asked_language(request)
    lang = public_format.page_language(asked, item.language, item.shop.default_language)
    error, status = "", 200
    with translation.override(lang):
        if request.method == "POST":
            verdict = SUBMITS.hit(f"rs:{item.pk}:{client_ip(request)}", clock.now())
            try:
                if not verdict.allowed:
                    raise ReturnError("rate", "too many")
                add_return_parcel(
                    request=item,
                    carrier=request.POST.get("carrier", ""),
                    tracking_number=request.POST.get("tracking_number", "")[:64],
                    who=CUSTOMER,
                    now=clock.now(),
                )
            except ReturnError:
                error, status = _("Please enter the tracking number of your return parcel."), 400
            else:
                return _see("return_status", token, asked)
        context = status_context(item, error=error)
    return _page(request, item.shop, lang, "public_returns/status.html", context, status)

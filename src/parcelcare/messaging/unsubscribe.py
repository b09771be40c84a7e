"""The customer's opt-out link: a page to confirm, and one-click POST (RFC 8058) from mail apps."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.audit import record
from parcelcare.domain.notify_policy import Channel
from parcelcare.tracking.consent import revoke
from parcelcare.tracking.models import Customer
from parcelcare.tracking.public_views import asked_language, not_found, private_response

CHANNELS = {c.value for c in Channel}


def opt_out(customer: Customer, channel: str) -> bool:
    """No more messages on `channel`: opted out, its consent removed; False if already so."""
    with transaction.atomic():
        fresh = Customer.objects.select_for_update().get(pk=customer.pk)
        current = list(fresh.opted_out or [])
        if channel in current:
            return False
        fresh.opted_out = [*current, channel]
        revoke(fresh, [channel])
        fresh.save(update_fields=["opted_out", "consent", "consent_at"])
        record(
            shop_id=fresh.shop_id,
            at=clock.now(),
            actor_type="customer",
            actor="",
            subject_type="customer",
            subject_id=fresh.pk,
            action="opted_out",
            after={"channel": channel},
        )
    return True


# Mail apps post the one-click request without a session or a CSRF token; the link's
# unguessable token is the authorisation, and the action can only reduce what is sent.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button; POST records the opt-out for the channel in the link."""
    customer = Customer.objects.filter(unsubscribe_token=token).select_related("shop").first()
    channel = request.GET.get("channel") or "email"
    if customer is None or channel not in CHANNELS:
        return not_found(request)
    lang = asked_language(request) or customer.language or customer.shop.default_language
    done = request.method == "POST"
    if done:
        opt_out(customer, channel)
    with translation.override(lang):
        response = render(
            request,
            "messaging/unsubscribe.html",
            {"shop_name": customer.shop.name, "done": done, "channel": channel},
        )
    return private_response(response, lang)

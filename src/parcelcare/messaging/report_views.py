"""/webhooks/reports/<provider>/<shop>: delivery reports verified, stored, then applied at once.

The raw report goes to the webhook inbox first; applying it is one UPDATE, done in the request
so the answer can count what matched. If applying fails, the stored report waits for the worker.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.models import Connection, Shop
from parcelcare.integrations.channels.report_sources import (
    REPORT_SOURCES,
    WHATSAPP,
    ReportSource,
    SignedRequest,
)
from parcelcare.integrations.channels.reports import whatsapp_challenge
from parcelcare.integrations.webhooks import InvalidWebhook
from parcelcare.tracking.inbox import finish, receive, secrets_for
from parcelcare.tracking.webhook_views import kick_worker, problem, too_big

from .delivery import apply_reports

log = logging.getLogger(__name__)


def _signed(request: HttpRequest) -> SignedRequest:
    """The request as the provider signed it, at the public address and at the one seen here."""
    path = request.get_full_path()
    urls = tuple(dict.fromkeys((f"{settings.PUBLIC_URL}{path}", request.build_absolute_uri())))
    headers = {name.lower(): value for name, value in request.headers.items()}
    return SignedRequest(urls, headers, request.body, request.META.get("QUERY_STRING", ""))


def _challenge(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Meta's check of the webhook address: echo the challenge for the shop's verify token."""
    link = Connection.objects.filter(shop_id=shop_id, source=WHATSAPP.slug).first()
    token = str((link.settings or {}).get("verify_token", "")) if link else ""
    answer = whatsapp_challenge(request.GET.dict(), token)
    if answer is None:
        return problem(403, "Verification refused", "the verify token does not match")
    return HttpResponse(answer, content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def receive_report(request: HttpRequest, provider: str, shop_id: int) -> HttpResponse:
    """Verify a provider's report for the shop, keep it, and mark the outbox rows it names."""
    source = REPORT_SOURCES.get(provider)
    if source is None:
        return problem(404, "Unknown provider", f"no delivery report provider {provider!r}")
    if source is WHATSAPP and request.method == "GET":
        return _challenge(request, shop_id)
    if too_big(request):
        return problem(413, "Payload too large", "delivery reports are limited to 1 MiB")
    now = clock.now()
    shop = Shop.objects.filter(id=shop_id).only("id").first()
    # An unknown shop and a bad signature answer alike, so shop ids cannot be probed.
    secrets = secrets_for(shop.id, source.slug, now) if shop else []
    signed = _signed(request)
    if shop is None or not source.verify(signed, secrets, now):
        return problem(401, "Invalid signature", "the signature does not match this shop's secret")
    return _store_and_apply(shop.id, source, signed, now)


def _store_and_apply(
    shop_id: int, source: ReportSource, signed: SignedRequest, now: datetime
) -> JsonResponse:
    """Keep the report in the inbox, then apply it in one transaction that marks it done."""
    payload = source.payload(signed)
    try:
        reports = source.handle("", payload).reports
    except InvalidWebhook as error:
        return problem(400, "Invalid report", str(error))
    received = receive(
        shop_id=shop_id, source=source, headers=signed.headers, body=payload, now=now
    )
    if received.duplicate or received.item_id is None:
        return JsonResponse({"duplicate": True})
    try:
        with transaction.atomic():
            applied = apply_reports(shop_id=shop_id, reports=reports)
            finish(received.item_id, attempts=1, now=now, note=applied.note())
    except DatabaseError:
        log.warning("delivery report %s kept for the worker", received.item_id)
        kick_worker()
        return JsonResponse({"received": received.item_id, "queued": True}, status=202)
    return JsonResponse({"received": received.item_id, **applied.as_dict()})

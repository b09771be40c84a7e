"""POST /webhooks/<source>/<shop>: verify over the raw bytes, store, answer at once."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.integrations.shops import woocommerce
from parcelcare.integrations.sources import SOURCES
from parcelcare.integrations.webhooks import InvalidWebhook

from .inbox import receive, secrets_for

MAX_BODY = 1024 * 1024


def problem(status: int, title: str, detail: str) -> JsonResponse:
    """An HTTP problem details answer (RFC 9457)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json")


def too_big(request: HttpRequest) -> bool:
    """Whether the request's body is, or says it is, over the limit."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    return declared > MAX_BODY or len(request.body) > MAX_BODY


@csrf_exempt
@require_POST
def receive_webhook(request: HttpRequest, source: str, shop_id: int) -> JsonResponse:
    """Store a signed delivery in the inbox; processing happens in the worker."""
    sender = SOURCES.get(source)
    if sender is None:
        return problem(404, "Unknown source", f"no webhook source {source!r}")
    if too_big(request):
        return problem(413, "Payload too large", f"webhook bodies are limited to {MAX_BODY} bytes")
    body = request.body
    headers = {name.lower(): value for name, value in request.headers.items()}
    if source == woocommerce.SOURCE.slug and woocommerce.is_ping(headers, body):
        return JsonResponse({"ping": True})
    now = clock.now()
    shop = Shop.objects.filter(id=shop_id).only("id").first()
    # An unknown shop and a bad signature answer alike, so shop ids cannot be probed.
    secrets = secrets_for(shop.id, source, now) if shop else []
    if not sender.verify(headers, body, secrets):
        return problem(401, "Invalid signature", "the signature does not match this shop's secret")
    try:
        received = receive(shop_id=shop_id, source=sender, headers=headers, body=body, now=now)
    except InvalidWebhook as error:
        return problem(400, "Invalid webhook", str(error))
    if received.duplicate:
        return JsonResponse({"duplicate": True})
    kick_worker()
    return JsonResponse({"received": received.item_id}, status=202)


def kick_worker() -> None:
    """Ask the worker to process the inbox now; the minute sweep catches it otherwise."""
    from parcelcare.jobs import process_inbox

    process_inbox()

"""Provider webhooks about refunds, stored first in the webhook inbox: Stripe (signed events
with the refund object), PayPal (events verified through PayPal's verification API) and Mollie
(only a payment id, so the worker fetches its refunds). The endpoint verifies and stores; the
inbox worker settles payouts and retries failures. The periodic status check covers anything
a webhook never brings."""

import hashlib
import hmac
import json
import logging
import time

import httpx
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from parcelcare import clock
from parcelcare.integrations.payments.base import TIMEOUT, PaymentDeclined, PaymentRetry
from parcelcare.integrations.payments.paypal import PayPalPayouts, verify_webhook
from parcelcare.integrations.payments.webhooks import PAYOUT_SOURCES, RECEIVED_HEADER
from parcelcare.integrations.webhooks import InvalidWebhook
from parcelcare.tracking.inbox import receive

from .models import PayoutAccount
from .payouts import provider_for

log = logging.getLogger(__name__)
TOLERANCE = 300
MAX_BODY = 256 * 1024


def stripe_signature_ok(body: bytes, header: str, secret: str, now: float) -> bool:
    """Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">; any v1 may match; fresh."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t"]
    signatures = [v for k, v in parts if k == "v1"]
    if not stamps or not signatures or not stamps[0].isdigit() or not secret:
        return False
    if abs(now - int(stamps[0])) > TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), stamps[0].encode() + b"." + body, hashlib.sha256)
    return any(hmac.compare_digest(expected.hexdigest(), sig) for sig in signatures)


def _paypal_ok(account: PayoutAccount, headers: dict[str, str], body: bytes) -> bool:
    try:
        event = json.loads(body)
    except ValueError:
        return False
    if not isinstance(event, dict):
        return False
    with httpx.Client(timeout=TIMEOUT) as client:
        payouts = provider_for(account, client)
        assert isinstance(payouts, PayPalPayouts)
        webhook_id = str(account.settings.get("webhook_id", ""))
        return verify_webhook(payouts, headers=headers, event=event, webhook_id=webhook_id)


def _verified(account: PayoutAccount, headers: dict[str, str], body: bytes) -> bool:
    """Whether the delivery is genuine; Mollie signs nothing, the worker's fetch is its proof."""
    if account.provider == "stripe":
        secret = str(account.settings.get("webhook_secret", ""))
        header = headers.get("stripe-signature", "")
        return stripe_signature_ok(body, header, secret, clock.now().timestamp())
    if account.provider == "paypal":
        return _paypal_ok(account, headers, body)
    return True


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt
@require_POST
def payout_webhook(request: HttpRequest, provider: str, shop_id: int) -> HttpResponse:
    """Verify a provider's refund news and store it in the inbox; the worker applies it."""
    source = PAYOUT_SOURCES.get(provider)
    account = PayoutAccount.objects.filter(shop_id=shop_id, provider=provider).first()
    if source is None or account is None:
        return _problem(404, "unknown provider or shop")
    body = request.body
    if len(body) > MAX_BODY:
        return _problem(413, f"webhook bodies are limited to {MAX_BODY} bytes")
    now = clock.now()
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers[RECEIVED_HEADER] = now.isoformat()
    try:
        if not _verified(account, headers, body):
            return _problem(401, "signature does not match")
    except (PaymentRetry, PaymentDeclined) as error:
        log.warning("payout webhook %s: verification unavailable (%s)", provider, error)
        return _problem(503, "the signature cannot be verified now")
    try:
        received = receive(shop_id=shop_id, source=source, headers=headers, body=body, now=now)
    except InvalidWebhook as error:
        return _problem(400, str(error))
    if received.duplicate:
        return JsonResponse({"duplicate": True})
    from parcelcare.tracking.webhook_views import kick_worker

    kick_worker()
    return JsonResponse({"received": received.item_id}, status=202)


def sign_stripe(body: bytes, secret: str, at: int | None = None) -> str:
    """A Stripe-Signature header for a body (tests and the benchmark sign their events)."""
    stamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"

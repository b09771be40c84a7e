"""Provider webhooks about refunds: Stripe (signed events with the refund object) and Mollie
(only a payment id, so its refunds are fetched). A refund that reached succeeded or failed
settles its payout; a failure to apply answers 500 so the provider delivers again, and the
periodic status check covers anything a webhook never brings."""

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
from parcelcare.integrations.payments.base import (
    TIMEOUT,
    PaymentDeclined,
    PaymentRetry,
    RefundResult,
)
from parcelcare.integrations.payments.stripe import STATES as STRIPE_STATES

from .models import Payout, PayoutAccount
from .payouts import apply_provider_status, provider_for

log = logging.getLogger(__name__)
TOLERANCE = 300
STRIPE_TYPES = frozenset(
    {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}
)


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


def _stripe(request: HttpRequest, account: PayoutAccount) -> list[RefundResult]:
    secret = str(account.settings.get("webhook_secret", ""))
    header = request.headers.get("Stripe-Signature", "")
    if not stripe_signature_ok(request.body, header, secret, clock.now().timestamp()):
        raise PermissionError("bad signature")
    event = json.loads(request.body)
    refund = (event.get("data") or {}).get("object") or {}
    if event.get("type") not in STRIPE_TYPES or refund.get("object") != "refund":
        return []
    state = STRIPE_STATES.get(str(refund.get("status")), "pending")
    return [RefundResult(str(refund["id"]), state, str(refund.get("failure_reason") or ""))]


def _mollie(request: HttpRequest, account: PayoutAccount) -> list[RefundResult]:
    payment = request.POST.get("id", "")
    waiting = Payout.objects.filter(
        shop_id=account.shop_id,
        provider="mollie",
        payment_reference=payment,
        status=Payout.Status.PENDING,
    ).values_list("provider_refund_id", flat=True)
    results = []
    with httpx.Client(timeout=TIMEOUT) as client:
        provider = provider_for(account, client)
        for refund_id in waiting:
            try:  # a made-up call changes nothing: only Mollie's own answer counts
                results.append(provider.status(payment_reference=payment, refund_id=refund_id))
            except (PaymentDeclined, PaymentRetry):
                continue
    return results


READERS = {"stripe": _stripe, "mollie": _mollie}


@csrf_exempt
@require_POST
def payout_webhook(request: HttpRequest, provider: str, shop_id: int) -> HttpResponse:
    """Apply a provider's refund news to the shop's payouts."""
    reader = READERS.get(provider)
    account = PayoutAccount.objects.filter(shop_id=shop_id, provider=provider).first()
    if reader is None or account is None:
        return JsonResponse({"detail": "unknown provider or shop"}, status=404)
    try:
        results = reader(request, account)
    except PermissionError:
        return JsonResponse({"detail": "signature does not match"}, status=401)
    except (ValueError, KeyError):
        return JsonResponse({"detail": "not a refund event"}, status=400)
    moved = apply_provider_status(
        provider=provider, shop_id=shop_id, results=results, now=clock.now()
    )
    log.info("payout webhook %s: %d results, %d settled", provider, len(results), moved)
    return JsonResponse({"results": len(results), "settled": moved})


def sign_stripe(body: bytes, secret: str, at: int | None = None) -> str:
    """A Stripe-Signature header for a body (tests and the benchmark sign their events)."""
    stamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"

"""Apply payout webhook news in the inbox worker: settle refunds a provider reported, or fetch
the waiting refunds of a payment Mollie named. A provider that cannot answer now raises, so
the inbox retries the stored delivery."""

from collections.abc import Iterable
from datetime import datetime

import httpx

from parcelcare.integrations.payments.base import TIMEOUT, PaymentDeclined, RefundResult
from parcelcare.integrations.payments.webhooks import RefundNews

from .models import Payout, PayoutAccount
from .payouts import apply_provider_status, provider_for


def apply_refund_news(*, shop_id: int, news: Iterable[RefundNews], now: datetime) -> int:
    """Settle the shop's payouts the news names; returns how many moved."""
    moved = 0
    for item in news:
        results = _fetched(shop_id, item) if item.fetch_payment else item.results
        moved += apply_provider_status(
            provider=item.provider, shop_id=shop_id, results=results, now=now
        )
    return moved


def _fetched(shop_id: int, item: RefundNews) -> list[RefundResult]:
    """The current state of each waiting refund of the payment, as the provider tells it."""
    waiting = list(
        Payout.objects.filter(
            shop_id=shop_id,
            provider=item.provider,
            payment_reference=item.fetch_payment,
            status=Payout.Status.PENDING,
        ).values_list("provider_refund_id", flat=True)
    )
    account = PayoutAccount.objects.filter(shop_id=shop_id, provider=item.provider).first()
    if not waiting or account is None:
        return []
    results = []
    with httpx.Client(timeout=TIMEOUT) as client:
        provider = provider_for(account, client)
        for refund_id in waiting:
            try:  # a made-up payment id changes nothing: only the provider's answer counts
                results.append(
                    provider.status(payment_reference=item.fetch_payment, refund_id=refund_id)
                )
            except PaymentDeclined:
                continue  # PaymentRetry propagates: the inbox tries the delivery again
    return results

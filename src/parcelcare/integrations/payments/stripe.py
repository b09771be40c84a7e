"""Stripe refunds: POST /v1/refunds (form-encoded) with an Idempotency-Key header."""

from dataclasses import dataclass

import httpx

from .base import PaymentRetry, RefundOrder, RefundResult, State, json_of, raise_for, send

API = "https://api.stripe.com"
STATES: dict[str, State] = {
    "succeeded": "succeeded",
    "pending": "pending",
    "requires_action": "pending",
    "failed": "failed",
    "canceled": "failed",
}
RETRY_CODES = frozenset({"balance_insufficient", "rate_limit", "lock_timeout"})


@dataclass
class StripePayouts:
    """Refunds against a PaymentIntent (pi_…) or a Charge (ch_…), with the secret key."""

    client: httpx.Client
    secret_key: str
    base_url: str = API
    name: str = "stripe"

    def _headers(self, key: str = "") -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.secret_key}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def _result(self, response: httpx.Response) -> RefundResult:
        body = json_of(response)
        error = body.get("error") or {}
        message = f"{error.get('code', '')} {error.get('message', '')}".strip()
        if not response.is_success and error.get("code") in RETRY_CODES:
            raise PaymentRetry(f"{response.status_code}: {message}"[:280])
        raise_for(response, message)
        state = STATES.get(str(body.get("status")), "pending")
        return RefundResult(str(body["id"]), state, str(body.get("failure_reason") or ""))

    def refund(self, order: RefundOrder) -> RefundResult:
        """Create the refund; Stripe replays the first answer for the same key."""
        field = "charge" if order.payment_reference.startswith("ch_") else "payment_intent"
        data = {
            field: order.payment_reference,
            "amount": str(order.amount),
            "reason": "requested_by_customer",
            "metadata[parcelcare_key]": order.idempotency_key,
        }
        request = self.client.build_request(
            "POST",
            f"{self.base_url}/v1/refunds",
            data=data,
            headers=self._headers(order.idempotency_key),
        )
        return self._result(send(self.client, request))

    def status(self, *, payment_reference: str, refund_id: str) -> RefundResult:
        """GET /v1/refunds/{id}."""
        request = self.client.build_request(
            "GET", f"{self.base_url}/v1/refunds/{refund_id}", headers=self._headers()
        )
        return self._result(send(self.client, request))

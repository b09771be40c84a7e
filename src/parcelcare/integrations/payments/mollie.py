"""Mollie refunds: POST /v2/payments/{id}/refunds with an Idempotency-Key header."""

from dataclasses import dataclass

import httpx

from .base import RefundOrder, RefundResult, State, json_of, raise_for, send, to_decimal

API = "https://api.mollie.com"
STATES: dict[str, State] = {
    "queued": "pending",
    "pending": "pending",
    "processing": "pending",
    "refunded": "succeeded",
    "failed": "failed",
    "canceled": "failed",
}


@dataclass
class MolliePayouts:
    """Refunds of a Mollie payment (tr_…) with the live or test API key."""

    client: httpx.Client
    api_key: str
    base_url: str = API
    name: str = "mollie"

    def _result(self, response: httpx.Response) -> RefundResult:
        body = json_of(response)
        raise_for(response, str(body.get("detail") or body.get("title") or ""))
        return RefundResult(str(body["id"]), STATES.get(str(body.get("status")), "pending"))

    def refund(self, order: RefundOrder) -> RefundResult:
        """Create the refund; Mollie answers a repeated key with the first refund."""
        body = {
            "amount": {
                "currency": order.currency,
                "value": to_decimal(order.amount, order.currency),
            },
            "description": order.reason[:140] or "Refund",
            "metadata": {"parcelcare_key": order.idempotency_key},
        }
        request = self.client.build_request(
            "POST",
            f"{self.base_url}/v2/payments/{order.payment_reference}/refunds",
            json=body,
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": order.idempotency_key,
            },
        )
        return self._result(send(self.client, request))

    def status(self, *, payment_reference: str, refund_id: str) -> RefundResult:
        """GET /v2/payments/{payment}/refunds/{refund}."""
        request = self.client.build_request(
            "GET",
            f"{self.base_url}/v2/payments/{payment_reference}/refunds/{refund_id}",
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        return self._result(send(self.client, request))

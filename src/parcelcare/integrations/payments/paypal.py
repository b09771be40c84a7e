"""PayPal refunds: POST /v2/payments/captures/{id}/refund with a PayPal-Request-Id header,
after an OAuth client-credentials token."""

from dataclasses import dataclass, field

import httpx

from .base import (
    PaymentRetry,
    RefundOrder,
    RefundResult,
    State,
    basic_auth,
    json_of,
    raise_for,
    send,
    to_decimal,
)

API = "https://api-m.paypal.com"
STATES: dict[str, State] = {
    "COMPLETED": "succeeded",
    "PENDING": "pending",
    "FAILED": "failed",
    "CANCELLED": "failed",
}


def _message(body: dict) -> str:
    issues = [str(d.get("issue", "")) for d in body.get("details") or [] if isinstance(d, dict)]
    return " ".join([str(body.get("name", "")), *issues, str(body.get("message", ""))]).strip()


@dataclass
class PayPalPayouts:
    """Refunds of a PayPal capture with the REST app's client id and secret."""

    client: httpx.Client
    client_id: str
    secret: str
    base_url: str = API
    name: str = "paypal"
    _token: str = field(default="", repr=False)

    def _bearer(self) -> dict[str, str]:
        if not self._token:
            request = self.client.build_request(
                "POST",
                f"{self.base_url}/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                headers=basic_auth(self.client_id, self.secret),
            )
            response = send(self.client, request)
            body = json_of(response)
            raise_for(response, str(body.get("error_description") or body.get("error") or ""))
            self._token = str(body["access_token"])
        return {"Authorization": f"Bearer {self._token}"}

    def _result(self, response: httpx.Response) -> RefundResult:
        body = json_of(response)
        if response.status_code == 401:
            self._token = ""  # an expired token: a new one on the next try
            raise PaymentRetry("401: the access token expired")
        raise_for(response, _message(body))
        return RefundResult(str(body["id"]), STATES.get(str(body.get("status")), "pending"))

    def refund(self, order: RefundOrder) -> RefundResult:
        """Refund part or all of a capture; PayPal replays the answer for the same request id."""
        body = {
            "amount": {
                "value": to_decimal(order.amount, order.currency),
                "currency_code": order.currency,
            },
            "invoice_id": order.idempotency_key[:127],
            "note_to_payer": order.reason[:255] or "Refund",
        }
        request = self.client.build_request(
            "POST",
            f"{self.base_url}/v2/payments/captures/{order.payment_reference}/refund",
            json=body,
            headers={
                **self._bearer(),
                "PayPal-Request-Id": order.idempotency_key,
                "Prefer": "return=representation",
            },
        )
        return self._result(send(self.client, request))

    def status(self, *, payment_reference: str, refund_id: str) -> RefundResult:
        """GET /v2/payments/refunds/{id}."""
        request = self.client.build_request(
            "GET", f"{self.base_url}/v2/payments/refunds/{refund_id}", headers=self._bearer()
        )
        return self._result(send(self.client, request))


VERIFY_HEADERS = {
    "auth_algo": "paypal-auth-algo",
    "cert_url": "paypal-cert-url",
    "transmission_id": "paypal-transmission-id",
    "transmission_sig": "paypal-transmission-sig",
    "transmission_time": "paypal-transmission-time",
}


def verify_webhook(
    payouts: PayPalPayouts, *, headers: dict[str, str], event: dict, webhook_id: str
) -> bool:
    """POST /v1/notifications/verify-webhook-signature: True only for SUCCESS; PaymentRetry
    when PayPal cannot answer now (the delivery is then refused and PayPal sends it again)."""
    fields = {name: headers.get(header, "") for name, header in VERIFY_HEADERS.items()}
    if not webhook_id or not all(fields.values()):
        return False
    request = payouts.client.build_request(
        "POST",
        f"{payouts.base_url}/v1/notifications/verify-webhook-signature",
        json={**fields, "webhook_id": webhook_id, "webhook_event": event},
        headers=payouts._bearer(),
    )
    response = send(payouts.client, request)
    body = json_of(response)
    raise_for(response, _message(body))
    return body.get("verification_status") == "SUCCESS"

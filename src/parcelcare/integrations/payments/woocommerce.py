"""WooCommerce refunds: POST /wp-json/wc/v3/orders/{id}/refunds with api_refund, so the
store's payment gateway pays it. WooCommerce has no idempotency header: our key goes into the
refund's meta_data, and before each try the order's refunds are read to find an earlier one."""

from dataclasses import dataclass

import httpx

from .base import RefundOrder, RefundResult, basic_auth, json_of, raise_for, send, to_decimal

META_KEY = "_parcelcare_key"


@dataclass
class WooCommercePayouts:
    """Refunds of a WooCommerce order (its numeric id) with a REST API consumer key/secret."""

    client: httpx.Client
    store_url: str
    consumer_key: str
    consumer_secret: str
    name: str = "woocommerce"

    def _url(self, order_id: str, tail: str = "") -> str:
        return f"{self.store_url.rstrip('/')}/wp-json/wc/v3/orders/{order_id}/refunds{tail}"

    def _send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        headers = basic_auth(self.consumer_key, self.consumer_secret)
        request = self.client.build_request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
        response = send(self.client, request)
        body = json_of(response)
        raise_for(response, f"{body.get('code', '')} {body.get('message', '')}".strip())
        return response

    def _earlier(self, order: RefundOrder) -> RefundResult | None:
        refunds = self._send("GET", self._url(order.payment_reference), params={"per_page": 100})
        for refund in refunds.json() if isinstance(refunds.json(), list) else []:
            meta = {m.get("key"): m.get("value") for m in refund.get("meta_data") or []}
            if meta.get(META_KEY) == order.idempotency_key:
                return RefundResult(str(refund["id"]), "succeeded")
        return None

    def refund(self, order: RefundOrder) -> RefundResult:
        """Pay the refund through the store's gateway unless an earlier try already did."""
        earlier = self._earlier(order)
        if earlier is not None:
            return earlier
        body = {
            "amount": to_decimal(order.amount, order.currency),
            "reason": order.reason[:200],
            "api_refund": True,
            "meta_data": [{"key": META_KEY, "value": order.idempotency_key}],
        }
        response = self._send("POST", self._url(order.payment_reference), json=body)
        return RefundResult(str(json_of(response)["id"]), "succeeded")

    def status(self, *, payment_reference: str, refund_id: str) -> RefundResult:
        """A WooCommerce refund exists only once its gateway paid it."""
        self._send("GET", self._url(payment_reference, f"/{refund_id}"))
        return RefundResult(refund_id, "succeeded")

"""Shopify refunds through the Admin GraphQL API: the order's successful sale or capture is
read, then `refundCreate` runs with the mandatory `@idempotent(key:)` directive, or
`returnProcess` when the return was opened in Shopify."""

from dataclasses import dataclass
from typing import Any

import httpx

from .base import PaymentDeclined, RefundOrder, RefundResult, json_of, raise_for, send, to_decimal

VERSION = "2026-04"
TRANSACTIONS = """query Transactions($id: ID!) {
  order(id: $id) { transactions(first: 20) { id kind status gateway } }
}"""
REFUND = """mutation Refund($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id createdAt totalRefundedSet { presentmentMoney { amount currencyCode } } }
    userErrors { field message }
  }
}"""
REFUND_STATUS = """query RefundStatus($id: ID!) { refund(id: $id) { id createdAt } }"""


def order_gid(reference: str) -> str:
    """The order's GraphQL id from a numeric id or a gid."""
    return reference if reference.startswith("gid://") else f"gid://shopify/Order/{reference}"


@dataclass
class ShopifyPayouts:
    """Refunds of a Shopify order with an Admin API access token (write_orders scope)."""

    client: httpx.Client
    store_domain: str
    access_token: str
    name: str = "shopify"

    def _query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        request = self.client.build_request(
            "POST",
            f"https://{self.store_domain}/admin/api/{VERSION}/graphql.json",
            json={"query": query, "variables": variables},
            headers={"X-Shopify-Access-Token": self.access_token},
        )
        response = send(self.client, request)
        body = json_of(response)
        errors = body.get("errors") or []
        raise_for(response, str(errors)[:200])
        if errors:
            codes = " ".join(str((e.get("extensions") or {}).get("code", "")) for e in errors)
            raise_for(httpx.Response(503 if "THROTTLED" in codes else 422), str(errors)[:200])
        return body.get("data") or {}

    def _parent(self, order_id: str) -> dict[str, Any]:
        data = self._query(TRANSACTIONS, {"id": order_id})
        for tx in (data.get("order") or {}).get("transactions") or []:
            if tx.get("status") == "SUCCESS" and tx.get("kind") in ("SALE", "CAPTURE"):
                return dict(tx)
        raise PaymentDeclined("the order has no successful payment to refund")

    def refund(self, order: RefundOrder) -> RefundResult:
        """Refund against the order's payment; Shopify returns the first refund for a key."""
        order_id = order_gid(order.payment_reference)
        parent = self._parent(order_id)
        if order.return_id:
            from .shopify_returns import ReturnLink, process_return

            link = ReturnLink(order.return_id, list(order.return_lines))
            refund_id = process_return(
                self,
                link=link,
                parent_id=parent["id"],
                amount=order.amount,
                currency=order.currency,
                key=order.idempotency_key,
            )
            return RefundResult(refund_id, "succeeded")
        refund_input = {
            "orderId": order_id,
            "note": order.reason[:255],
            "notify": True,
            "transactions": [
                {
                    "orderId": order_id,
                    "parentId": parent["id"],
                    "gateway": parent["gateway"],
                    "kind": "REFUND",
                    "amount": to_decimal(order.amount, order.currency),
                }
            ],
        }
        data = self._query(REFUND, {"input": refund_input, "key": order.idempotency_key})
        payload = data.get("refundCreate") or {}
        if errors := payload.get("userErrors"):
            message = "; ".join(str(e.get("message", "")) for e in errors)
            raise_for(httpx.Response(422), message)
        return RefundResult(str(payload["refund"]["id"]), "succeeded")

    def status(self, *, payment_reference: str, refund_id: str) -> RefundResult:
        """A Shopify refund exists once its transactions were made."""
        data = self._query(REFUND_STATUS, {"id": refund_id})
        if not data.get("refund"):
            raise PaymentDeclined(f"refund {refund_id} is unknown to the store")
        return RefundResult(refund_id, "succeeded")

"""Shopify returns through the Admin GraphQL API: the order's returnable fulfillment line
items are read, `returnCreate` opens the return, and `returnProcess` refunds it with an
`@idempotent(key:)` directive. userErrors are PaymentDeclined with Shopify's words."""

from dataclasses import dataclass
from typing import Any

import httpx

from .base import PaymentDeclined, raise_for, to_decimal
from .shopify import ShopifyPayouts, order_gid

RETURNABLE = """query Returnable($id: ID!) {
  returnableFulfillments(orderId: $id, first: 20) {
    nodes {
      returnableFulfillmentLineItems(first: 100) {
        nodes { quantity fulfillmentLineItem { id lineItem { sku } } }
      }
    }
  }
}"""
CREATE = """mutation ReturnCreate($input: ReturnInput!) {
  returnCreate(returnInput: $input) {
    return { id status returnLineItems(first: 100) {
      nodes { ... on ReturnLineItem { id quantity fulfillmentLineItem { id } } }
    } }
    userErrors { field message }
  }
}"""
PROCESS = """mutation ReturnProcess($input: ReturnProcessInput!, $key: String!) {
  returnProcess(input: $input) @idempotent(key: $key) {
    return { id status refunds(first: 10) { nodes { id } } }
    userErrors { field message code }
  }
}"""
REASONS = {"damaged": "DEFECTIVE", "defective": "DEFECTIVE", "wrong_item": "WRONG_ITEM"}


@dataclass(frozen=True)
class ReturnLink:
    """A return opened in Shopify: its id and its return line items (id, quantity)."""

    return_id: str
    lines: list[tuple[str, int]]


def _user_errors(payload: dict[str, Any]) -> None:
    if errors := payload.get("userErrors"):
        message = "; ".join(str(e.get("message", "")) for e in errors)
        raise_for(httpx.Response(422), message or "userErrors")


def returnable(shopify: ShopifyPayouts, order_reference: str) -> dict[str, list[tuple[str, int]]]:
    """Returnable fulfillment line items by SKU: (fulfillment line item id, quantity left)."""
    data = shopify._query(RETURNABLE, {"id": order_gid(order_reference)})
    found: dict[str, list[tuple[str, int]]] = {}
    for fulfillment in (data.get("returnableFulfillments") or {}).get("nodes") or []:
        items = (fulfillment.get("returnableFulfillmentLineItems") or {}).get("nodes") or []
        for item in items:
            line = item.get("fulfillmentLineItem") or {}
            sku = str((line.get("lineItem") or {}).get("sku") or "")
            if sku and line.get("id"):
                found.setdefault(sku, []).append((str(line["id"]), int(item.get("quantity", 0))))
    return found


def map_lines(
    wanted: list[tuple[str, int]], available: dict[str, list[tuple[str, int]]]
) -> list[tuple[str, int]]:
    """(fulfillment line item id, quantity) for each (sku, quantity); PaymentDeclined naming
    the SKU when Shopify has no returnable fulfillment line for it."""
    left = {sku: list(lines) for sku, lines in available.items()}
    mapped: list[tuple[str, int]] = []
    for sku, quantity in wanted:
        need = quantity
        for index, (line_id, free) in enumerate(left.get(sku, [])):
            take = min(need, free)
            if take:
                mapped.append((line_id, take))
                left[sku][index] = (line_id, free - take)
                need -= take
        if need:
            raise PaymentDeclined(f"no returnable Shopify fulfillment line for SKU {sku}")
    return mapped


def create_return(
    shopify: ShopifyPayouts, *, order_reference: str, lines: list[tuple[str, int]], reason: str
) -> ReturnLink:
    """returnCreate with the fulfillment line items; the customer is told by parcelcare."""
    return_input = {
        "orderId": order_gid(order_reference),
        "notifyCustomer": False,
        "returnLineItems": [
            {
                "fulfillmentLineItemId": line_id,
                "quantity": quantity,
                "returnReason": REASONS.get(reason, "OTHER"),
            }
            for line_id, quantity in lines
        ],
    }
    payload = shopify._query(CREATE, {"input": return_input}).get("returnCreate") or {}
    _user_errors(payload)
    made = payload.get("return") or {}
    items = (made.get("returnLineItems") or {}).get("nodes") or []
    return ReturnLink(str(made["id"]), [(str(i["id"]), int(i["quantity"])) for i in items])


def process_return(
    shopify: ShopifyPayouts,
    *,
    link: ReturnLink,
    parent_id: str,
    amount: int,
    currency: str,
    key: str,
) -> str:
    """returnProcess: confirm the return's lines and refund the amount; the refund's id."""
    process_input = {
        "returnId": link.return_id,
        "returnLineItems": [{"id": line_id, "quantity": qty} for line_id, qty in link.lines],
        "financialTransfer": {
            "issueRefund": {
                "orderTransactions": [
                    {
                        "parentId": parent_id,
                        "transactionAmount": {
                            "amount": to_decimal(amount, currency),
                            "currencyCode": currency,
                        },
                    }
                ]
            }
        },
        "notifyCustomer": False,
    }
    data = shopify._query(PROCESS, {"input": process_input, "key": key})
    payload = data.get("returnProcess") or {}
    _user_errors(payload)
    made = payload.get("return") or {}
    refunds = (made.get("refunds") or {}).get("nodes") or []
    return str(refunds[-1]["id"]) if refunds else str(made["id"])

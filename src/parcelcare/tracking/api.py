"""Tracking routes: orders and events in, shipments and orders out. No business rules here."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from parcelcare import clock, jsontext
from parcelcare.api_docs import inline, problems

from .ingest import MAX_BATCH, ingest_events
from .limits import MAX_ID
from .orders import upsert_order
from .queries import (
    MAX_PAGE,
    BadFilter,
    ShipmentFilter,
    order_detail,
    page,
    shipment_detail,
    shipment_dict,
    shipments,
)
from .schemas import EventBatchOut, EventIn, OrderIn, OrderOut, ShipmentDetailOut, ShipmentPage

router = Router(tags=["tracking"])
MAX_EVENTS_BODY = 16 * 1024 * 1024


def _shop(request: HttpRequest) -> Any:
    return request.shop  # type: ignore[attr-defined]


@router.post(
    "/orders",
    response={200: OrderOut, 201: OrderOut},
    openapi_extra=problems(400, 409, 413, 422),
)
def post_order(request: HttpRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    """Create or update an order (idempotent on order_number). An update may not change the
    currency, nor lower the total below what the ledger already refunded (409)."""
    shop = _shop(request)
    created = upsert_order(
        shop_id=shop.id, default_language=shop.default_language, data=payload, now=clock.now()
    )
    detail = order_detail(shop.id, payload.order_number)
    assert detail is not None  # just written in this request
    return Status(201 if created else 200, detail)


EVENTS_BODY = problems(
    400,
    413,
    extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["events"],
                        "properties": {
                            "events": {
                                "type": "array",
                                "maxItems": MAX_BATCH,
                                "items": inline(EventIn.model_json_schema()),
                            }
                        },
                    }
                }
            },
        }
    },
)


def _event_items(request: HttpRequest) -> list[Any]:
    """The batch's items; 413 when too big, 400 when not JSON of the documented shape."""
    if len(request.body) > MAX_EVENTS_BODY:
        raise HttpError(413, f"request body over {MAX_EVENTS_BODY // (1024 * 1024)} MiB")
    try:
        body = jsontext.loads(request.body)
    except jsontext.BadJson as error:
        raise HttpError(400, f"body is {error}") from None
    items = body.get("events") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise HttpError(400, 'body must be an object with an "events" array')
    if len(items) > MAX_BATCH:
        raise HttpError(413, f"{len(items)} events in one batch; the limit is {MAX_BATCH}")
    return items


@router.post("/tracking-events", response=EventBatchOut, openapi_extra=EVENTS_BODY)
def post_events(request: HttpRequest) -> dict[str, Any]:
    """Ingest a batch of carrier events; valid items are kept when others are rejected."""
    items = _event_items(request)
    result = ingest_events(shop_id=_shop(request).id, items=items, now=clock.now())
    return result.as_dict()


class ShipmentQuery(Schema):
    """Query parameters of the shipment list."""

    status: str | None = Field(None, max_length=32)
    finding: str | None = Field(None, max_length=32)
    level: int | None = Field(None, ge=1, le=3)
    carrier: str | None = Field(None, max_length=32)
    tracking_number: str | None = Field(None, max_length=64)
    cursor: str | None = Field(None, max_length=64)
    limit: int = Field(50, ge=1, le=MAX_PAGE)


@router.get("/shipments", response=ShipmentPage, openapi_extra=problems(400, 422))
def list_shipments(request: HttpRequest, q: Query[ShipmentQuery]) -> dict[str, Any]:
    """Shipments of the shop, newest first, filtered; follow next_cursor for more."""
    flt = ShipmentFilter(q.status, q.finding, q.level, q.carrier, q.tracking_number)
    try:
        items, cursor = page(shipments(_shop(request).id, flt), q.cursor, q.limit)
    except BadFilter as error:
        raise HttpError(400, str(error)) from None
    return {"items": [shipment_dict(s) for s in items], "next_cursor": cursor}


@router.get(
    "/shipments/{shipment_id}", response=ShipmentDetailOut, openapi_extra=problems(404, 422)
)
def get_shipment(
    request: HttpRequest, shipment_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """One shipment with its timeline, open findings and next review time."""
    detail = shipment_detail(_shop(request).id, shipment_id)
    if detail is None:
        raise HttpError(404, f"no shipment {shipment_id} in this shop")
    return detail


@router.get("/orders/{order_number}", response=OrderOut, openapi_extra=problems(404, 422))
def get_order(
    request: HttpRequest, order_number: str = Path(..., min_length=1, max_length=64)
) -> dict[str, Any]:
    """One order with its customer, lines and shipments."""
    detail = order_detail(_shop(request).id, order_number)
    if detail is None:
        raise HttpError(404, f"no order {order_number!r} in this shop")
    return detail

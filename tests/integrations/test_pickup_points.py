"""Pickup points read from carrier payloads, carried to the shipment through webhooks and polls."""

import json
from pathlib import Path
from typing import Any

from conftest import NOW, ApiShop, order_payload
from parcelcare.integrations.carriers.aftership.webhook import SOURCE as AFTERSHIP
from parcelcare.integrations.carriers.pickup import (
    PickupPoint,
    from_aftership,
    from_postnl_answer,
)
from parcelcare.tracking.inbox import apply_outcome
from parcelcare.tracking.models import Shipment
from parcelcare.tracking.pickup_points import pickup_point_of, save_pickup_points

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
POSTNL = FIXTURES / "tracking" / "postnl" / "completestatus.http"


def postnl_answer(with_pickup: bool) -> dict[str, Any]:
    """A recorded CompleteStatus answer; with a pickup location address (type 09) added."""
    document = json.loads(POSTNL.read_text().split("\n\n", 1)[1])
    shipment = document["CompleteStatus"]["Shipment"]
    shipment = shipment[0] if isinstance(shipment, list) else shipment
    if with_pickup:
        shipment["Address"].append(
            {
                "AddressType": "09",
                "City": "Utrecht",
                "CompanyName": "Primera Utrecht Centrum",
                "CountryCode": "NL",
                "FirstName": {},
                "HouseNumber": "12",
                "HouseNumberSuffix": "a",
                "LastName": {},
                "Remark": {},
                "Street": "Oudegracht",
                "Zipcode": "3511AB",
            }
        )
    return document


def test_aftership_pickup_location_and_note() -> None:
    recorded = json.loads(
        (FIXTURES / "tracking" / "aftership" / "pyaftership_post_trackings.json").read_text()
    )
    point = from_aftership(recorded["data"]["tracking"])
    assert point == PickupPoint(
        name="Flagship Store",
        hours="Contact shop keepers when you arrive our stores for shipment pickup",
    )
    assert from_aftership({"pickup_location": None, "pickup_note": None}) is None


def test_postnl_pickup_location_address() -> None:
    found = from_postnl_answer(json.dumps(postnl_answer(with_pickup=True)))
    [(number, point)] = found.items()
    assert point == PickupPoint(
        name="Primera Utrecht Centrum", address="Oudegracht 12 a, 3511AB Utrecht"
    )
    assert number and number == number.upper()
    # The recorded answer names the receiver (01) and sender (02) only: no pickup point.
    assert from_postnl_answer(POSTNL.read_text().split("\n\n", 1)[1]) == {}
    assert from_postnl_answer(b"not json") == {}


def test_an_aftership_push_stores_the_pickup_point_on_the_shipment(api_shop: ApiShop) -> None:
    body = json.loads(
        (FIXTURES / "webhooks" / "aftership" / "tracking_update_cn_to_nl.json").read_text()
    )
    number = body["msg"]["tracking_number"]
    api_shop.post("orders", order_payload(number="501", tracking=number, carrier="aftership"))
    body["msg"]["pickup_location"] = "Primera Utrecht Centrum, Oudegracht 12a"
    body["msg"]["pickup_note"] = "Mon-Sat 09:00-18:00"
    outcome = AFTERSHIP.handle("tracking_update", json.dumps(body).encode())
    apply_outcome(api_shop.shop.id, "nl", outcome, NOW)
    shipment = Shipment.objects.get(shop=api_shop.shop, tracking_number=number)
    assert pickup_point_of(shipment) == PickupPoint(
        name="Primera Utrecht Centrum, Oudegracht 12a", hours="Mon-Sat 09:00-18:00"
    )
    # Another shop's parcel with the same number is not touched.
    assert not Shipment.objects.exclude(shop=api_shop.shop).filter(pickup_point__has_key="name")


def test_the_api_shows_the_pickup_point(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(number="502", tracking="3SPICKAPI1"))
    shipment = Shipment.objects.get(tracking_number="3SPICKAPI1")
    save_pickup_points(
        shop_id=api_shop.shop.id, points={"3spickapi1": PickupPoint(name="Primera", hours="9-18")}
    )
    detail = api_shop.get(f"shipments/{shipment.id}").json()
    assert detail["pickup_point"] == {"name": "Primera", "hours": "9-18"}

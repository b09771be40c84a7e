"""Case desk fixtures (import them into a test module): parcels delivered, moving, returned,
cases the customer opened, and signed-in members of the shop."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import NOW, ApiShop, event, order_payload
from parcelcare.accounts.models import Membership
from parcelcare.cases.actors import CUSTOMER
from parcelcare.cases.models import Case
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.tracking.models import Order, Shipment


@dataclass
class Parcel:
    """An order with one shipment, as the case desk sees it."""

    order: Order
    shipment: Shipment


def make_parcel(api_shop: ApiShop, number: str, journey: list[dict]) -> Parcel:
    """Post an order and its carrier events through the API, and review it at NOW."""
    tracking = f"3S{number}NL"
    assert api_shop.post("orders", order_payload(number, tracking)).status_code in (200, 201)
    items = [event(tracking, **step) for step in journey]
    assert api_shop.post("tracking-events", {"events": items}).status_code == 200
    shipment = Shipment.objects.get(shop=api_shop.shop, tracking_number=tracking)
    return Parcel(shipment.order, shipment)


DELIVERED = [
    {"at": "2026-11-13T08:00:00+01:00", "code": "A1", "status": "in_transit"},
    {
        "at": "2026-11-14T14:10:00+01:00",
        "code": "I01",
        "status": "delivered",
        "location": "3511 AB Utrecht",
    },
]
MOVING = [{"at": "2026-11-13T08:00:00+01:00", "code": "A1", "status": "in_transit"}]
RETURNED = [
    {"at": "2026-11-13T08:00:00+01:00", "code": "A1", "status": "in_transit"},
    {"at": "2026-11-16T09:00:00+01:00", "code": "R1", "status": "returned"},
]


@pytest.fixture(name="delivered")
def delivered_parcel(api_shop: ApiShop) -> Parcel:
    """A parcel the carrier reports delivered on Saturday 14 November."""
    return make_parcel(api_shop, "2001", DELIVERED)


@pytest.fixture(name="moving")
def moving_parcel(api_shop: ApiShop) -> Parcel:
    """A parcel still on its way."""
    return make_parcel(api_shop, "2002", MOVING)


@pytest.fixture(name="returned")
def returned_parcel(api_shop: ApiShop) -> Parcel:
    """A parcel back at the shop."""
    return make_parcel(api_shop, "2003", RETURNED)


__all__ = ["NOW", "Parcel", "make_parcel"]


def open_for(
    parcel: Parcel,
    kind: CaseKind = CaseKind.NOT_RECEIVED,
    summary: str = "",
    now: datetime = NOW,
) -> Case:
    """A case the customer opened on the parcel (at NOW unless told otherwise)."""
    case, _ = open_case(
        shop=parcel.order.shop,
        order=parcel.order,
        kind=kind,
        source=Case.Source.CUSTOMER,
        who=CUSTOMER,
        now=now,
        summary=summary,
    )
    return case


def member(api_shop: ApiShop, name: str, role: str) -> Client:
    """A signed-in client of someone with `role` in the shop."""
    user = User.objects.create_user(name, password="a long password")
    Membership.objects.create(user=user, shop=api_shop.shop, role=role)
    browser = Client()
    browser.force_login(user)
    return browser

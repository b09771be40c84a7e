"""Seed the demo shop through the same services the API uses, then review it."""

import secrets
from collections import Counter
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count

from parcelcare.accounts.models import Membership, Shop
from parcelcare.accounts.services import create_shop
from parcelcare.domain.vocabulary import PROBLEM_FINDINGS
from parcelcare.integrations.carriers.pickup import PickupPoint
from parcelcare.tracking.models import Finding, Shipment
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.pickup_points import save_pickup_points
from parcelcare.tracking.review import review_due
from parcelcare.tracking.schemas import OrderIn

from .cases import seed_cases
from .feeds import feed_demo
from .messages import seed_messages
from .returns import seed_returns
from .simulate import simulate

DEMO_SHOP = "Groenhuis Wonen & Tuin"
DEMO_USER = "demo"
DEMO_CONTACT = "orders@groenhuis.example"
DEMO_LANES = {"NL": 1, "BE": 2, "DE": 2, "FR": 3, "*": 12}
"""Business days from shipping to delivery, for orders that come without a promised date."""


def _agent(shop: Shop, password: str) -> None:
    """The demo's login: the shop's owner."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=DEMO_USER)
    user.set_password(password)
    user.save()
    Membership.objects.get_or_create(user=user, shop=shop, defaults={"role": "owner"})


def seed_demo(*, orders: int, seed: int, now: datetime) -> dict[str, Any]:
    """Create the demo shop, feed it simulated orders and carrier events, review it."""
    data = simulate(orders=orders, seed=seed, now=now)
    shop, key = create_shop(
        name=DEMO_SHOP, timezone="Europe/Amsterdam", country="NL", language="nl"
    )
    shop.lane_days = DEMO_LANES
    shop.contact_email = DEMO_CONTACT
    shop.save(update_fields=["lane_days", "contact_email"])
    batch = [OrderIn.model_validate(payload) for payload in data.orders]
    upsert_orders(shop_id=shop.id, default_language=shop.default_language, batch=batch, now=now)
    feeds = feed_demo(shop_id=shop.id, events=data.events, now=now)
    _pickup_points(shop)
    review_due(now)
    cases = seed_cases(shop=shop, now=now, seed=seed)
    returns = seed_returns(shop=shop, now=now, seed=seed)
    messages = seed_messages(shop=shop, now=now, seed=seed)
    password = secrets.token_urlsafe(9)
    _agent(shop, password)
    return {
        "shop": shop.name,
        "shop_id": shop.id,
        "api_key": key,
        "login": f"{DEMO_USER} / {password}",
        "orders": len(data.orders),
        "events": len(data.events),
        "feeds": feeds,
        "findings": open_finding_counts(shop.id),
        "on_time": on_time_count(shop.id),
        "delivered": Shipment.objects.filter(shop_id=shop.id, status="delivered").count(),
        "cases": cases,
        "returns": returns,
        "customer_messages": messages,
    }


DEMO_PICKUP_POINTS = (
    PickupPoint("Primera Lindenhof", "Lindenlaan 4, 3511 AB Utrecht", "Mon-Sat 09:00-18:00"),
    PickupPoint("Bruna Stationsplein", "Stationsplein 3, 6811 KJ Arnhem", "Mon-Fri 08:00-20:00"),
    PickupPoint("Tuincentrum Het Anker", "Dorpsstraat 27, 2611 HE Delft", "Tue-Sat 10:00-17:00"),
)
"""Made-up PostNL pickup locations, as PostNL's answers name them."""


def _pickup_points(shop: Shop) -> None:
    """Every other PostNL parcel at a pickup point gets one; the rest show that none was named."""
    waiting = Shipment.objects.filter(
        shop=shop, carrier="postnl", status="available_for_pickup"
    ).order_by("id")
    numbers = list(waiting.values_list("tracking_number", flat=True))[::2]
    points = {n: DEMO_PICKUP_POINTS[i % len(DEMO_PICKUP_POINTS)] for i, n in enumerate(numbers)}
    save_pickup_points(shop_id=shop.id, points=points)


def open_finding_counts(shop_id: int) -> dict[str, int]:
    """Open problem findings per kind (delayed split by level), largest first."""
    rows = (
        Finding.objects.filter(shop_id=shop_id, closed_at=None, kind__in=PROBLEM_FINDINGS)
        .values("kind", "level")
        .annotate(n=Count("id"))
    )
    counts: Counter[str] = Counter()
    for row in rows:
        label = f"{row['kind']} L{row['level']}" if row["level"] else row["kind"]
        counts[label] += row["n"]
    return dict(counts.most_common())


def on_time_count(shop_id: int) -> int:
    """Shipments with no open problem finding."""
    problems = Finding.objects.filter(shop_id=shop_id, closed_at=None, kind__in=PROBLEM_FINDINGS)
    return (
        Shipment.objects.filter(shop_id=shop_id)
        .exclude(id__in=problems.values("shipment_id"))
        .count()
    )

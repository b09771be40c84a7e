"""Returns for the demo shop at every stage, walked through the returns services over the last
days, a few survey answers, and the shop's return policy and address."""

import random
from collections import Counter
from datetime import datetime, timedelta

from django.db.models import F

from parcelcare.accounts.models import Shop
from parcelcare.domain.returns_policy import Pick, ReturnPolicy
from parcelcare.messaging.models import OutboxMessage
from parcelcare.returns import feedback, services
from parcelcare.returns.models import Feedback, ReturnRequest
from parcelcare.returns.order_facts import delivered_at
from parcelcare.returns.settings import save_settings
from parcelcare.tracking.models import OrderLine, Shipment

AGENT = services.Who("agent", "demo")
ADDRESS = "Groenhuis Wonen & Tuin\nRetouren\nIndustrieweg 12\n3542 AD Utrecht"
POLICY = ReturnPolicy(return_shipping_minor=495, keep_below_minor=1000)
"""Postage of 4.95 when the customer changed their mind; goods under 10 euro are kept."""

STAGES = (
    ("requested", "wrong_size", "refund"),
    ("requested", "changed_mind", "store_credit"),
    ("approved", "not_as_pictured", "refund"),
    ("in_transit", "wrong_size", "refund"),
    ("in_transit", "damaged", "refund"),
    ("received", "poor_quality", "refund"),
    ("inspected", "changed_mind", "refund"),
    ("refunded", "damaged", "refund"),
    ("refunded", "wrong_item", "refund"),
    ("refunded", "changed_mind", "refund"),
    ("rejected", "changed_mind", "refund"),
)
"""Each demo return: how far it got, the customer's reason, the resolution they chose."""
STEP = ("approved", "in_transit", "received", "inspected", "refunded")
ANSWERS = (
    (5, "Snel geregeld, het geld stond binnen twee dagen op mijn rekening."),
    (4, ""),
    (2, "Het duurde lang voordat mijn retour werd gecontroleerd."),
    (5, "Fijn dat ik het artikel mocht houden."),
    (4, "Duidelijke uitleg over het terugsturen."),
)
REJECTED = "Op de foto's zijn duidelijke gebruikssporen te zien; zo kunnen we het niet terugnemen."


def _orders(shop: Shop, now: datetime, rng: random.Random) -> list[int]:
    """Delivered orders within the return window, without a case, in a stable random order."""
    ids = sorted(
        set(
            Shipment.objects.filter(
                shop=shop,
                status="delivered",
                delivered_at__gte=now - timedelta(days=20),
                delivered_at__lte=now - timedelta(days=6),
                cases__isnull=True,
                order__lines__isnull=False,
            ).values_list("order_id", flat=True)
        )
    )
    rng.shuffle(ids)
    return ids


def _line(order_id: int, keep: bool) -> OrderLine | None:
    """The line the customer sends back: a cheap one for a green return, else the dearest."""
    lines = OrderLine.objects.filter(order_id=order_id)
    if keep:
        return lines.filter(unit_price__lt=POLICY.keep_below_minor).first()
    return lines.filter(unit_price__gte=POLICY.keep_below_minor).order_by("-unit_price").first()


def _walk(item: ReturnRequest, stage: str, at: datetime, n: int) -> None:
    """Take a return from requested to `stage`, a few hours or a day per step."""
    if stage == "rejected":
        services.reject(request=item, who=AGENT, now=at + timedelta(hours=3), reason=REJECTED)
        return
    for index, step in enumerate(STEP[: STEP.index(stage) + 1] if stage in STEP else ()):
        moment = at + timedelta(hours=5 + 20 * index)
        if step == "approved":
            services.approve(request=item, who=AGENT, now=moment)
        elif step == "in_transit":
            digits = "".join(c for c in item.order.order_number if c.isdigit())
            number = f"3SRTN{digits}{n:02d}"
            services.add_return_parcel(
                request=item, carrier="postnl", tracking_number=number, who=AGENT, now=moment
            )
        elif step == "received":
            services.mark_received(request=item, who=AGENT, now=moment)
        elif step == "inspected":
            services.inspect(request=item, who=AGENT, now=moment)
        else:
            services.resolve(request=item, kind="refund", who=AGENT, now=moment)


def _history(shop: Shop, now: datetime) -> None:
    """Messages about steps taken days ago went out then: the demo shows them as sent."""
    old = OutboxMessage.objects.filter(
        shop=shop,
        kind__startswith="return_",
        status="queued",
        send_at__lt=now - timedelta(hours=1),
        idempotency_key__startswith="return:",
    )
    # A rejection since makes "we got your request" and "your parcel arrived" untrue: those wait
    # for the sender, whose gate withdraws them.
    untrue = old.filter(
        kind__in=("return_received", "return_arrived"),
        shipment__order__returns__status="rejected",
    )
    old.exclude(pk__in=untrue.values("pk")).update(
        status="sent", sent_at=F("send_at"), provider_message_id="demo-history"
    )


def seed_returns(*, shop: Shop, now: datetime, seed: int) -> dict[str, int]:
    """Seed the demo's returns and survey answers; returns the count of returns per status."""
    rng = random.Random(seed)
    save_settings(
        shop_id=shop.id,
        policy=POLICY,
        conditions="Retourneren kan binnen 30 dagen na bezorging, ongebruikt en compleet.",
        return_address=ADDRESS,
        actor_type="system",
        actor="demo",
        now=now,
    )
    orders = _orders(shop, now, rng)
    plan = [*STAGES, ("keep", "poor_quality", "refund")]
    for n, (stage, reason, resolution) in enumerate(plan):
        keep = stage == "keep"
        found = next(((o, line) for o in orders if (line := _line(o, keep)) is not None), None)
        if found is None:
            continue
        order_id, line = found
        orders.remove(order_id)
        order = line.order
        delivered = delivered_at(order_id)
        assert delivered is not None
        at = delivered + timedelta(days=1, hours=rng.randint(1, 9))
        item = services.request_return(
            order=order,
            picks=[Pick(line.pk, 1)],
            reason=reason,
            resolution=resolution,
            language=order.customer.language or shop.default_language,
            now=at,
            comment="",
        )
        if keep:
            services.resolve(request=item, kind="refund", who=AGENT, now=at + timedelta(hours=2))
        else:
            _walk(item, stage, at, n)
    _answer(shop, now)
    _history(shop, now)
    statuses = ReturnRequest.objects.filter(shop=shop).values_list("status", flat=True)
    return dict(sorted(Counter(statuses).items()))


def _answer(shop: Shop, now: datetime) -> None:
    """A few customers answered the survey: some happy, one not."""
    open_surveys = Feedback.objects.filter(shop=shop, score__isnull=True).order_by("id")
    for survey, (score, comment) in zip(open_surveys, ANSWERS, strict=False):
        feedback.answer(token=survey.token, score=score, now=now, comment=comment)

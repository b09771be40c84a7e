"""Return use cases against the database: request, approve, receive, inspect, resolve, audit."""

from datetime import timedelta

import pytest
from returning import NOW, Bought, bought_order, buy, png  # noqa: F401

from conftest import ApiShop, event
from parcelcare.accounts.models import AuditEntry
from parcelcare.domain.errors import IllegalTransition
from parcelcare.domain.returns_policy import Pick, ReturnError
from parcelcare.ledger.models import RemedyEntry
from parcelcare.returns import services
from parcelcare.returns.follow import follow_return_parcels
from parcelcare.returns.models import Feedback, ReturnSettings
from parcelcare.tracking.models import Shipment

AGENT = services.Who("agent", "eva")


def ask(bought: Bought, **changes):
    args = {
        "order": bought.order,
        "picks": [Pick(bought.pot.pk, 1)],
        "reason": "changed_mind",
        "resolution": "refund",
        "language": "nl",
        "now": NOW,
    }
    args.update(changes)
    return services.request_return(**args)


def policy(shop, **values):
    ReturnSettings.objects.update_or_create(shop=shop, defaults={"policy": values})


def test_full_journey_refund_record_only(api_shop: ApiShop, bought: Bought):
    policy(api_shop.shop, return_shipping_minor=495, restocking_fee_percent=10)
    item = ask(bought, photos=[png()])
    assert (item.status, item.goods_minor, item.restocking_fee_minor) == ("requested", 1495, 149)
    assert (item.return_shipping_minor, item.refund_minor) == (495, 851)
    assert item.photos.count() == 1 and item.rma.startswith("RMA-")
    services.approve(request=item, who=AGENT, now=NOW)
    services.add_return_parcel(
        request=item, carrier="postnl", tracking_number="3sret1", who=services.CUSTOMER, now=NOW
    )
    services.mark_received(request=item, who=AGENT, now=NOW)
    services.inspect(request=item, who=AGENT, now=NOW, deduction_minor=51, note="scratch")
    item.refresh_from_db()
    assert (item.status, item.refund_minor, item.return_tracking_number) == (
        "inspected",
        800,
        "3SRET1",
    )
    entry = services.resolve(request=item, kind="refund", who=AGENT, now=NOW)
    assert (entry.kind, entry.amount, entry.status) == ("partial_refund", 800, "recorded")
    assert entry.return_request_id == item.pk and entry.reason == "return:changed_mind"
    item.refresh_from_db()
    assert item.status == "resolved"
    assert Feedback.objects.get(request=item).reason == "changed_mind"
    actions = list(
        AuditEntry.objects.filter(subject_type="return", subject_id=item.pk).values_list(
            "action", flat=True
        )
    )
    assert actions.count("status") == 5 and "request" in actions and "resolve" in actions
    assert AuditEntry.objects.filter(subject_type="ledger", subject_id=entry.pk).exists()


def test_refusals_say_why(api_shop: ApiShop, bought: Bought):
    with pytest.raises(ReturnError) as too_many:
        ask(bought, picks=[Pick(bought.pot.pk, 3)])
    assert too_many.value.code == "quantity"
    ask(bought, picks=[Pick(bought.pot.pk, 2)])
    with pytest.raises(ReturnError, match="0 of 2 can be returned"):
        ask(bought, picks=[Pick(bought.pot.pk, 1)])
    with pytest.raises(ReturnError, match="window closed on 2026-12-14"):
        ask(bought, picks=[Pick(bought.seeds.pk, 1)], now=NOW + timedelta(days=30))
    with pytest.raises(ReturnError) as photo:
        ask(bought, picks=[Pick(bought.seeds.pk, 1)], photos=[b"not a photo"])
    assert photo.value.code == "photo"


def test_not_delivered_cannot_be_returned(api_shop: ApiShop):
    moving = buy(api_shop, "5002", journey=[])
    with pytest.raises(ReturnError) as refused:
        ask(moving)
    assert refused.value.code == "not_delivered"


def test_rejected_lines_can_be_asked_again(api_shop: ApiShop, bought: Bought):
    first = ask(bought, picks=[Pick(bought.pot.pk, 2)])
    with pytest.raises(ReturnError):
        services.reject(request=first, who=AGENT, now=NOW, reason="  ")
    services.reject(request=first, who=AGENT, now=NOW, reason="Used item")
    assert ask(bought, picks=[Pick(bought.pot.pk, 2)]).status == "requested"
    with pytest.raises(IllegalTransition):
        services.approve(request=first, who=AGENT, now=NOW)


def test_green_return_is_approved_and_refunded_without_parcel(api_shop: ApiShop, bought: Bought):
    policy(api_shop.shop, keep_below_minor=1000, return_shipping_minor=495)
    item = ask(bought, picks=[Pick(bought.seeds.pk, 2)], reason="damaged")
    assert (item.status, item.keep_item, item.refund_minor) == ("approved", True, 598)
    with pytest.raises(ReturnError):
        services.mark_received(request=item, who=AGENT, now=NOW)
    entry = services.resolve(request=item, kind="refund", who=AGENT, now=NOW)
    assert (entry.kind, entry.amount) == ("partial_refund", 598)
    assert not RemedyEntry.objects.filter(kind="return_shipping").exists()


def test_shop_pays_return_postage_on_its_mistakes(api_shop: ApiShop, bought: Bought):
    policy(api_shop.shop, return_shipping_minor=495)
    item = ask(
        bought, picks=[Pick(bought.pot.pk, 2), Pick(bought.seeds.pk, 3)], reason="wrong_item"
    )
    services.approve(request=item, who=AGENT, now=NOW)
    services.mark_received(request=item, who=AGENT, now=NOW)
    services.inspect(request=item, who=AGENT, now=NOW)
    entry = services.resolve(request=item, kind="refund", who=AGENT, now=NOW)
    assert (entry.kind, entry.amount) == ("refund", 2 * 1495 + 3 * 299)
    postage = RemedyEntry.objects.get(kind="return_shipping")
    assert (postage.amount, postage.return_request_id) == (495, item.pk)


RESOLVED_AS = [("store_credit", "store_credit"), ("voucher", "voucher"), ("exchange", "reship")]


@pytest.mark.parametrize(("kind", "remedy"), RESOLVED_AS)
def test_other_resolutions(api_shop: ApiShop, bought: Bought, kind: str, remedy: str):
    item = ask(
        bought, resolution="exchange" if kind == "exchange" else "store_credit", reason="wrong_size"
    )
    services.approve(request=item, who=AGENT, now=NOW)
    services.mark_received(request=item, who=AGENT, now=NOW)
    services.inspect(request=item, who=AGENT, now=NOW)
    entry = services.resolve(
        request=item, kind=kind, who=AGENT, now=NOW, code="SORRY-10", tracking_number="3SEXCHANGE1"
    )
    assert entry.kind == remedy and entry.status == "recorded"
    if kind == "exchange":
        assert Shipment.objects.filter(pk=entry.shipment_id, tracking_number="3SEXCHANGE1").exists()
    again = services.resolve(request=item, kind=kind, who=AGENT, now=NOW)
    assert again.pk == entry.pk
    assert RemedyEntry.objects.filter(return_request=item).count() == 1


def test_return_parcel_seen_through_tracking(api_shop: ApiShop, bought: Bought):
    item = ask(bought)
    services.approve(request=item, who=AGENT, now=NOW)
    services.add_return_parcel(
        request=item, carrier="postnl", tracking_number="3SBACK77", who=services.CUSTOMER, now=NOW
    )
    assert follow_return_parcels(NOW) == {}
    back = event("3SBACK77", at="2026-11-18T09:00:00+01:00", code="I01", status="delivered")
    assert api_shop.post("tracking-events", {"events": [back]}).status_code == 200
    assert follow_return_parcels(NOW) == {"received": 1}
    item.refresh_from_db()
    assert item.status == "received" and item.received_at == NOW


def test_other_shop_order_cannot_be_booked(api_shop: ApiShop, other_shop: ApiShop, bought: Bought):
    from parcelcare.domain.errors import LedgerError
    from parcelcare.ledger.book import book

    with pytest.raises(LedgerError):
        book(
            order_id=bought.order.pk,
            shop_id=other_shop.shop.pk,
            kind="voucher",
            amount=100,
            idempotency_key="x",
            actor_type="agent",
            actor="eva",
            now=NOW,
        )

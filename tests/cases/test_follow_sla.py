"""Playbook A's resolution target follows the parcel's expected delivery, not a fixed 8 hours."""

from datetime import UTC, datetime, timedelta

import pytest
from parcels import NOW, make_parcel, open_for

from conftest import ApiShop
from parcelcare import clock
from parcelcare.cases.actors import SYSTEM
from parcelcare.cases.models import Case
from parcelcare.cases.policy import desk_for
from parcelcare.cases.queries import resolution
from parcelcare.cases.services import switch_playbook
from parcelcare.domain.cases import CaseKind, Playbook
from parcelcare.domain.sla import SlaState

MOVING_SOON = [{"at": "2026-11-17T08:00:00+01:00", "code": "A1", "status": "in_transit"}]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def where_is_it(api_shop: ApiShop, number: str, promised: str) -> Case:
    """A "where is my order" case on a parcel that is still moving."""
    parcel = make_parcel(api_shop, number, MOVING_SOON)
    parcel.shipment.promised_date = datetime.fromisoformat(promised).date()
    parcel.shipment.save(update_fields=["promised_date"])
    case = open_for(parcel, CaseKind.ORDER_STATUS)
    assert case.playbook == Playbook.MOVING_OR_DELAYED
    return case


def test_a_moving_parcels_case_is_due_a_business_day_after_the_promise(api_shop: ApiShop) -> None:
    case = where_is_it(api_shop, "2301", "2026-11-20")
    # Promised Friday 20 November: due Monday the 23rd at 17:00 in Amsterdam.
    assert case.resolution_due == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    desk = desk_for(api_shop.shop, NOW)
    for later in (NOW + timedelta(hours=9), NOW + timedelta(days=2)):
        assert resolution(case, desk, later).state in (SlaState.ON_TRACK, SlaState.AT_RISK)
    assert resolution(case, desk, case.resolution_due + timedelta(minutes=1)).state == "breached"


def test_a_late_parcels_case_is_due_the_business_day_after_the_new_estimate(
    api_shop: ApiShop,
) -> None:
    case = where_is_it(api_shop, "2302", "2026-11-16")
    # Late since Monday: expected Thursday 19th, due Friday 20th at closing time.
    assert case.resolution_due == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def test_switching_into_a_follows_the_delivery_too(api_shop: ApiShop) -> None:
    parcel = make_parcel(api_shop, "2303", MOVING_SOON)
    case = open_for(parcel, CaseKind.LOST)
    assert case.playbook == Playbook.LIKELY_LOST
    later = NOW + timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(resolution_due=later)
    case.refresh_from_db()
    switch_playbook(case=case, playbook=Playbook.MOVING_OR_DELAYED, who=SYSTEM, now=later)
    case.refresh_from_db()
    assert case.resolution_due == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def test_other_playbooks_keep_their_kinds_target(api_shop: ApiShop) -> None:
    parcel = make_parcel(
        api_shop,
        "2304",
        [
            {"at": "2026-11-13T08:00:00+01:00", "code": "A1", "status": "in_transit"},
            {"at": "2026-11-14T14:10:00+01:00", "code": "I01", "status": "delivered"},
        ],
    )
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    # 40 working hours from Wednesday noon: the Wednesday after, at noon (Amsterdam 13:00).
    assert case.resolution_due == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

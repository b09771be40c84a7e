"""Return policy rules, table-driven, and their invariants under hypothesis."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.errors import IllegalTransition
from parcelcare.domain.returns_policy import (
    TRANSITIONS,
    Bought,
    Pick,
    ReturnError,
    ReturnPolicy,
    ReturnReason,
    ReturnStatus,
    assess,
    check_move,
    is_green,
    window_closes,
)

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
DELIVERED = NOW - timedelta(days=5)
LINES = (Bought(1, "POT-30", 2, 1495), Bought(2, "SEEDS", 3, 299, returned=1))
POLICY = ReturnPolicy(
    window_days=14,
    non_returnable_skus=frozenset({"GIFTCARD"}),
    return_shipping_minor=695,
    restocking_fee_percent=10,
)


def run(**changes: object):
    args = {
        "policy": POLICY,
        "bought": LINES,
        "picks": [Pick(1, 1)],
        "reason": "changed_mind",
        "resolution": "refund",
        "delivered_at": DELIVERED,
        "now": NOW,
    }
    args.update(changes)
    return assess(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"delivered_at": NOW - timedelta(days=15)}, "window_closed"),
        ({"delivered_at": None}, "not_delivered"),
        ({"picks": [Pick(1, 3)]}, "quantity"),
        ({"picks": [Pick(2, 3)]}, "quantity"),
        ({"picks": [Pick(1, 0)]}, "quantity"),
        ({"picks": [Pick(9, 1)]}, "unknown_line"),
        ({"picks": [Pick(1, 1), Pick(1, 1)]}, "unknown_line"),
        ({"picks": []}, "nothing_picked"),
        ({"reason": "bored"}, "reason"),
        ({"resolution": "cash"}, "resolution"),
        (
            {"policy": ReturnPolicy(resolutions=frozenset({"refund"})), "resolution": "exchange"},
            "resolution",
        ),
        ({"bought": (Bought(1, "GIFTCARD", 1, 2500),)}, "not_returnable"),
    ],
)
def test_refusals(changes, code):
    with pytest.raises(ReturnError) as refused:
        run(**changes)
    assert refused.value.code == code


def test_window_closed_says_when():
    with pytest.raises(ReturnError, match="14-day return window closed on 2026-11-17"):
        run(delivered_at=datetime(2026, 11, 3, 9, 0, tzinfo=UTC))


def test_last_moment_of_window_is_inside():
    closes = window_closes(delivered_at=DELIVERED, policy=POLICY)
    assert run(now=closes).window_closes_at == closes


@pytest.mark.parametrize(
    ("reason", "fee", "postage", "refund", "customer_pays"),
    [
        ("changed_mind", 149, 695, 1495 - 149 - 695, True),
        ("wrong_size", 149, 695, 1495 - 149 - 695, True),
        ("other", 149, 695, 651, True),
        ("damaged", 0, 0, 1495, False),
        ("wrong_item", 0, 0, 1495, False),
        ("poor_quality", 0, 0, 1495, False),
        ("not_as_pictured", 0, 0, 1495, False),
    ],
)
def test_deductions_by_reason(reason, fee, postage, refund, customer_pays):
    result = run(reason=reason)
    assert (result.restocking_fee_minor, result.return_shipping_minor) == (fee, postage)
    assert result.refund_minor == refund
    assert result.customer_pays_shipping is customer_pays
    assert not result.keep_item


@pytest.mark.parametrize(
    ("policy", "picks", "green"),
    [
        (ReturnPolicy(keep_below_minor=1000), [Pick(2, 2)], True),
        (ReturnPolicy(keep_below_minor=1000), [Pick(1, 1)], False),
        (ReturnPolicy(keep_skus=frozenset({"SEEDS"})), [Pick(2, 1)], True),
        (ReturnPolicy(keep_skus=frozenset({"SEEDS"})), [Pick(1, 1), Pick(2, 1)], False),
        (ReturnPolicy(), [Pick(2, 1)], False),
    ],
)
def test_green_return(policy, picks, green):
    result = run(policy=policy, picks=picks, reason="changed_mind")
    assert result.keep_item is green
    if green:
        assert result.refund_minor == result.goods_minor


def test_policy_round_trip_and_refusals():
    assert ReturnPolicy.from_dict(POLICY.as_dict()) == POLICY
    for bad in (
        {"window_days": 0},
        {"window_days": "14"},
        {"restocking_fee_percent": 2.5},
        {"restocking_fee_percent": 101},
        {"keep_below_minor": -1},
        {"keep_below_minor": 1.5},
        {"customer_pays": ["bored"]},
        {"resolutions": []},
        {"resolutions": "refund"},
        {"colour": "red"},
    ):
        with pytest.raises(ReturnError):
            ReturnPolicy.from_dict(bad)


def test_transitions_table():
    assert check_move("requested", "approved") == ReturnStatus.APPROVED
    assert check_move("approved", "resolved") == ReturnStatus.RESOLVED
    with pytest.raises(IllegalTransition):
        check_move("requested", "resolved")
    assert not TRANSITIONS[ReturnStatus.CLOSED]
    assert set(TRANSITIONS) == set(ReturnStatus)


@given(
    quantity=st.integers(1, 5),
    price=st.integers(0, 1_000_000),
    fee=st.integers(0, 100),
    postage=st.integers(0, 100_000),
    reason=st.sampled_from(list(ReturnReason)),
    keep_below=st.integers(0, 50_000),
)
def test_refund_never_negative_nor_above_goods(quantity, price, fee, postage, reason, keep_below):
    policy = ReturnPolicy(
        restocking_fee_percent=fee, return_shipping_minor=postage, keep_below_minor=keep_below
    )
    result = run(
        policy=policy, bought=(Bought(1, "A", 5, price),), picks=[Pick(1, quantity)], reason=reason
    )
    assert result.goods_minor == price * quantity
    assert 0 <= result.refund_minor <= result.goods_minor
    assert result.refund_minor + result.restocking_fee_minor + result.return_shipping_minor == (
        result.goods_minor
    )
    if result.keep_item:
        assert result.refund_minor == result.goods_minor


@given(days=st.integers(1, 365), after=st.integers(-400, 400))
def test_window_is_inclusive_of_its_last_moment(days, after):
    policy = ReturnPolicy(window_days=days)
    now = DELIVERED + timedelta(days=after)
    inside = now <= DELIVERED + timedelta(days=days)
    try:
        run(policy=policy, now=now)
    except ReturnError as error:
        assert not inside and error.code == "window_closed"
    else:
        assert inside


@given(skus=st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3))
def test_green_by_sku_needs_every_sku_listed(skus):
    policy = ReturnPolicy(keep_skus=frozenset({"A", "B"}))
    assert is_green(policy=policy, goods_minor=10**6, skus=skus) == all(s in "AB" for s in skus)

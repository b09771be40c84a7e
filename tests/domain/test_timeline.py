"""Timeline merge and derived shipment state: journeys told as tables, then properties."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.timeline import ShipmentState, TrackingEvent, derive_state, merge
from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

S = ShipmentStatus
R = IncidentReason


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in April 2026, UTC."""
    return datetime(2026, 4, day, hour, minute, tzinfo=UTC)


def ev(
    when: datetime,
    code: str,
    status: ShipmentStatus | None,
    reason: IncidentReason | None = None,
    *,
    tracking_number: str = "3SABC123",
    description: str = "",
) -> TrackingEvent:
    return TrackingEvent(
        carrier="postnl",
        tracking_number=tracking_number,
        occurred_at=when,
        code=code,
        status=status,
        reason=reason,
        description=description,
    )


LABEL = ev(at(1, 8), "A01", S.INFO_RECEIVED)
PICKED_UP = ev(at(1, 18), "B01", S.IN_TRANSIT)
SORTED = ev(at(2, 6), "J01", S.IN_TRANSIT)
OUT = ev(at(2, 9), "J05", S.OUT_FOR_DELIVERY)
DELIVERED = ev(at(2, 14), "I01", S.DELIVERED)
NORMAL = [LABEL, PICKED_UP, SORTED, OUT, DELIVERED]
DELIVERED_STATE = {
    "status": S.DELIVERED,
    "status_since": at(2, 14),
    "reason": None,
    "last_event_at": at(2, 14),
    "label_created_at": at(1, 8),
    "first_scan_at": at(1, 18),
    "delivered_at": at(2, 14),
    "failed_attempts": 0,
    "unknown_codes": 0,
}

JOURNEYS = [
    pytest.param([], {"status": S.PENDING, "last_event_at": None}, id="no-events"),
    pytest.param(NORMAL, DELIVERED_STATE, id="normal-delivery"),
    pytest.param([DELIVERED, SORTED, LABEL, OUT, PICKED_UP], DELIVERED_STATE, id="out-of-order"),
    pytest.param(NORMAL + NORMAL[::-1] + [SORTED], DELIVERED_STATE, id="duplicates"),
    pytest.param(
        [LABEL, PICKED_UP],
        {"status": S.IN_TRANSIT, "status_since": at(1, 18), "first_scan_at": at(1, 18)},
        id="in-transit",
    ),
    pytest.param(
        [LABEL],
        {"status": S.INFO_RECEIVED, "label_created_at": at(1, 8), "first_scan_at": None},
        id="label-only",
    ),
    pytest.param(
        [*NORMAL, ev(at(2, 11), "J02", S.IN_TRANSIT)],
        DELIVERED_STATE,
        id="late-arriving-older-scan-does-not-undo-delivered",
    ),
    pytest.param(
        [*NORMAL, ev(at(3, 7), "J01", S.IN_TRANSIT), ev(at(3, 8), "J05", S.OUT_FOR_DELIVERY)],
        {**DELIVERED_STATE, "last_event_at": at(3, 8)},
        id="later-routine-scans-after-delivered-are-ignored",
    ),
    pytest.param(
        [DELIVERED, ev(at(2, 14), "J01", S.IN_TRANSIT)],
        {"status": S.DELIVERED, "status_since": at(2, 14)},
        id="same-moment-tie-goes-to-the-further-status",
    ),
    pytest.param(
        [
            PICKED_UP,
            ev(at(3, 10), "R01", S.RETURNING, R.REFUSED),
            ev(at(6, 10), "R09", S.RETURNED),
            ev(at(7, 10), "J01", S.IN_TRANSIT),
            ev(at(7, 11), "F01", S.FAILED_ATTEMPT),
        ],
        {"status": S.RETURNED, "status_since": at(6, 10), "reason": None, "delivered_at": None},
        id="returned-is-final",
    ),
    pytest.param(
        [PICKED_UP, ev(at(3, 10), "R09", S.RETURNED), ev(at(8, 10), "I01", S.DELIVERED)],
        {"status": S.DELIVERED, "status_since": at(8, 10), "delivered_at": at(8, 10)},
        id="returned-then-delivered-moves-on",
    ),
    pytest.param(
        [*NORMAL, ev(at(9, 10), "R01", S.RETURNING)],
        {
            "status": S.RETURNING,
            "status_since": at(9, 10),
            "delivered_at": at(2, 14),
            "last_event_at": at(9, 10),
        },
        id="delivered-then-customer-return-moves-on",
    ),
    pytest.param(
        [*NORMAL, ev(at(3, 10), "X09", S.EXCEPTION, R.DAMAGED)],
        {
            "status": S.EXCEPTION,
            "reason": R.DAMAGED,
            "status_since": at(3, 10),
            "delivered_at": at(2, 14),
        },
        id="damage-reported-after-delivery-moves-on",
    ),
    pytest.param(
        [PICKED_UP, ev(at(2, 8), "A01", S.INFO_RECEIVED), ev(at(2, 9), "A00", S.PENDING)],
        {
            "status": S.IN_TRANSIT,
            "status_since": at(1, 18),
            "label_created_at": at(2, 8),
            "last_event_at": at(2, 9),
        },
        id="pre-advice-after-first-scan-is-no-step-back",
    ),
    pytest.param(
        [
            PICKED_UP,
            ev(at(2, 9), "J05", S.OUT_FOR_DELIVERY),
            ev(at(2, 13), "F01", S.FAILED_ATTEMPT, R.RECIPIENT_UNAVAILABLE),
            ev(at(3, 9), "J05", S.OUT_FOR_DELIVERY),
            ev(at(3, 13), "F01", S.FAILED_ATTEMPT),
        ],
        {
            "status": S.FAILED_ATTEMPT,
            "status_since": at(3, 13),
            "reason": None,
            "failed_attempts": 2,
            "last_attempt_at": at(3, 13),
        },
        id="two-failed-attempts-count-two",
    ),
    pytest.param(
        [
            PICKED_UP,
            ev(at(2, 13), "F01", S.FAILED_ATTEMPT, R.RECIPIENT_UNAVAILABLE),
            ev(at(3, 13), "F01", S.FAILED_ATTEMPT),
        ],
        {
            "status": S.FAILED_ATTEMPT,
            "status_since": at(2, 13),
            "reason": R.RECIPIENT_UNAVAILABLE,
            "failed_attempts": 2,
            "last_attempt_at": at(3, 13),
        },
        id="back-to-back-failed-attempts-keep-reason-and-track-the-latest",
    ),
    pytest.param(
        [
            PICKED_UP,
            ev(at(2, 13), "F01", S.FAILED_ATTEMPT),
            ev(at(2, 13), "F07", S.FAILED_ATTEMPT, R.ACCESS_PROBLEM),
        ],
        {"failed_attempts": 1, "reason": R.ACCESS_PROBLEM},
        id="one-attempt-reported-under-two-codes-counts-once",
    ),
    pytest.param(
        [PICKED_UP, ev(at(2, 9), "Z99", None), ev(at(3, 9), "Z98", None)],
        {
            "status": S.IN_TRANSIT,
            "status_since": at(1, 18),
            "last_event_at": at(3, 9),
            "unknown_codes": 2,
        },
        id="unknown-codes-counted-and-keep-the-timeline-alive",
    ),
    pytest.param(
        [ev(at(2, 9), "Z99", None)],
        {"status": S.PENDING, "last_event_at": at(2, 9), "first_scan_at": None, "unknown_codes": 1},
        id="only-unknown-codes",
    ),
    pytest.param(
        [
            PICKED_UP,
            ev(at(2, 9), "X01", S.EXCEPTION, R.CUSTOMS_HOLD),
            ev(at(3, 9), "X01", S.EXCEPTION),
            ev(at(4, 9), "Z99", None),
        ],
        {"status": S.EXCEPTION, "reason": R.CUSTOMS_HOLD, "status_since": at(2, 9)},
        id="exception-reason-kept",
    ),
    pytest.param(
        [
            PICKED_UP,
            ev(at(2, 9), "X01", S.EXCEPTION, R.CUSTOMS_HOLD),
            ev(at(3, 9), "X02", S.EXCEPTION, R.MISSING_DOCUMENTS),
        ],
        {"status": S.EXCEPTION, "reason": R.MISSING_DOCUMENTS, "status_since": at(2, 9)},
        id="exception-reason-updated",
    ),
    pytest.param(
        [PICKED_UP, ev(at(2, 9), "X01", S.EXCEPTION, R.WEATHER), ev(at(3, 9), "J01", S.IN_TRANSIT)],
        {"status": S.IN_TRANSIT, "reason": None, "status_since": at(3, 9)},
        id="moving-again-clears-the-reason",
    ),
    pytest.param(
        [
            ev(at(2, 13), "C01", S.AVAILABLE_FOR_PICKUP),
            ev(at(4, 8), "C02", S.AVAILABLE_FOR_PICKUP),
        ],
        {"status": S.AVAILABLE_FOR_PICKUP, "status_since": at(2, 13), "last_event_at": at(4, 8)},
        id="pickup-reminder-keeps-the-pickup-start",
    ),
    pytest.param(
        [
            ev(at(2, 9), "X01", S.EXCEPTION, R.DAMAGED, tracking_number="T1"),
            ev(at(2, 9), "X01", S.EXCEPTION, R.LOST, tracking_number="T2"),
        ],
        {"status": S.EXCEPTION, "reason": R.LOST},
        id="same-moment-two-parcels-ordered-by-tracking-number",
    ),
]


@pytest.mark.parametrize(("events", "expected"), JOURNEYS)
def test_journeys(events, expected):
    state = derive_state(events)
    assert {name: getattr(state, name) for name in expected} == expected
    assert derive_state(reversed(events)) == state


def test_no_events_is_the_default_state():
    assert derive_state([]) == ShipmentState()


def test_merge_drops_duplicates_and_orders_chronologically():
    assert merge([DELIVERED, LABEL, OUT, LABEL, SORTED, PICKED_UP, DELIVERED]) == NORMAL


SAME_KEY = [
    pytest.param(ev(at(2, 9), "X", None), ev(at(2, 9), "X", S.IN_TRANSIT), id="unknown-vs-known"),
    pytest.param(
        ev(at(2, 9), "X", S.EXCEPTION), ev(at(2, 9), "X", S.EXPIRED), id="equal-rank-statuses"
    ),
    pytest.param(
        ev(at(2, 9), "X", S.EXCEPTION, R.LOST), ev(at(2, 9), "X", S.EXCEPTION), id="reason"
    ),
    pytest.param(
        ev(at(2, 9), "X", S.IN_TRANSIT, description="Sorted"),
        ev(at(2, 9), "X", S.IN_TRANSIT, description="Sortiert"),
        id="description",
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME_KEY)
def test_merge_keeps_one_version_of_a_natural_key_whatever_the_order(first, second):
    kept = merge([first, second])
    assert len(kept) == 1
    assert merge([second, first]) == kept
    assert derive_state([second, first]) == derive_state([first, second])


def test_plain_string_statuses_fold_like_enum_members():
    # Rows read back from a database may carry plain strings; the fold must not care.
    as_text = [ev(e.occurred_at, e.code, e.status and str(e.status)) for e in NORMAL]
    as_text.append(ev(at(3, 9), "F01", "failed_attempt"))
    assert derive_state(as_text).status == S.DELIVERED
    assert derive_state(as_text).failed_attempts == 1
    returned = [PICKED_UP, ev(at(3, 9), "R09", "returned"), ev(at(4, 9), "J01", "in_transit")]
    assert derive_state(returned).status == S.RETURNED


# --- properties ------------------------------------------------------------------------------

events = st.builds(
    TrackingEvent,
    carrier=st.sampled_from(["postnl", "dhl"]),
    tracking_number=st.sampled_from(["T1", "T2"]),
    # Few distinct moments, codes and texts, so that ties and key clashes are common.
    occurred_at=st.integers(0, 40).map(lambda hours: at(1) + timedelta(hours=6 * hours)),
    code=st.sampled_from(["A", "B", "C", "D"]),
    status=st.none() | st.sampled_from(ShipmentStatus),
    reason=st.none() | st.sampled_from(IncidentReason),
    description=st.sampled_from(["", "Sorted", "Zugestellt"]),
    location=st.sampled_from(["", "Utrecht"]),
)
timelines = st.lists(events, max_size=25)


@given(timelines, st.data())
def test_any_arrival_order_with_duplicates_gives_one_state(timeline, data):
    repeated = data.draw(st.lists(st.sampled_from(timeline), max_size=10)) if timeline else []
    shuffled = data.draw(st.permutations(timeline + repeated))
    assert merge(shuffled) == merge(timeline)
    assert derive_state(shuffled) == derive_state(timeline)


@given(timelines)
def test_merge_is_idempotent(timeline):
    once = merge(timeline)
    assert merge(once) == once
    assert len({event.key for event in once}) == len(once)
    assert [e.occurred_at for e in once] == sorted(e.occurred_at for e in once)


@given(timelines)
def test_derive_state_of_merged_timeline_is_the_same(timeline):
    state = derive_state(timeline)
    assert derive_state(merge(timeline)) == state
    assert state.last_event_at == max((e.occurred_at for e in timeline), default=None)
    assert state.unknown_codes == sum(e.status is None for e in merge(timeline))


@given(timelines)
def test_a_delivered_parcel_only_moves_on_through_a_return_or_exception(timeline):
    state = derive_state(timeline)
    exits = {S.RETURNING, S.RETURNED, S.EXCEPTION}
    if state.delivered_at is not None and state.status not in {S.DELIVERED, *exits}:
        assert any(
            e.status in exits and e.occurred_at >= state.delivered_at for e in merge(timeline)
        )

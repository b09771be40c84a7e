"""Folding new events onto a stored state equals deriving the whole timeline again."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.timeline import TrackingEvent, can_fold, derive_state, fold, merge
from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)

events = st.builds(
    TrackingEvent,
    carrier=st.sampled_from(["postnl", "dhl"]),
    tracking_number=st.just("T1"),
    occurred_at=st.integers(0, 30).map(lambda hours: START + timedelta(hours=5 * hours)),
    code=st.sampled_from(["A", "B", "C"]),
    status=st.none() | st.sampled_from(ShipmentStatus),
    reason=st.none() | st.sampled_from(IncidentReason),
)


@given(st.lists(events, max_size=20), st.integers(0, 30))
def test_fold_after_a_split_equals_derive(timeline, split_hour):
    cut = START + timedelta(hours=5 * split_hour)
    before = [e for e in timeline if e.occurred_at <= cut]
    after = [e for e in timeline if e.occurred_at > cut]
    stored = derive_state(before)
    assert can_fold(stored, after)
    assert fold(stored, merge(after)) == derive_state(timeline)


@given(st.lists(events, min_size=1, max_size=20))
def test_an_event_not_after_the_last_one_cannot_be_folded(timeline):
    stored = derive_state(timeline)
    latest = max(e.occurred_at for e in timeline)
    assert not can_fold(stored, [timeline[0].__class__("postnl", "T1", latest, "Z")])

"""Polling cadence: when to ask a carrier again, when to stop, and the token bucket."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.polling import CADENCE, PollFacts, RateLimit, next_poll_at
from parcelcare.domain.vocabulary import TERMINAL_STATUSES, ShipmentStatus

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
H = timedelta(hours=1)
D = timedelta(days=1)
POLLED = NOW - H
"""Most rows were last polled an hour ago, so the interval shows in the answer."""


def poll(
    status: str = "in_transit",
    quiet: timedelta | None = H,
    promised: date | None = None,
    polled: datetime | None = POLLED,
    **extra: object,
) -> datetime | None:
    last_event = NOW - quiet if quiet is not None else None
    return next_poll_at(
        status=status,
        last_event_at=last_event,
        promised_date=promised,
        last_polled_at=polled,
        now=NOW,
        **extra,  # type: ignore[arg-type]
    )


CASES = [
    # Final statuses and long silences stop polling.
    pytest.param({"status": "delivered"}, None, id="delivered-stops"),
    pytest.param({"status": "returned"}, None, id="returned-stops"),
    pytest.param({"status": "cancelled"}, None, id="cancelled-stops"),
    pytest.param({"quiet": 30 * D}, None, id="quiet-30-days-stops"),
    pytest.param({"quiet": 45 * D, "status": "exception"}, None, id="quiet-exception-stops"),
    pytest.param({"quiet": 30 * D - H}, POLLED + 24 * H, id="quiet-29-days-still-daily"),
    pytest.param({"quiet": 11 * D, "quiet_days_stop": 10}, None, id="shorter-stop"),
    pytest.param(
        {"status": "pending", "quiet": None, "first_seen_at": NOW - 31 * D},
        None,
        id="never-scanned-for-a-month-stops",
    ),
    # Before the first scan: daily.
    pytest.param({"status": "pending", "quiet": None}, POLLED + 24 * H, id="pending-daily"),
    pytest.param({"status": "info_received", "quiet": D}, POLLED + 24 * H, id="label-daily"),
    pytest.param(
        {"status": "info_received", "promised": TODAY},
        POLLED + 24 * H,
        id="label-only-ignores-promise",
    ),
    # A first poll is due at once.
    pytest.param({"polled": None}, NOW, id="never-polled-now"),
    pytest.param({"status": "pending", "quiet": None, "polled": None}, NOW, id="new-pending-now"),
    # Out for delivery and the days around the promised date: every 2 hours.
    pytest.param({"status": "out_for_delivery"}, POLLED + 2 * H, id="out-for-delivery"),
    pytest.param({"promised": TODAY + D}, POLLED + 2 * H, id="day-before-promise"),
    pytest.param({"promised": TODAY}, POLLED + 2 * H, id="promised-today"),
    pytest.param({"promised": TODAY - 2 * D}, POLLED + 2 * H, id="two-days-late"),
    pytest.param({"promised": TODAY - 3 * D}, POLLED + 6 * H, id="three-days-late-normal"),
    pytest.param({"promised": TODAY + 2 * D}, POLLED + 6 * H, id="two-days-ahead-normal"),
    # Moving normally: every 6 hours.
    pytest.param({}, POLLED + 6 * H, id="in-transit"),
    pytest.param({"status": "exception"}, POLLED + 6 * H, id="exception"),
    pytest.param({"status": "available_for_pickup"}, POLLED + 6 * H, id="pickup-point"),
    pytest.param({"status": "expired", "quiet": 2 * D}, POLLED + 6 * H, id="expired-not-final"),
    # Quiet carriers: less often; silence outranks the promised date.
    pytest.param({"quiet": 3 * D}, POLLED + 6 * H, id="quiet-3-days-exactly"),
    pytest.param({"quiet": 4 * D}, POLLED + 12 * H, id="quiet-4-days"),
    pytest.param({"quiet": 4 * D, "promised": TODAY}, POLLED + 12 * H, id="quiet-beats-promise"),
    pytest.param({"quiet": 8 * D}, POLLED + 24 * H, id="quiet-8-days"),
    # An overdue poll is due now, never in the past.
    pytest.param({"polled": NOW - 10 * H}, NOW, id="overdue-is-now"),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_cadence_table(given: dict[str, object], expected: datetime | None) -> None:
    assert poll(**given) == expected  # type: ignore[arg-type]


def test_the_table_ends_with_a_row_that_always_matches() -> None:
    name, matches, interval = CADENCE[-1]
    assert name == "moving" and interval == 6 * H
    assert matches(PollFacts(ShipmentStatus.EXCEPTION, timedelta(0), None))
    assert [row[0] for row in CADENCE].count("near_promised_date") == 1


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        poll(status="teleported")


statuses = st.sampled_from(list(ShipmentStatus))


@given(
    status=statuses,
    quiet=st.none() | st.timedeltas(min_value=timedelta(0), max_value=60 * D),
    promised=st.none() | st.dates(min_value=date(2026, 10, 1), max_value=date(2027, 1, 31)),
    since_poll=st.none() | st.timedeltas(min_value=timedelta(0), max_value=3 * D),
)
def test_next_poll_is_never_in_the_past_nor_more_than_a_day_away(
    status: ShipmentStatus,
    quiet: timedelta | None,
    promised: date | None,
    since_poll: timedelta | None,
) -> None:
    polled = NOW - since_poll if since_poll is not None else None
    when = poll(status=status, quiet=quiet, promised=promised, polled=polled)
    if status in TERMINAL_STATUSES or (quiet is not None and quiet >= 30 * D):
        assert when is None
    else:
        assert when is not None
        assert NOW <= when <= max(NOW, (polled or NOW) + 24 * H)


# --- RateLimit ---------------------------------------------------------------------------------


def test_a_burst_passes_then_the_bucket_refills_one_token_per_interval() -> None:
    bucket = RateLimit(per_minute=6, burst=3)
    allowed = []
    for _ in range(4):
        ok, free_at, bucket = bucket.take(NOW)
        allowed.append((ok, free_at))
    interval = timedelta(seconds=10)
    assert allowed == [(True, NOW), (True, NOW), (True, NOW + interval), (False, NOW + interval)]
    ok, free_at, bucket = bucket.take(NOW + interval)
    assert ok and free_at == NOW + 2 * interval
    assert bucket.take(NOW + interval)[0] is False


def test_take_is_pure() -> None:
    bucket = RateLimit(per_minute=60)
    ok, _, after = bucket.take(NOW)
    assert ok and bucket.full_at is None and after.full_at == NOW + timedelta(seconds=1)
    assert bucket.take(NOW) == (True, NOW + timedelta(seconds=1), after)


def test_a_denied_take_leaves_the_bucket_as_it_was() -> None:
    _, _, empty = RateLimit(per_minute=1).take(NOW)
    ok, free_at, same = empty.take(NOW + timedelta(seconds=20))
    assert not ok and same is empty and free_at == NOW + timedelta(minutes=1)


def test_a_long_pause_does_not_save_up_more_than_a_burst() -> None:
    bucket = RateLimit(per_minute=60, burst=2)
    later = NOW + timedelta(hours=5)
    results = []
    for _ in range(3):
        ok, _, bucket = bucket.take(later)
        results.append(ok)
    assert results == [True, True, False]


@pytest.mark.parametrize(("per_minute", "burst"), [(0, 1), (1, 0), (-5, 3)])
def test_a_bucket_that_can_never_allow_is_refused(per_minute: int, burst: int) -> None:
    with pytest.raises(ValueError):
        RateLimit(per_minute=per_minute, burst=burst)


@given(
    per_minute=st.integers(min_value=1, max_value=600),
    burst=st.integers(min_value=1, max_value=20),
    steps=st.lists(st.integers(min_value=0, max_value=120_000_000), max_size=80),
)
def test_never_more_than_burst_plus_refill_in_any_window(
    per_minute: int, burst: int, steps: list[int]
) -> None:
    bucket = RateLimit(per_minute=per_minute, burst=burst)
    now, taken = NOW, []
    for micros in steps:
        now += timedelta(microseconds=micros)
        ok, free_at, after = bucket.take(now)
        assert free_at >= now
        if ok:
            taken.append(now)
        else:
            # The promised moment really is free, and nothing earlier is.
            assert after is bucket and after.take(free_at)[0]
            assert free_at == now or not after.take(free_at - timedelta(microseconds=1))[0]
        bucket = after
    for start, first in enumerate(taken):
        for end in range(start, len(taken)):
            window = taken[end] - first
            assert end - start + 1 <= burst + window // bucket.interval

"""Detection rules and review timing, on a fixed Amsterdam calendar with fixed clocks."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parcelcare.domain.calendar import BusinessCalendar
from parcelcare.domain.detection import (
    Finding,
    Review,
    ShipmentFacts,
    Thresholds,
    awaiting_pickup,
    by_status,
    delayed,
    failed_attempt,
    not_shipped,
    quiet,
    review,
)
from parcelcare.domain.timeline import ShipmentState, TrackingEvent, derive_state
from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus

S = ShipmentStatus
R = IncidentReason
F = FindingKind
AMS = ZoneInfo("Europe/Amsterdam")
# April 2026: Wed 1, Thu 2, Fri 3, Mon 6 Easter Monday, Mon 27 King's Day.
CAL = BusinessCalendar.of(
    AMS, {date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 14), date(2026, 12, 25)}
)
DEFAULT = Thresholds()
MICROSECOND = timedelta(microseconds=1)
ALL_STATUSES = list(ShipmentStatus)


def local(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A wall-clock moment in Amsterdam in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=AMS)


def midnight(month: int, day: int) -> datetime:
    """Start of a local day in Amsterdam in 2026, in UTC."""
    return CAL.start_of(date(2026, month, day))


def facts(
    status: ShipmentStatus = S.IN_TRANSIT,
    *,
    created_at: datetime | None = None,
    shipped_at: datetime | None = None,
    promised: date | None = None,
    **state: object,
) -> ShipmentFacts:
    return ShipmentFacts(
        state=ShipmentState(status=status, **state),
        created_at=created_at or local(3, 30, 10),
        shipped_at=shipped_at,
        promised_date=promised,
    )


def identities(result: Review) -> list[tuple]:
    return [finding.identity for finding in result.findings]


def kinds(result: Review) -> list[FindingKind]:
    return [finding.kind for finding in result.findings]


# --- delayed ---------------------------------------------------------------------------------

PROMISED = date(2026, 4, 2)  # a Thursday
LEVELS_2_4_6 = Thresholds(delayed_levels=(2, 4, 6))

DELAYS = [
    pytest.param(PROMISED, local(4, 1), DEFAULT, None, None, midnight(4, 3), id="before-promise"),
    pytest.param(
        PROMISED, local(4, 2, 23, 59), DEFAULT, None, None, midnight(4, 3), id="promised-evening"
    ),
    pytest.param(
        PROMISED,
        midnight(4, 3) - MICROSECOND,
        DEFAULT,
        None,
        None,
        midnight(4, 3),
        id="just-before-first-late-day",
    ),
    pytest.param(PROMISED, midnight(4, 3), DEFAULT, 1, 1, midnight(4, 7), id="level-1-at-midnight"),
    pytest.param(
        PROMISED,
        datetime(2026, 4, 2, 22, 30, tzinfo=UTC),
        DEFAULT,
        1,
        1,
        midnight(4, 7),
        id="utc-evening-is-already-the-next-local-day",
    ),
    pytest.param(PROMISED, local(4, 4), DEFAULT, 1, 1, midnight(4, 7), id="saturday-not-counted"),
    pytest.param(PROMISED, local(4, 5), DEFAULT, 1, 1, midnight(4, 7), id="sunday-not-counted"),
    pytest.param(
        PROMISED, local(4, 6, 23), DEFAULT, 1, 1, midnight(4, 7), id="easter-monday-not-counted"
    ),
    pytest.param(PROMISED, midnight(4, 7), DEFAULT, 2, 2, midnight(4, 8), id="level-2"),
    pytest.param(PROMISED, midnight(4, 8), DEFAULT, 3, 3, None, id="level-3"),
    pytest.param(PROMISED, local(4, 10), DEFAULT, 3, 5, None, id="level-3-at-5-days"),
    pytest.param(PROMISED, local(4, 14), DEFAULT, 3, 7, None, id="level-stays-3-at-7-days"),
    pytest.param(
        date(2026, 4, 4), local(4, 6), DEFAULT, None, None, midnight(4, 7), id="promised-saturday"
    ),
    pytest.param(
        date(2026, 4, 4), midnight(4, 7), DEFAULT, 1, 1, midnight(4, 8), id="saturday-then-late"
    ),
    pytest.param(
        date(2026, 3, 27),
        local(3, 28),
        DEFAULT,
        None,
        None,
        datetime(2026, 3, 29, 22, tzinfo=UTC),
        id="next-review-across-dst-start",
    ),
    pytest.param(
        PROMISED, local(4, 3), LEVELS_2_4_6, None, None, midnight(4, 7), id="custom-below-first"
    ),
    pytest.param(PROMISED, midnight(4, 7), LEVELS_2_4_6, 1, 2, midnight(4, 9), id="custom-level-1"),
    pytest.param(PROMISED, local(4, 8), LEVELS_2_4_6, 1, 3, midnight(4, 9), id="custom-between"),
    pytest.param(
        PROMISED, midnight(4, 9), LEVELS_2_4_6, 2, 4, midnight(4, 13), id="custom-level-2"
    ),
    pytest.param(PROMISED, midnight(4, 13), LEVELS_2_4_6, 3, 6, None, id="custom-level-3"),
]


@pytest.mark.parametrize(("promised", "now", "th", "level", "late", "next_at"), DELAYS)
def test_delayed(promised, now, th, level, late, next_at):
    finding, at = delayed(facts(promised=promised), th, CAL, now)
    assert at == next_at
    if level is None:
        assert finding is None
    else:
        assert finding == Finding(F.DELAYED, level=level)
        assert finding.evidence == {
            "promised_date": promised.isoformat(),
            "business_days_late": late,
        }


NEVER_LATE = [S.DELIVERED, S.RETURNING, S.RETURNED, S.AVAILABLE_FOR_PICKUP, S.CANCELLED]


@pytest.mark.parametrize("status", NEVER_LATE)
def test_never_late_in_these_statuses(status):
    assert delayed(facts(status, promised=PROMISED), DEFAULT, CAL, local(4, 14)) == (None, None)


@pytest.mark.parametrize("status", [status for status in ALL_STATUSES if status not in NEVER_LATE])
def test_late_in_these_statuses(status):
    finding, _ = delayed(facts(status, promised=PROMISED), DEFAULT, CAL, local(4, 14))
    assert finding == Finding(F.DELAYED, level=3)


@pytest.mark.parametrize(
    "shipment",
    [
        pytest.param(facts(promised=None), id="no-promised-date"),
        pytest.param(
            facts(S.EXCEPTION, promised=PROMISED, delivered_at=local(4, 3, 10)),
            id="exception-after-delivery",
        ),
        pytest.param(
            facts(S.IN_TRANSIT, promised=PROMISED, delivered_at=local(4, 3, 10)),
            id="customer-return-scans-after-delivery",
        ),
    ],
)
def test_no_delay_without_promise_or_after_delivery(shipment):
    assert delayed(shipment, DEFAULT, CAL, local(4, 14)) == (None, None)


# --- quiet: stalled and likely lost ----------------------------------------------------------

LAST_SCAN = local(4, 2, 15)  # Thursday; quiet business days: Fri 3, Tue 7, Wed 8, ... Tue 14 = 7
CLOSE_TO_MIDNIGHT = datetime(2026, 4, 2, 22, 30, tzinfo=UTC)  # Friday 00:30 in Amsterdam
FAST = Thresholds(stalled_after=1, likely_lost_after=2)

QUIETS = [
    pytest.param(LAST_SCAN, local(4, 3), DEFAULT, None, 1, midnight(4, 8), id="one-quiet-day"),
    pytest.param(
        LAST_SCAN,
        midnight(4, 8) - MICROSECOND,
        DEFAULT,
        None,
        2,
        midnight(4, 8),
        id="just-before-stalled",
    ),
    pytest.param(LAST_SCAN, midnight(4, 8), DEFAULT, F.STALLED, 3, midnight(4, 14), id="stalled"),
    pytest.param(
        LAST_SCAN, local(4, 10), DEFAULT, F.STALLED, 5, midnight(4, 14), id="still-stalled"
    ),
    pytest.param(
        LAST_SCAN,
        midnight(4, 14) - MICROSECOND,
        DEFAULT,
        F.STALLED,
        6,
        midnight(4, 14),
        id="just-before-likely-lost",
    ),
    pytest.param(LAST_SCAN, midnight(4, 14), DEFAULT, F.LIKELY_LOST, 7, None, id="likely-lost"),
    pytest.param(LAST_SCAN, local(4, 30), DEFAULT, F.LIKELY_LOST, 18, None, id="lost-stays-lost"),
    pytest.param(
        CLOSE_TO_MIDNIGHT,
        local(4, 8, 23),
        DEFAULT,
        None,
        2,
        midnight(4, 9),
        id="scan-counts-on-its-local-day",
    ),
    pytest.param(
        CLOSE_TO_MIDNIGHT, midnight(4, 9), DEFAULT, F.STALLED, 3, midnight(4, 15), id="local-day"
    ),
    pytest.param(LAST_SCAN, local(4, 2, 23), FAST, None, 0, midnight(4, 3), id="custom-quiet"),
    pytest.param(
        LAST_SCAN, midnight(4, 3), FAST, F.STALLED, 1, midnight(4, 7), id="custom-stalled"
    ),
    pytest.param(LAST_SCAN, midnight(4, 7), FAST, F.LIKELY_LOST, 2, None, id="custom-lost"),
]


@pytest.mark.parametrize(("last_event_at", "now", "th", "kind", "days", "next_at"), QUIETS)
def test_quiet(last_event_at, now, th, kind, days, next_at):
    finding, at = quiet(facts(last_event_at=last_event_at), th, CAL, now)
    assert at == next_at
    if kind is None:
        assert finding is None
    else:
        assert finding == Finding(kind)
        assert finding.evidence == {
            "last_event_at": last_event_at.isoformat(),
            "quiet_business_days": days,
        }


WATCHED = [S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.FAILED_ATTEMPT, S.EXCEPTION, S.RETURNING, S.EXPIRED]


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_which_statuses_can_go_quiet(status):
    shipment = facts(status, last_event_at=LAST_SCAN)
    finding, _ = quiet(shipment, DEFAULT, CAL, midnight(4, 8))
    assert (finding == Finding(F.STALLED)) is (status in WATCHED)


@pytest.mark.parametrize(
    "shipment",
    [
        pytest.param(facts(S.IN_TRANSIT), id="no-event-yet"),
        pytest.param(
            facts(S.EXCEPTION, last_event_at=LAST_SCAN, delivered_at=local(4, 1)),
            id="exception-after-delivery",
        ),
        pytest.param(
            facts(S.RETURNING, last_event_at=LAST_SCAN, delivered_at=local(4, 1)),
            id="customer-return-after-delivery",
        ),
    ],
)
def test_no_quiet_findings_without_events_or_after_delivery(shipment):
    assert quiet(shipment, DEFAULT, CAL, local(4, 30)) == (None, None)


# --- not shipped -----------------------------------------------------------------------------

LABEL_AT = local(4, 1, 10)  # Wednesday: Thu 2 (1), Fri 3 (2)
SHIPPED_AT = local(4, 3, 10)  # Friday: Tue 7 (1), Wed 8 (2)
CREATED_AT = local(3, 30, 10)  # Monday: Tue 31 (1), Wed 1 (2)

NOT_SHIPPED = [
    pytest.param(
        facts(S.INFO_RECEIVED, label_created_at=LABEL_AT),
        local(4, 2),
        DEFAULT,
        None,
        midnight(4, 3),
        id="label-one-day-old",
    ),
    pytest.param(
        facts(S.INFO_RECEIVED, label_created_at=LABEL_AT),
        midnight(4, 3) - MICROSECOND,
        DEFAULT,
        None,
        midnight(4, 3),
        id="just-before",
    ),
    pytest.param(
        facts(S.INFO_RECEIVED, label_created_at=LABEL_AT),
        midnight(4, 3),
        DEFAULT,
        (LABEL_AT, 2),
        None,
        id="label-two-days-old",
    ),
    pytest.param(
        facts(S.INFO_RECEIVED, label_created_at=LABEL_AT),
        local(4, 7),
        DEFAULT,
        (LABEL_AT, 3),
        None,
        id="holiday-not-counted",
    ),
    pytest.param(
        facts(
            S.INFO_RECEIVED,
            label_created_at=LABEL_AT,
            shipped_at=SHIPPED_AT,
            created_at=CREATED_AT,
        ),
        midnight(4, 3),
        DEFAULT,
        (LABEL_AT, 2),
        None,
        id="label-wins-over-shipped-and-created",
    ),
    pytest.param(
        facts(S.PENDING, shipped_at=SHIPPED_AT, created_at=CREATED_AT),
        local(4, 7),
        DEFAULT,
        None,
        midnight(4, 8),
        id="shipped-at-fallback-waits",
    ),
    pytest.param(
        facts(S.PENDING, shipped_at=SHIPPED_AT, created_at=CREATED_AT),
        midnight(4, 8),
        DEFAULT,
        (SHIPPED_AT, 2),
        None,
        id="shipped-at-fallback-fires",
    ),
    pytest.param(
        facts(S.PENDING, created_at=CREATED_AT),
        local(3, 31),
        DEFAULT,
        None,
        midnight(4, 1),
        id="created-at-fallback-waits",
    ),
    pytest.param(
        facts(S.PENDING, created_at=CREATED_AT),
        midnight(4, 1),
        DEFAULT,
        (CREATED_AT, 2),
        None,
        id="created-at-fallback-fires",
    ),
    pytest.param(
        facts(S.INFO_RECEIVED, label_created_at=LABEL_AT),
        midnight(4, 2),
        Thresholds(not_shipped_after=1),
        (LABEL_AT, 1),
        None,
        id="custom-threshold",
    ),
]


@pytest.mark.parametrize(("shipment", "now", "th", "expected", "next_at"), NOT_SHIPPED)
def test_not_shipped(shipment, now, th, expected, next_at):
    finding, at = not_shipped(shipment, th, CAL, now)
    assert at == next_at
    if expected is None:
        assert finding is None
    else:
        since, days = expected
        assert finding == Finding(F.NOT_SHIPPED)
        assert finding.evidence == {"label_created_at": since.isoformat(), "business_days": days}


@pytest.mark.parametrize("status", sorted(set(ALL_STATUSES) - {S.PENDING, S.INFO_RECEIVED}))
def test_not_shipped_only_before_the_first_scan(status):
    shipment = facts(status, label_created_at=LABEL_AT)
    assert not_shipped(shipment, DEFAULT, CAL, local(4, 30)) == (None, None)


# --- failed attempt --------------------------------------------------------------------------

FAILED = [
    pytest.param(
        {"failed_attempts": 1, "reason": R.RECIPIENT_UNAVAILABLE, "status_since": local(4, 2, 13)},
        1,
        R.RECIPIENT_UNAVAILABLE,
        local(4, 2, 13),
        id="first-attempt-with-reason",
    ),
    pytest.param(
        {
            "failed_attempts": 2,
            "reason": R.RECIPIENT_UNAVAILABLE,
            "status_since": local(4, 2, 13),
            "last_attempt_at": local(4, 3, 13),
        },
        2,
        R.RECIPIENT_UNAVAILABLE,
        local(4, 3, 13),
        id="second-attempt-shows-its-own-time",
    ),
    pytest.param(
        {"failed_attempts": 3, "status_since": local(4, 7, 12), "last_attempt_at": local(4, 7, 12)},
        3,
        None,
        local(4, 7, 12),
        id="third-attempt-without-reason",
    ),
    pytest.param(
        {"failed_attempts": 0, "reason": R.ACCESS_PROBLEM, "status_since": local(4, 2, 13)},
        1,
        R.ACCESS_PROBLEM,
        local(4, 2, 13),
        id="uncounted-still-attempt-1",
    ),
]


@pytest.mark.parametrize(("state", "attempt", "reason", "attempted_at"), FAILED)
def test_failed_attempt(state, attempt, reason, attempted_at):
    finding, at = failed_attempt(facts(S.FAILED_ATTEMPT, **state), DEFAULT, CAL, local(4, 8))
    assert at is None
    assert finding == Finding(F.FAILED_ATTEMPT, attempt=attempt, reason=reason)
    assert finding.identity == ("failed_attempt", None, attempt, reason)
    assert finding.evidence == {"attempted_at": attempted_at.isoformat()}


@pytest.mark.parametrize("status", sorted(set(ALL_STATUSES) - {S.FAILED_ATTEMPT}))
def test_failed_attempt_only_in_that_status(status):
    shipment = facts(status, failed_attempts=2, last_attempt_at=local(4, 2))
    assert failed_attempt(shipment, DEFAULT, CAL, local(4, 8)) == (None, None)


def test_failed_attempts_from_a_real_timeline():
    def event(when: datetime, code: str, status: ShipmentStatus, reason=None) -> TrackingEvent:
        return TrackingEvent("postnl", "3S1", when.astimezone(UTC), code, status, reason)

    state = derive_state(
        [
            event(local(4, 1, 18), "B01", S.IN_TRANSIT),
            event(local(4, 2, 13), "F01", S.FAILED_ATTEMPT, R.RECIPIENT_UNAVAILABLE),
            event(local(4, 3, 11), "F01", S.FAILED_ATTEMPT),
        ]
    )
    result = review(ShipmentFacts(state, created_at=local(4, 1)), DEFAULT, CAL, local(4, 3, 12))
    assert result.findings == (
        Finding(F.FAILED_ATTEMPT, attempt=2, reason=R.RECIPIENT_UNAVAILABLE),
    )
    assert result.findings[0].evidence == {"attempted_at": "2026-04-03T09:00:00+00:00"}
    # Quiet since the second attempt: stalled three business days after Friday 3 April.
    assert result.next_review_at == midnight(4, 9)


# --- awaiting pickup -------------------------------------------------------------------------

AT_PICKUP_POINT = local(4, 1, 15)  # Wednesday; 7 calendar days: deadline Wednesday 8 April

PICKUPS = [
    pytest.param(
        AT_PICKUP_POINT, local(4, 1, 16), DEFAULT, 7, "2026-04-08", midnight(4, 2), id="d0"
    ),
    pytest.param(
        AT_PICKUP_POINT, local(4, 2, 9), DEFAULT, 6, "2026-04-08", midnight(4, 3), id="d1"
    ),
    pytest.param(
        AT_PICKUP_POINT, local(4, 5), DEFAULT, 3, "2026-04-08", midnight(4, 6), id="weekend-counts"
    ),
    pytest.param(
        AT_PICKUP_POINT,
        midnight(4, 8) - MICROSECOND,
        DEFAULT,
        1,
        "2026-04-08",
        midnight(4, 8),
        id="last-moment-with-1",
    ),
    pytest.param(AT_PICKUP_POINT, midnight(4, 8), DEFAULT, 0, "2026-04-08", None, id="deadline"),
    pytest.param(AT_PICKUP_POINT, local(4, 20), DEFAULT, 0, "2026-04-08", None, id="past-deadline"),
    pytest.param(
        AT_PICKUP_POINT,
        local(4, 5),
        Thresholds(pickup_hold_calendar_days=10),
        6,
        "2026-04-11",
        midnight(4, 6),
        id="custom-hold",
    ),
    pytest.param(
        datetime(2026, 4, 1, 22, 30, tzinfo=UTC),
        local(4, 2),
        DEFAULT,
        7,
        "2026-04-09",
        midnight(4, 3),
        id="arrival-counts-on-its-local-day",
    ),
    pytest.param(
        local(3, 27, 10),
        local(3, 28),
        DEFAULT,
        6,
        "2026-04-03",
        datetime(2026, 3, 28, 23, tzinfo=UTC),
        id="next-review-at-dst-midnight",
    ),
]


@pytest.mark.parametrize(("since", "now", "th", "days_left", "deadline", "next_at"), PICKUPS)
def test_awaiting_pickup(since, now, th, days_left, deadline, next_at):
    shipment = facts(S.AVAILABLE_FOR_PICKUP, status_since=since)
    finding, at = awaiting_pickup(shipment, th, CAL, now)
    assert at == next_at
    assert finding == Finding(F.AWAITING_PICKUP)
    assert finding.evidence == {"deadline": deadline, "days_left": days_left}


def test_awaiting_pickup_counts_down_day_by_day_to_zero():
    shipment = facts(S.AVAILABLE_FOR_PICKUP, status_since=AT_PICKUP_POINT)
    now, seen = local(4, 1, 16), []
    while now is not None:
        finding, now = awaiting_pickup(shipment, DEFAULT, CAL, now)
        seen.append(finding.evidence["days_left"])
    assert seen == [7, 6, 5, 4, 3, 2, 1, 0]


@pytest.mark.parametrize(
    "shipment",
    [
        pytest.param(facts(S.AVAILABLE_FOR_PICKUP), id="no-status-since"),
        pytest.param(facts(S.IN_TRANSIT, status_since=AT_PICKUP_POINT), id="other-status"),
    ],
)
def test_no_awaiting_pickup(shipment):
    assert awaiting_pickup(shipment, DEFAULT, CAL, local(4, 2)) == (None, None)


# --- status findings -------------------------------------------------------------------------

SINCE = local(4, 3, 10)

BY_STATUS = [
    pytest.param(
        S.RETURNING,
        R.REFUSED,
        Finding(F.RETURNING_TO_SENDER, reason=R.REFUSED),
        {"since": SINCE.isoformat()},
        id="returning-refused",
    ),
    pytest.param(
        S.RETURNING,
        None,
        Finding(F.RETURNING_TO_SENDER),
        {"since": SINCE.isoformat()},
        id="returning-no-reason",
    ),
    pytest.param(
        S.RETURNED,
        R.ADDRESS_ISSUE,
        Finding(F.RETURNED_TO_SENDER, reason=R.ADDRESS_ISSUE),
        {"since": SINCE.isoformat()},
        id="returned",
    ),
    pytest.param(
        S.EXCEPTION,
        R.CUSTOMS_HOLD,
        Finding(F.CARRIER_EXCEPTION, reason=R.CUSTOMS_HOLD),
        {"since": SINCE.isoformat()},
        id="exception-with-reason",
    ),
    pytest.param(
        S.EXCEPTION,
        None,
        Finding(F.CARRIER_EXCEPTION, reason=R.OTHER),
        {"since": SINCE.isoformat()},
        id="exception-reason-defaults-to-other",
    ),
    pytest.param(
        S.DELIVERED,
        None,
        Finding(F.DELIVERED),
        {"delivered_at": local(4, 2, 14).isoformat()},
        id="delivered",
    ),
]


@pytest.mark.parametrize(("status", "reason", "expected", "evidence"), BY_STATUS)
def test_by_status(status, reason, expected, evidence):
    shipment = facts(status, reason=reason, status_since=SINCE, delivered_at=local(4, 2, 14))
    finding, at = by_status(shipment, DEFAULT, CAL, local(4, 8))
    assert (finding, at) == (expected, None)
    assert finding.identity == expected.identity
    assert finding.evidence == evidence


@pytest.mark.parametrize(
    "status",
    sorted(set(ALL_STATUSES) - {S.RETURNING, S.RETURNED, S.EXCEPTION, S.DELIVERED}),
)
def test_no_status_finding(status):
    assert by_status(facts(status, reason=R.OTHER), DEFAULT, CAL, local(4, 8)) == (None, None)


# --- review: all rules together --------------------------------------------------------------

REVIEWS = [
    pytest.param(
        facts(S.PENDING, created_at=CREATED_AT, promised=PROMISED),
        local(4, 3),
        [Finding(F.NOT_SHIPPED), Finding(F.DELAYED, level=1)],
        midnight(4, 7),
        id="never-shipped-and-late",
    ),
    pytest.param(
        facts(S.IN_TRANSIT, last_event_at=LAST_SCAN, promised=PROMISED),
        local(4, 3),
        [Finding(F.DELAYED, level=1)],
        midnight(4, 7),
        id="late-moving-next-level-comes-first",
    ),
    pytest.param(
        facts(S.IN_TRANSIT, last_event_at=LAST_SCAN, promised=PROMISED),
        midnight(4, 8),
        [Finding(F.DELAYED, level=3), Finding(F.STALLED)],
        midnight(4, 14),
        id="late-and-stalled-then-lost-is-next",
    ),
    pytest.param(
        facts(S.EXCEPTION, reason=R.DAMAGED, last_event_at=LAST_SCAN, promised=PROMISED),
        local(4, 30),
        [
            Finding(F.DELAYED, level=3),
            Finding(F.LIKELY_LOST),
            Finding(F.CARRIER_EXCEPTION, reason=R.DAMAGED),
        ],
        None,
        id="exception-late-and-silent",
    ),
    pytest.param(
        facts(S.AVAILABLE_FOR_PICKUP, status_since=AT_PICKUP_POINT, promised=PROMISED),
        local(4, 6),
        [Finding(F.AWAITING_PICKUP)],
        midnight(4, 7),
        id="at-pickup-point-is-not-late",
    ),
    pytest.param(
        facts(S.DELIVERED, delivered_at=local(4, 7), last_event_at=local(4, 7), promised=PROMISED),
        local(4, 30),
        [Finding(F.DELIVERED)],
        None,
        id="delivered-late",
    ),
    pytest.param(
        facts(
            S.EXCEPTION,
            reason=R.DAMAGED,
            delivered_at=local(4, 2),
            last_event_at=local(4, 3),
            promised=PROMISED,
        ),
        local(4, 30),
        [Finding(F.CARRIER_EXCEPTION, reason=R.DAMAGED)],
        None,
        id="damage-reported-after-delivery-is-not-late-or-lost",
    ),
    pytest.param(
        facts(S.CANCELLED, promised=PROMISED, last_event_at=LAST_SCAN),
        local(4, 30),
        [],
        None,
        id="cancelled",
    ),
]


@pytest.mark.parametrize(("shipment", "now", "expected", "next_at"), REVIEWS)
def test_review(shipment, now, expected, next_at):
    assert review(shipment, DEFAULT, CAL, now) == Review(tuple(expected), next_at)


def test_plain_string_statuses_are_reviewed_like_enum_members():
    # A state rebuilt from database columns may carry plain strings.
    for status in ALL_STATUSES:
        as_enum = facts(status, status_since=local(4, 2), failed_attempts=1, promised=PROMISED)
        as_text = facts(str(status), status_since=local(4, 2), failed_attempts=1, promised=PROMISED)
        assert review(as_text, DEFAULT, CAL, local(4, 8)) == review(
            as_enum, DEFAULT, CAL, local(4, 8)
        )


# --- thresholds ------------------------------------------------------------------------------

NONSENSE = [
    pytest.param({"delayed_levels": (0, 1, 2)}, id="level-zero"),
    pytest.param({"delayed_levels": (1, 1, 2)}, id="levels-not-increasing"),
    pytest.param({"delayed_levels": (3, 2, 1)}, id="levels-decreasing"),
    pytest.param({"delayed_levels": (1, 2)}, id="two-levels"),
    pytest.param({"delayed_levels": (1, 2, 3, 4)}, id="four-levels"),
    pytest.param({"delayed_levels": (1, 2.5, 3)}, id="fractional-level"),
    pytest.param({"stalled_after": 0}, id="stalled-zero"),
    pytest.param({"stalled_after": -2}, id="stalled-negative"),
    pytest.param({"stalled_after": 7, "likely_lost_after": 7}, id="stalled-equals-lost"),
    pytest.param({"stalled_after": 5, "likely_lost_after": 3}, id="lost-before-stalled"),
    pytest.param({"stalled_after": True}, id="boolean-days"),
    pytest.param({"likely_lost_after": "7"}, id="text-days"),
    pytest.param({"not_shipped_after": 0}, id="not-shipped-zero"),
    pytest.param({"pickup_hold_calendar_days": 0}, id="pickup-zero"),
    pytest.param({"pickup_hold_calendar_days": 7.0}, id="pickup-float"),
]


@pytest.mark.parametrize("kwargs", NONSENSE)
def test_thresholds_refuse_nonsense(kwargs):
    with pytest.raises(ValueError):
        Thresholds(**kwargs)


def test_thresholds_accept_sensible_values():
    assert Thresholds() == Thresholds((1, 2, 3), 3, 7, 2, 7)
    custom = Thresholds(delayed_levels=[2, 5, 9], stalled_after=1, likely_lost_after=2)
    assert custom.delayed_levels == (2, 5, 9)
    assert hash(custom) == hash(Thresholds((2, 5, 9), 1, 2))


# --- review timing: properties ---------------------------------------------------------------

# Hypothesis takes naive bounds and attaches the time zone itself.
moments = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 1, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
maybe_moment = st.none() | moments
states = st.builds(
    ShipmentState,
    status=st.sampled_from(ShipmentStatus),
    status_since=maybe_moment,
    reason=st.none() | st.sampled_from(IncidentReason),
    last_event_at=maybe_moment,
    label_created_at=maybe_moment,
    first_scan_at=maybe_moment,
    delivered_at=maybe_moment,
    failed_attempts=st.integers(0, 4),
    unknown_codes=st.integers(0, 3),
    last_attempt_at=maybe_moment,
)
all_facts = st.builds(
    ShipmentFacts,
    state=states,
    created_at=moments,
    shipped_at=maybe_moment,
    promised_date=st.none() | st.dates(date(2026, 1, 1), date(2027, 1, 31)),
)
calendars = st.sampled_from([CAL, BusinessCalendar.of(ZoneInfo("America/New_York"))])
CLOCKED = [S.PENDING, S.INFO_RECEIVED, *WATCHED, S.AVAILABLE_FOR_PICKUP]


@st.composite
def facts_and_now(draw) -> tuple[ShipmentFacts, datetime]:
    """A shipment still on a clock (not delivered), with its dates a few days around `now`."""
    now = draw(moments)

    def around(days_before: int, days_after: int = 0) -> datetime:
        hours = draw(st.integers(-24 * days_before, 24 * days_after))
        return now + timedelta(hours=hours, seconds=draw(st.integers(0, 3599)))

    state = ShipmentState(
        status=draw(st.sampled_from(CLOCKED)),
        status_since=around(10),
        reason=draw(st.none() | st.sampled_from(IncidentReason)),
        last_event_at=around(12, 1),
        label_created_at=draw(st.none() | st.just(around(6))),
        failed_attempts=draw(st.integers(0, 3)),
    )
    shipment = ShipmentFacts(
        state=state,
        created_at=around(6),
        shipped_at=draw(st.none() | st.just(around(5))),
        promised_date=draw(st.none() | st.just(around(8, 10).date())),
    )
    return shipment, now


@st.composite
def all_thresholds(draw) -> Thresholds:
    levels = sorted(draw(st.sets(st.integers(1, 10), min_size=3, max_size=3)))
    stalled = draw(st.integers(1, 9))
    return Thresholds(
        delayed_levels=tuple(levels),
        stalled_after=stalled,
        likely_lost_after=draw(st.integers(stalled + 1, 15)),
        not_shipped_after=draw(st.integers(1, 5)),
        pickup_hold_calendar_days=draw(st.integers(1, 14)),
    )


# Day counts in evidence are refreshed whenever a review runs, but do not schedule one.
COUNTS = {"business_days_late", "quiet_business_days", "business_days"}


def scheduled_evidence(result: Review) -> list[dict]:
    return [
        {k: v for k, v in finding.evidence.items() if k not in COUNTS}
        for finding in result.findings
    ]


@given(facts_and_now(), all_thresholds(), calendars)
def test_nothing_changes_before_next_review(shipment_now, th, cal):
    shipment, now = shipment_now
    result = review(shipment, th, cal, now)
    assume(result.next_review_at is not None)
    assert result.next_review_at > now
    assert result.next_review_at == cal.start_of(cal.local_date(result.next_review_at))
    just_before = review(shipment, th, cal, result.next_review_at - MICROSECOND)
    assert just_before == result
    assert identities(just_before) == identities(result)
    assert scheduled_evidence(just_before) == scheduled_evidence(result)


@given(facts_and_now(), all_thresholds(), calendars)
def test_findings_change_at_next_review(shipment_now, th, cal):
    shipment, now = shipment_now
    result = review(shipment, th, cal, now)
    assume(result.next_review_at is not None)
    then = review(shipment, th, cal, result.next_review_at)
    if shipment.state.status == S.AVAILABLE_FOR_PICKUP:
        # The pickup countdown is the one time-based change that is evidence only.
        assert identities(then) == identities(result)
        assert scheduled_evidence(then) != scheduled_evidence(result)
    else:
        assert identities(then) != identities(result)


@given(all_facts, all_thresholds(), calendars, moments)
def test_without_next_review_findings_stay_put(shipment, th, cal, now):
    result = review(shipment, th, cal, now)
    assume(result.next_review_at is None)
    later = review(shipment, th, cal, now + timedelta(days=60))
    assert identities(later) == identities(result)
    assert later.next_review_at is None


@given(all_facts, all_thresholds(), calendars, moments, st.integers(0, 45 * 24 * 3600))
def test_a_scheduler_waking_only_at_next_review_misses_nothing(shipment, th, cal, now, seconds):
    moment = now + timedelta(seconds=seconds)
    last = review(shipment, th, cal, now)
    for _ in range(100):
        if last.next_review_at is None or last.next_review_at > moment:
            break
        last = review(shipment, th, cal, last.next_review_at)
    assert identities(review(shipment, th, cal, moment)) == identities(last)

"""SLA: working time on the business calendar, policies and overrides, SLA states."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.calendar import BusinessCalendar
from parcelcare.domain.sla import (
    DEFAULT_POLICIES,
    BusinessHours,
    SlaClock,
    SlaPolicy,
    SlaState,
    add_business_time,
    business_time_between,
    delivery_resolution_due,
    policy_for,
    sla_clock,
    sla_state,
)

AMS = ZoneInfo("Europe/Amsterdam")
NL = BusinessCalendar.of(
    AMS,
    {
        date(2026, 4, 6),  # Easter Monday
        date(2026, 4, 27),  # King's Day, Monday
        date(2026, 5, 14),  # Ascension Day, Thursday
    },
)
HOURS = BusinessHours()
H = timedelta(hours=1)
M = timedelta(minutes=1)


def ams(*args: int) -> datetime:
    """A wall-clock moment in Amsterdam."""
    return datetime(*args, tzinfo=AMS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def add(start: datetime, duration: timedelta, hours: BusinessHours = HOURS) -> datetime:
    return add_business_time(start, duration, calendar=NL, hours=hours)


def between(start: datetime, end: datetime, hours: BusinessHours = HOURS) -> timedelta:
    return business_time_between(start, end, calendar=NL, hours=hours)


# --- add_business_time -----------------------------------------------------------------------
# Summer time (CEST) is UTC+2 from 29 March to 25 October 2026, winter time (CET) UTC+1.

ADDS = [
    pytest.param(ams(2026, 4, 8, 10, 15), 2 * H, utc(2026, 4, 8, 10, 15), id="inside-hours"),
    pytest.param(ams(2026, 4, 8, 15, 0), 2 * H, utc(2026, 4, 8, 15, 0), id="ends-at-closing"),
    pytest.param(ams(2026, 4, 8, 15, 0), 2 * H + M, utc(2026, 4, 9, 7, 1), id="spills-over"),
    pytest.param(ams(2026, 4, 10, 16, 30), H, utc(2026, 4, 13, 7, 30), id="friday-to-monday"),
    pytest.param(ams(2026, 4, 11, 12, 0), H, utc(2026, 4, 13, 8, 0), id="saturday-start"),
    pytest.param(ams(2026, 4, 13, 7, 0), H, utc(2026, 4, 13, 8, 0), id="before-opening"),
    pytest.param(ams(2026, 4, 8, 18, 0), H, utc(2026, 4, 9, 8, 0), id="after-closing"),
    pytest.param(ams(2026, 4, 3, 16, 30), H, utc(2026, 4, 7, 7, 30), id="easter-monday-skipped"),
    pytest.param(ams(2026, 4, 24, 16, 0), 4 * H, utc(2026, 4, 28, 10, 0), id="kings-day-skipped"),
    pytest.param(ams(2026, 4, 8, 10, 0), 40 * H, utc(2026, 4, 15, 8, 0), id="five-business-days"),
    pytest.param(ams(2026, 3, 27, 16, 30), H, utc(2026, 3, 30, 7, 30), id="over-spring-forward"),
    pytest.param(ams(2026, 10, 23, 16, 30), H, utc(2026, 10, 26, 8, 30), id="over-fall-back"),
    pytest.param(ams(2026, 4, 8, 11, 0), timedelta(0), utc(2026, 4, 8, 9, 0), id="zero-inside"),
    pytest.param(ams(2026, 4, 8, 17, 0), timedelta(0), utc(2026, 4, 9, 7, 0), id="zero-at-close"),
    pytest.param(utc(2026, 4, 8, 6, 0), H, utc(2026, 4, 8, 8, 0), id="utc-input"),
]


@pytest.mark.parametrize(("start", "duration", "expected"), ADDS)
def test_add_business_time(start, duration, expected):
    due = add(start, duration)
    assert due == expected
    assert due.utcoffset() == timedelta(0)


def test_add_business_time_with_other_hours():
    mornings = BusinessHours(open=time(8, 30), close=time(12, 0))
    # Wednesday 11:00 has one hour left; 2.5 more on Thursday from 08:30.
    assert add(ams(2026, 4, 8, 11, 0), 3.5 * H, mornings) == utc(2026, 4, 9, 9, 0)


def test_add_business_time_refuses_bad_input():
    with pytest.raises(ValueError, match="negative"):
        add(ams(2026, 4, 8, 10, 0), -M)
    with pytest.raises(ValueError, match="aware"):
        add(datetime(2026, 4, 8, 10, 0), H)  # noqa: DTZ001 - the naive input is the point


# --- business_time_between -------------------------------------------------------------------

BETWEENS = [
    pytest.param(ams(2026, 4, 8, 10), ams(2026, 4, 8, 12), 2 * H, id="same-day"),
    pytest.param(ams(2026, 4, 8, 12), ams(2026, 4, 8, 10), timedelta(0), id="end-before-start"),
    pytest.param(ams(2026, 4, 8, 10), ams(2026, 4, 8, 10), timedelta(0), id="empty"),
    pytest.param(ams(2026, 4, 10, 16), ams(2026, 4, 13, 10), 2 * H, id="over-weekend"),
    pytest.param(ams(2026, 4, 11, 8), ams(2026, 4, 12, 20), timedelta(0), id="weekend-only"),
    pytest.param(ams(2026, 4, 8, 18), ams(2026, 4, 9, 8), timedelta(0), id="overnight"),
    pytest.param(ams(2026, 4, 13, 9), ams(2026, 4, 20, 9), 40 * H, id="whole-week"),
    pytest.param(ams(2026, 4, 27, 9), ams(2026, 5, 4, 9), 32 * H, id="week-with-kings-day"),
    pytest.param(ams(2026, 3, 23, 9), ams(2026, 3, 30, 9), 40 * H, id="week-over-dst"),
]


@pytest.mark.parametrize(("start", "end", "expected"), BETWEENS)
def test_business_time_between(start, end, expected):
    assert between(start, end) == expected


# --- properties over a few weeks with a DST change and Easter --------------------------------

moments = st.datetimes(
    min_value=datetime(2026, 3, 14),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2026, 4, 12),  # noqa: DTZ001
    timezones=st.just(UTC),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=80 * H)


@given(moments, durations)
def test_between_inverts_add(start, duration):
    assert between(start, add(start, duration)) == duration


@given(moments, durations, durations)
def test_add_is_monotonic(start, shorter, longer):
    shorter, longer = sorted((shorter, longer))
    assert start <= add(start, shorter) <= add(start, longer)


@given(moments, durations.filter(lambda duration: duration > timedelta(0)))
def test_a_due_moment_falls_in_opening_hours(start, duration):
    local = add(start, duration).astimezone(AMS)
    assert NL.is_business_day(local.date())
    assert HOURS.open < local.time() <= HOURS.close


@given(moments, moments, moments)
def test_between_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    assert between(a, c) == between(a, b) + between(b, c)


# --- policies --------------------------------------------------------------------------------

KINDS = {
    "order_status",
    "not_received",
    "lost",
    "damaged_or_wrong_item",
    "undeliverable",
    "return",
    "refund_status",
    "address_change",
    "cancellation",
}


def test_every_case_kind_has_a_default_policy():
    assert set(DEFAULT_POLICIES) == KINDS
    assert {policy.first_response for policy in DEFAULT_POLICIES.values()} == {H}
    assert DEFAULT_POLICIES["not_received"].resolution == 40 * H
    assert DEFAULT_POLICIES["address_change"].resolution == 4 * H


POLICIES = [
    pytest.param("lost", None, SlaPolicy(resolution=40 * H), id="default"),
    pytest.param("lost", {}, SlaPolicy(resolution=40 * H), id="no-overrides"),
    pytest.param(
        "not_received",
        {"not_received": {"first_response": 30, "resolution": 1440}},
        SlaPolicy(first_response=30 * M, resolution=24 * H),
        id="both-fields",
    ),
    pytest.param(
        "lost",
        {"lost": {"resolution": 120}},
        SlaPolicy(first_response=H, resolution=2 * H),
        id="one-field-keeps-the-other",
    ),
    pytest.param(
        "order_status",
        {"lost": {"resolution": 120}},
        SlaPolicy(resolution=8 * H),
        id="other-kind-untouched",
    ),
]


@pytest.mark.parametrize(("kind", "overrides", "expected"), POLICIES)
def test_policy_for(kind, overrides, expected):
    assert policy_for(kind=kind, overrides=overrides) == expected


BAD_OVERRIDES = [
    pytest.param({"lots": {"resolution": 60}}, r"unknown case kind 'lots'", id="unknown-kind"),
    pytest.param({"lost": {"reply": 60}}, r"lost\.reply: unknown field", id="unknown-field"),
    pytest.param({"lost": {"resolution": 0}}, r"lost\.resolution must be 1 to", id="zero"),
    pytest.param({"lost": {"first_response": -5}}, r"lost\.first_response", id="negative"),
    pytest.param({"lost": {"resolution": 30.5}}, r"lost\.resolution must be whole", id="float"),
    pytest.param({"lost": {"resolution": "60"}}, r"lost\.resolution must be whole", id="string"),
    pytest.param({"lost": {"resolution": True}}, r"lost\.resolution must be whole", id="bool"),
    pytest.param({"lost": {"resolution": 10**9}}, r"lost\.resolution must be 1 to", id="huge"),
    pytest.param({"lost": 60}, r"override for lost must map", id="not-a-mapping"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_OVERRIDES)
def test_bad_overrides_are_refused_with_kind_and_field(overrides, message):
    # Asked for another kind: a typo anywhere in the settings is still reported.
    with pytest.raises(ValueError, match=message):
        policy_for(kind="order_status", overrides=overrides)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown case kind 'wismo'"):
        policy_for(kind="wismo")


@pytest.mark.parametrize(
    ("first_response", "resolution"),
    [pytest.param(timedelta(0), H, id="zero-response"), pytest.param(H, -H, id="negative")],
)
def test_policies_need_positive_targets(first_response, resolution):
    with pytest.raises(ValueError, match="positive"):
        SlaPolicy(first_response=first_response, resolution=resolution)


@pytest.mark.parametrize(
    ("open_", "close"),
    [
        pytest.param(time(17), time(9), id="overnight"),
        pytest.param(time(9), time(9), id="empty"),
        pytest.param(time(9, tzinfo=UTC), time(17), id="zoned"),
    ],
)
def test_business_hours_are_refused_when_unusable(open_, close):
    with pytest.raises(ValueError, match="business hours"):
        BusinessHours(open=open_, close=close)


# --- clock and state -------------------------------------------------------------------------


def test_sla_clock_friday_afternoon_case():
    clock = sla_clock(
        opened_at=ams(2026, 4, 24, 16, 30),
        policy=DEFAULT_POLICIES["not_received"],
        calendar=NL,
        hours=HOURS,
    )
    # King's Day Monday is skipped: 09:30 Tuesday; 40 working hours are half an hour on Friday,
    # four full days from Tuesday and 7.5 hours on the Monday after, until 16:30.
    assert clock == SlaClock(
        first_response_due=utc(2026, 4, 28, 7, 30),
        resolution_due=utc(2026, 5, 4, 14, 30),
    )


MONDAY_9 = ams(2026, 4, 13, 9, 0)
MONDAY_17 = ams(2026, 4, 13, 17, 0)

STATES = [
    pytest.param(MONDAY_17, ams(2026, 4, 13, 12), None, SlaState.ON_TRACK, id="early"),
    pytest.param(MONDAY_17, ams(2026, 4, 13, 15), None, SlaState.ON_TRACK, id="exactly-75pct"),
    pytest.param(MONDAY_17, ams(2026, 4, 13, 15, 1), None, SlaState.AT_RISK, id="past-75pct"),
    pytest.param(MONDAY_17, MONDAY_17, None, SlaState.AT_RISK, id="at-due"),
    pytest.param(MONDAY_17, ams(2026, 4, 13, 17, 1), None, SlaState.BREACHED, id="breached"),
    pytest.param(MONDAY_17, ams(2026, 4, 14, 9), ams(2026, 4, 13, 16), SlaState.MET, id="met"),
    pytest.param(MONDAY_17, ams(2026, 4, 14, 9), MONDAY_17, SlaState.MET, id="met-at-due"),
    pytest.param(
        MONDAY_17, ams(2026, 4, 14, 9), ams(2026, 4, 13, 17, 1), SlaState.MISSED, id="missed"
    ),
]


@pytest.mark.parametrize(("due", "now", "done_at", "expected"), STATES)
def test_sla_state(due, now, done_at, expected):
    state = sla_state(due=due, started=MONDAY_9, now=now, done_at=done_at, calendar=NL, hours=HOURS)
    assert state == expected


def test_a_weekend_does_not_use_the_budget():
    started, due = ams(2026, 4, 10, 16, 0), ams(2026, 4, 13, 16, 0)  # 8 working hours
    sunday = ams(2026, 4, 12, 12, 0)  # two thirds of the wall time, one working hour
    state = sla_state(due=due, started=started, now=sunday, done_at=None, calendar=NL, hours=HOURS)
    assert state == SlaState.ON_TRACK
    monday = ams(2026, 4, 13, 15, 0)  # 7 of 8 working hours used
    state = sla_state(due=due, started=started, now=monday, done_at=None, calendar=NL, hours=HOURS)
    assert state == SlaState.AT_RISK


def test_at_risk_share_is_configurable_and_checked():
    def state(share: float) -> SlaState:
        return sla_state(
            due=MONDAY_17,
            started=MONDAY_9,
            now=ams(2026, 4, 13, 13),
            done_at=None,
            calendar=NL,
            hours=HOURS,
            at_risk_share=share,
        )

    assert state(0.75) == SlaState.ON_TRACK
    assert state(0.4) == SlaState.AT_RISK
    with pytest.raises(ValueError, match="at_risk_share"):
        state(1.5)


# --- playbook A: resolved by the delivery ------------------------------------------------------

DELIVERY_DUES = [
    # Promised Thursday 7 May: due at Friday's close (one business day of slack).
    (date(2026, 5, 7), ams(2026, 5, 4, 10), ams(2026, 5, 8, 17)),
    # Promised Wednesday 13 May: Ascension Day on the 14th, so Friday the 15th.
    (date(2026, 5, 13), ams(2026, 5, 11, 10), ams(2026, 5, 15, 17)),
    # Promised Friday: the weekend does not count, Monday's close.
    (date(2026, 5, 8), ams(2026, 5, 6, 10), ams(2026, 5, 11, 17)),
    # The promise passed (late parcel): expected the next business day, due the one after.
    (date(2026, 5, 1), ams(2026, 5, 4, 10), ams(2026, 5, 6, 17)),
    # No promise at all: the same as late.
    (None, ams(2026, 5, 4, 10), ams(2026, 5, 6, 17)),
]


@pytest.mark.parametrize(("expected", "now", "due"), DELIVERY_DUES)
def test_a_follow_up_case_is_due_after_the_expected_delivery(expected, now, due):
    assert delivery_resolution_due(expected=expected, now=now, calendar=NL, hours=HOURS) == due


def test_the_delivery_due_never_comes_before_now_and_refuses_bad_input():
    now = ams(2026, 5, 4, 16, 59)
    assert (
        delivery_resolution_due(expected=date(2026, 5, 4), now=now, calendar=NL, hours=HOURS) > now
    )
    naive = datetime(2026, 5, 4)  # noqa: DTZ001 - the naive input is the point
    with pytest.raises(ValueError, match="aware"):
        delivery_resolution_due(expected=None, now=naive, calendar=NL, hours=HOURS)
    with pytest.raises(ValueError, match="slack_days"):
        delivery_resolution_due(expected=None, now=now, calendar=NL, hours=HOURS, slack_days=-1)

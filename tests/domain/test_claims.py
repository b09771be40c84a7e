"""Carrier claims: the window table, shop overrides, claim dates, reminders and status."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.calendar import BusinessCalendar
from parcelcare.domain.claims import (
    CARRIERS,
    WINDOWS,
    ClaimDates,
    ClaimKind,
    ClaimStatus,
    ClaimWindow,
    claim_dates,
    claim_status,
    claim_window,
    reminders,
)

AMS = ZoneInfo("Europe/Amsterdam")
NL = BusinessCalendar.of(AMS, {date(2026, 4, 6), date(2026, 4, 27)})  # Easter Monday, King's Day
LOSS, DAMAGE, DELAY = ClaimKind.LOSS, ClaimKind.DAMAGE, ClaimKind.DELAY
DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)


def ams(*args: int) -> datetime:
    """A wall-clock moment in Amsterdam."""
    return datetime(*args, tzinfo=AMS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def end_of(year: int, month: int, day: int) -> datetime:
    """The last microsecond of a local Amsterdam day, in UTC."""
    return (
        datetime.combine(date(year, month, day) + DAY, time(0), tzinfo=AMS).astimezone(UTC) - TICK
    )


# --- the table -------------------------------------------------------------------------------


def test_every_carrier_and_the_default_have_every_kind():
    assert set(WINDOWS) == {(carrier, kind) for carrier in ("*", *CARRIERS) for kind in ClaimKind}


@pytest.mark.parametrize(("key", "window"), list(WINDOWS.items()), ids=str)
def test_rows_count_from_the_right_moments(key, window):
    _, kind = key
    if kind == LOSS:
        # A loss opens after an investigation since the last scan; its deadline runs from
        # shipping, the earliest moment, so a late last scan cannot push the deadline out.
        assert (window.counted_from, window.deadline_anchor) == ("last_scan", "shipped")
        assert window.opens_after_days > 0
    else:
        assert (window.counted_from, window.deadline_anchor) == ("delivered", "delivered")
        assert window.opens_after_days == 0
    assert 0 < window.deadline_days <= 60


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"opens_after_days": -1}, id="negative-wait"),
        pytest.param({"deadline_days": -1}, id="negative-deadline"),
        pytest.param({"counted_from": "ordered"}, id="unknown-anchor"),
        pytest.param({"deadline_from": "ordered"}, id="unknown-deadline-anchor"),
    ],
)
def test_bad_windows_are_refused(fields):
    with pytest.raises(ValueError, match="claim window"):
        ClaimWindow(**{**vars(WINDOWS[("*", LOSS)]), **fields})


# --- claim_window and overrides --------------------------------------------------------------

POSTNL_LOSS = ClaimWindow(5, False, 30, "last_scan", deadline_from="shipped")

LOOKUPS = [
    pytest.param("postnl", LOSS, None, POSTNL_LOSS, id="own-row"),
    pytest.param("postnl", "loss", None, POSTNL_LOSS, id="kind-as-string"),
    pytest.param("fedex", DAMAGE, None, WINDOWS[("*", DAMAGE)], id="unknown-carrier-default"),
    pytest.param(
        "postnl",
        DAMAGE,
        {"postnl": {"damage": {"deadline_days": 5}}},
        ClaimWindow(0, True, 5, "delivered"),
        id="carrier-override",
    ),
    pytest.param(
        "fedex",
        LOSS,
        {"*": {"loss": {"deadline_days": 20}}},
        ClaimWindow(5, False, 20, "last_scan", deadline_from="shipped"),
        id="default-override-reaches-fallback",
    ),
    pytest.param(
        "postnl",
        LOSS,
        {"*": {"loss": {"deadline_days": 20}}},
        POSTNL_LOSS,
        id="default-override-spares-own-row",
    ),
    pytest.param(
        "fedex",
        LOSS,
        {"*": {"loss": {"deadline_days": 20}}, "fedex": {"loss": {"opens_after_days": 2}}},
        ClaimWindow(2, False, 20, "last_scan", deadline_from="shipped"),
        id="carrier-on-top-of-default-override",
    ),
    pytest.param(
        "dpd",
        LOSS,
        {"dpd": {"damage": {"deadline_days": 1}}},
        WINDOWS[("dpd", LOSS)],
        id="other-kind-untouched",
    ),
]


@pytest.mark.parametrize(("carrier", "kind", "overrides", "expected"), LOOKUPS)
def test_claim_window(carrier, kind, overrides, expected):
    assert claim_window(carrier=carrier, kind=kind, overrides=overrides) == expected


BAD_OVERRIDES = [
    pytest.param({"ups": {"theft": {"deadline_days": 5}}}, r"claim kind 'theft'", id="kind"),
    pytest.param(
        {"ups": {"loss": {"calendar_days": 5}}}, r"ups\.loss\.calendar_days: unknown", id="field"
    ),
    pytest.param({"ups": {"loss": {"deadline_days": -1}}}, r"ups\.loss\.deadline_days", id="neg"),
    pytest.param({"ups": {"loss": {"deadline_days": 800}}}, r"must be 0 to 730", id="huge"),
    pytest.param({"ups": {"loss": {"deadline_days": 2.5}}}, r"must be whole days", id="float"),
    pytest.param({"ups": {"loss": {"deadline_days": True}}}, r"must be whole days", id="bool"),
    pytest.param({"ups": {"loss": 14}}, r"ups\.loss must map", id="fields-not-a-mapping"),
    pytest.param({"ups": 14}, r"for ups must map", id="kinds-not-a-mapping"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_OVERRIDES)
def test_bad_overrides_are_refused_naming_carrier_kind_and_field(overrides, message):
    # Asked for another carrier: a typo anywhere in the settings is still reported.
    with pytest.raises(ValueError, match=message):
        claim_window(carrier="postnl", kind=LOSS, overrides=overrides)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown claim kind 'theft'"):
        claim_window(carrier="postnl", kind="theft")


# --- claim_dates -----------------------------------------------------------------------------

SHIPPED = ams(2026, 4, 1, 15, 0)  # Wednesday before Easter
LAST_SCAN = ams(2026, 4, 2, 8, 0)  # Thursday
DELIVERED = ams(2026, 4, 10, 14, 0)  # Friday

DATES = [
    pytest.param(
        WINDOWS[("postnl", LOSS)],
        # 5 business days after Thursday 2 April skip Easter Monday: Friday 10 April.
        ClaimDates(opens_at=utc(2026, 4, 9, 22), deadline_at=end_of(2026, 5, 1)),
        id="postnl-loss",
    ),
    pytest.param(
        WINDOWS[("dpd", LOSS)],
        ClaimDates(opens_at=utc(2026, 4, 7, 22), deadline_at=end_of(2026, 4, 15)),
        id="dpd-loss",
    ),
    pytest.param(
        WINDOWS[("ups", LOSS)],
        ClaimDates(opens_at=utc(2026, 4, 9, 22), deadline_at=utc(2026, 5, 31, 21, 59, 59, 999999)),
        id="ups-loss",
    ),
    pytest.param(
        WINDOWS[("postnl", DAMAGE)],
        ClaimDates(opens_at=utc(2026, 4, 10, 12), deadline_at=utc(2026, 4, 17, 21, 59, 59, 999999)),
        id="postnl-damage",
    ),
    pytest.param(
        WINDOWS[("colissimo", DAMAGE)],
        ClaimDates(opens_at=utc(2026, 4, 10, 12), deadline_at=end_of(2026, 4, 13)),
        id="colissimo-damage",
    ),
    pytest.param(
        ClaimWindow(3, True, 10, "shipped"),
        ClaimDates(opens_at=utc(2026, 4, 3, 22), deadline_at=end_of(2026, 4, 11)),
        id="calendar-day-wait",
    ),
    pytest.param(
        # Good Friday is a working day here, Easter Monday is not: Tuesday 7 April.
        ClaimWindow(3, False, 10, "shipped"),
        ClaimDates(opens_at=utc(2026, 4, 6, 22), deadline_at=end_of(2026, 4, 11)),
        id="business-day-wait-skips-easter",
    ),
]


@pytest.mark.parametrize(("window", "expected"), DATES)
def test_claim_dates(window, expected):
    dates = claim_dates(
        window=window,
        shipped_at=SHIPPED,
        delivered_at=DELIVERED,
        last_scan_at=LAST_SCAN,
        calendar=NL,
    )
    assert dates == expected
    assert dates.opens_at.utcoffset() == dates.deadline_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("delivered", "deadline"),
    [
        pytest.param(ams(2026, 3, 20, 10), utc(2026, 3, 27, 22, 59, 59, 999999), id="winter"),
        pytest.param(ams(2026, 3, 25, 10), utc(2026, 4, 1, 21, 59, 59, 999999), id="over-dst"),
        # 00:30 local is still the evening before in UTC: the local date counts.
        pytest.param(ams(2026, 4, 10, 0, 30), end_of(2026, 4, 17), id="just-after-midnight"),
    ],
)
def test_deadline_is_the_end_of_the_local_day(delivered, deadline):
    dates = claim_dates(
        window=WINDOWS[("dpd", DAMAGE)],
        shipped_at=None,
        delivered_at=delivered,
        last_scan_at=None,
        calendar=NL,
    )
    assert dates is not None
    assert dates.deadline_at == deadline


@pytest.mark.parametrize(
    ("kind", "shipped", "delivered", "last_scan"),
    [
        pytest.param(DAMAGE, SHIPPED, None, LAST_SCAN, id="damage-not-delivered"),
        pytest.param(DELAY, SHIPPED, None, LAST_SCAN, id="delay-not-delivered"),
        pytest.param(LOSS, SHIPPED, None, None, id="loss-without-scan"),
        pytest.param(LOSS, None, None, LAST_SCAN, id="loss-without-shipping"),
    ],
)
def test_no_dates_while_an_anchor_is_unknown(kind, shipped, delivered, last_scan):
    dates = claim_dates(
        window=WINDOWS[("postnl", kind)],
        shipped_at=shipped,
        delivered_at=delivered,
        last_scan_at=last_scan,
        calendar=NL,
    )
    assert dates is None


def test_naive_moments_are_refused():
    with pytest.raises(ValueError, match="aware"):
        claim_dates(
            window=WINDOWS[("postnl", DAMAGE)],
            shipped_at=None,
            delivered_at=datetime(2026, 4, 10, 14),  # noqa: DTZ001 - the naive input is the point
            last_scan_at=None,
            calendar=NL,
        )


moments = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(st.sampled_from(sorted(WINDOWS.items())), moments, st.timedeltas(DAY * 0, DAY * 20))
def test_dates_are_ordered_whole_local_days(row, shipped, scan_delay):
    _, window = row
    last_scan = shipped + scan_delay
    dates = claim_dates(
        window=window,
        shipped_at=shipped,
        delivered_at=last_scan,
        last_scan_at=last_scan,
        calendar=NL,
    )
    assert dates is not None
    # Delivery and last scan coincide here, so every window waits from `last_scan`.
    assert dates.opens_at >= last_scan
    assert dates.deadline_at > shipped
    assert (dates.deadline_at + TICK).astimezone(AMS).time() == time(0)


# --- reminders and status --------------------------------------------------------------------

DEADLINE = end_of(2026, 5, 1)
WINDOW = ClaimDates(opens_at=utc(2026, 4, 9, 22), deadline_at=DEADLINE)

REMINDERS = [
    pytest.param(utc(2026, 4, 1), (DEADLINE - 3 * DAY, DEADLINE - DAY), id="both-ahead"),
    pytest.param(DEADLINE - 2 * DAY, (DEADLINE - DAY,), id="one-ahead"),
    pytest.param(DEADLINE - DAY, (), id="last-one-is-now"),
    pytest.param(DEADLINE + DAY, (), id="after-deadline"),
]


@pytest.mark.parametrize(("now", "expected"), REMINDERS)
def test_reminders(now, expected):
    assert reminders(dates=WINDOW, now=now) == expected


def test_reminders_with_own_offsets_are_sorted_and_unique():
    before = (timedelta(hours=1), 7 * DAY, timedelta(hours=1))
    found = reminders(dates=WINDOW, now=utc(2026, 4, 1), before=before)
    assert found == (DEADLINE - 7 * DAY, DEADLINE - timedelta(hours=1))


def test_reminders_must_come_before_the_deadline():
    with pytest.raises(ValueError, match="positive"):
        reminders(dates=WINDOW, now=utc(2026, 4, 1), before=(DAY, timedelta(0)))


STATUSES = [
    pytest.param(WINDOW, utc(2026, 4, 5), None, ClaimStatus.NOT_OPEN_YET, id="waiting"),
    pytest.param(WINDOW, utc(2026, 4, 9, 22), None, ClaimStatus.OPEN, id="just-open"),
    pytest.param(WINDOW, DEADLINE - 3 * DAY - TICK, None, ClaimStatus.OPEN, id="open"),
    pytest.param(WINDOW, DEADLINE - 3 * DAY, None, ClaimStatus.DUE_SOON, id="three-days-left"),
    pytest.param(WINDOW, DEADLINE, None, ClaimStatus.DUE_SOON, id="last-moment"),
    pytest.param(WINDOW, DEADLINE + TICK, None, ClaimStatus.OVERDUE, id="overdue"),
    pytest.param(WINDOW, DEADLINE + DAY, utc(2026, 4, 20), ClaimStatus.FILED, id="filed"),
    pytest.param(
        ClaimDates(opens_at=DEADLINE + 4 * DAY, deadline_at=DEADLINE),
        DEADLINE - DAY,
        None,
        ClaimStatus.DUE_SOON,
        id="deadline-before-wait-ends",
    ),
]


@pytest.mark.parametrize(("dates", "now", "filed_at", "expected"), STATUSES)
def test_claim_status(dates, now, filed_at, expected):
    assert claim_status(dates=dates, now=now, filed_at=filed_at) == expected

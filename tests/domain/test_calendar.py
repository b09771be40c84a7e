"""BusinessCalendar: business-day counts, n-th business days and local day starts."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.calendar import BusinessCalendar

AMS = ZoneInfo("Europe/Amsterdam")
NL_HOLIDAYS = {
    date(2026, 1, 1),  # New Year, Thursday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 4, 27),  # King's Day, Monday
    date(2026, 5, 14),  # Ascension Day, Thursday
    date(2026, 12, 25),  # Christmas, Friday
    date(2026, 12, 26),  # Boxing Day, Saturday: a holiday on a weekend counts once
    date(2027, 1, 1),  # New Year, Friday
}
NL = BusinessCalendar.of(AMS, NL_HOLIDAYS)
D = date


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- business_days_after ---------------------------------------------------------------------

COUNTS = [
    pytest.param(D(2026, 4, 8), D(2026, 4, 8), 0, id="same-day"),
    pytest.param(D(2026, 4, 8), D(2026, 4, 1), 0, id="today-before-since"),
    pytest.param(D(2026, 4, 8), D(2026, 4, 9), 1, id="next-working-day"),
    pytest.param(D(2026, 4, 10), D(2026, 4, 11), 0, id="friday-to-saturday"),
    pytest.param(D(2026, 4, 10), D(2026, 4, 12), 0, id="friday-to-sunday"),
    pytest.param(D(2026, 4, 10), D(2026, 4, 13), 1, id="friday-to-monday"),
    pytest.param(D(2026, 4, 11), D(2026, 4, 13), 1, id="saturday-to-monday"),
    pytest.param(D(2026, 4, 3), D(2026, 4, 7), 1, id="easter-monday-skipped"),
    pytest.param(D(2026, 4, 23), D(2026, 4, 28), 2, id="kings-day-skipped"),
    pytest.param(D(2026, 4, 24), D(2026, 4, 27), 0, id="ends-on-kings-day"),
    pytest.param(D(2026, 4, 27), D(2026, 4, 28), 1, id="starts-on-kings-day"),
    pytest.param(D(2026, 12, 23), D(2026, 12, 28), 2, id="christmas-friday-skipped"),
    pytest.param(D(2026, 12, 24), D(2026, 12, 29), 2, id="boxing-day-on-saturday-once"),
    pytest.param(D(2026, 12, 31), D(2027, 1, 4), 1, id="new-year-across-years"),
    pytest.param(D(2026, 1, 5), D(2026, 2, 2), 20, id="four-whole-weeks"),
    pytest.param(D(2026, 4, 1), D(2026, 5, 1), 20, id="april-with-two-holidays"),
    pytest.param(D(2026, 1, 1), D(2027, 1, 1), 256, id="whole-year"),
]


@pytest.mark.parametrize(("since", "today", "expected"), COUNTS)
def test_business_days_after(since, today, expected):
    assert NL.business_days_after(since, today) == expected


# --- nth_business_day_after ------------------------------------------------------------------

NTH = [
    pytest.param(D(2026, 4, 8), 1, D(2026, 4, 9), id="wednesday-plus-1"),
    pytest.param(D(2026, 4, 9), 1, D(2026, 4, 10), id="thursday-plus-1"),
    pytest.param(D(2026, 4, 10), 1, D(2026, 4, 13), id="friday-plus-1-is-monday"),
    pytest.param(D(2026, 4, 11), 1, D(2026, 4, 13), id="saturday-plus-1-is-monday"),
    pytest.param(D(2026, 4, 2), 2, D(2026, 4, 7), id="over-easter-weekend"),
    pytest.param(D(2026, 4, 24), 1, D(2026, 4, 28), id="over-kings-day"),
    pytest.param(D(2026, 4, 27), 1, D(2026, 4, 28), id="from-kings-day"),
    pytest.param(D(2026, 12, 24), 1, D(2026, 12, 28), id="over-christmas"),
    pytest.param(D(2026, 12, 31), 1, D(2027, 1, 4), id="over-new-year"),
    pytest.param(D(2026, 4, 1), 7, D(2026, 4, 13), id="seven-days-from-april-1"),
    pytest.param(D(2026, 4, 1), 20, D(2026, 5, 1), id="twenty-days-from-april-1"),
]


@pytest.mark.parametrize(("since", "n", "expected"), NTH)
def test_nth_business_day_after(since, n, expected):
    assert NL.nth_business_day_after(since, n) == expected


# --- start_of and local_date -----------------------------------------------------------------

STARTS = [
    pytest.param(D(2026, 1, 15), utc(2026, 1, 14, 23), id="winter-cet"),
    pytest.param(D(2026, 7, 1), utc(2026, 6, 30, 22), id="summer-cest"),
    pytest.param(D(2026, 3, 28), utc(2026, 3, 27, 23), id="day-before-dst-starts"),
    pytest.param(D(2026, 3, 29), utc(2026, 3, 28, 23), id="dst-starts-later-that-night"),
    pytest.param(D(2026, 3, 30), utc(2026, 3, 29, 22), id="first-day-of-summer-time"),
    pytest.param(D(2026, 10, 25), utc(2026, 10, 24, 22), id="dst-ends-later-that-night"),
    pytest.param(D(2026, 10, 26), utc(2026, 10, 25, 23), id="first-day-of-winter-time"),
]


@pytest.mark.parametrize(("day", "expected"), STARTS)
def test_start_of_is_local_midnight_in_utc(day, expected):
    start = NL.start_of(day)
    assert start == expected
    assert start.utcoffset() == timedelta(0)
    local = start.astimezone(AMS)
    assert (local.date(), local.time()) == (day, time(0))


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        pytest.param(D(2026, 3, 29), 23, id="spring-forward-day-is-23h"),
        pytest.param(D(2026, 10, 25), 25, id="fall-back-day-is-25h"),
        pytest.param(D(2026, 6, 1), 24, id="ordinary-day-is-24h"),
    ],
)
def test_start_of_consecutive_days_follow_dst(day, hours):
    assert NL.start_of(day + timedelta(days=1)) - NL.start_of(day) == timedelta(hours=hours)


LOCAL_DATES = [
    pytest.param(utc(2026, 3, 28, 22, 59), D(2026, 3, 28), id="before-midnight-cet"),
    pytest.param(utc(2026, 3, 28, 23, 0), D(2026, 3, 29), id="midnight-cet"),
    pytest.param(utc(2026, 10, 24, 21, 59), D(2026, 10, 24), id="before-midnight-cest"),
    pytest.param(utc(2026, 10, 24, 22, 0), D(2026, 10, 25), id="midnight-cest"),
    pytest.param(utc(2026, 10, 25, 22, 30), D(2026, 10, 25), id="late-evening-after-fall-back"),
    pytest.param(
        datetime(2026, 4, 1, 23, 30, tzinfo=ZoneInfo("America/New_York")),
        D(2026, 4, 2),
        id="other-zone-converted",
    ),
]


@pytest.mark.parametrize(("moment", "expected"), LOCAL_DATES)
def test_local_date(moment, expected):
    assert NL.local_date(moment) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 4, 24), True, id="friday"),
        pytest.param(D(2026, 4, 25), False, id="saturday"),
        pytest.param(D(2026, 4, 26), False, id="sunday"),
        pytest.param(D(2026, 4, 27), False, id="kings-day"),
        pytest.param(D(2027, 4, 27), True, id="kings-day-2027-not-supplied"),
    ],
)
def test_is_business_day(day, expected):
    assert NL.is_business_day(day) is expected


def test_other_weekends_can_be_configured():
    friday_saturday = BusinessCalendar(tz=UTC, weekend=frozenset({4, 5}))
    assert friday_saturday.business_days_after(D(2026, 4, 9), D(2026, 4, 12)) == 1
    assert friday_saturday.nth_business_day_after(D(2026, 4, 9), 1) == D(2026, 4, 12)


def test_of_accepts_any_iterable_of_holidays():
    calendar = BusinessCalendar.of(AMS, (day for day in sorted(NL_HOLIDAYS)))
    assert calendar == NL
    assert isinstance(calendar.holidays, frozenset)


@pytest.mark.parametrize(
    "weekend",
    [
        pytest.param(frozenset(range(7)), id="every-day-off"),
        pytest.param(frozenset({5, 7}), id="no-such-weekday"),
        pytest.param(frozenset({-1}), id="negative-weekday"),
    ],
)
def test_a_week_without_working_days_is_refused(weekend):
    with pytest.raises(ValueError, match="weekend"):
        BusinessCalendar(tz=UTC, weekend=weekend)


# --- properties ------------------------------------------------------------------------------

days = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
weekends = st.frozensets(st.integers(0, 6), max_size=6)
holiday_sets = st.frozensets(days, max_size=40)
calendars = st.builds(
    lambda tz, holidays, weekend: BusinessCalendar(tz=tz, holidays=holidays, weekend=weekend),
    st.just(AMS),
    holiday_sets,
    weekends,
)


def naive_count(calendar: BusinessCalendar, since: date, today: date) -> int:
    """Walk day by day: the obviously right answer."""
    count, day = 0, since
    while day < today:
        day += timedelta(days=1)
        count += calendar.is_business_day(day)
    return count


@given(calendars, days, days)
def test_business_days_after_matches_a_day_by_day_count(calendar, since, today):
    assert calendar.business_days_after(since, today) == naive_count(calendar, since, today)


@given(calendars, days, st.integers(min_value=1, max_value=60))
def test_nth_business_day_after_round_trips(calendar, since, n):
    nth = calendar.nth_business_day_after(since, n)
    assert calendar.is_business_day(nth)
    assert calendar.business_days_after(since, nth) == n
    # ...and it is the first such day: the day before is one business day short.
    assert calendar.business_days_after(since, nth - timedelta(days=1)) == n - 1


ZONES_WITH_DST = [
    "Europe/Amsterdam",
    "Europe/London",
    "America/New_York",
    "America/Havana",  # clocks jump at midnight: 00:00 does not exist on spring-forward day
    "America/Santiago",  # southern hemisphere, also changes around midnight
    "Asia/Beirut",  # falls back from 00:00 to the previous day's 23:00
    "Australia/Lord_Howe",  # half-hour DST shift
]


@given(st.sampled_from(ZONES_WITH_DST), days)
def test_start_of_is_the_first_moment_of_the_local_day(zone, day):
    calendar = BusinessCalendar.of(ZoneInfo(zone))
    start = calendar.start_of(day)
    assert start.utcoffset() == timedelta(0)
    assert calendar.local_date(start) == day
    assert calendar.local_date(start - timedelta(microseconds=1)) == day - timedelta(days=1)

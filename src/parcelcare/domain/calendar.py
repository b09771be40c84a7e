"""Business-day arithmetic on a shop's calendar: weekends and a given set of holidays."""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cached_property

WEEKEND = frozenset({5, 6})
DATE_MEMO = 65_536
"""Moments whose local date is remembered; a review pass asks for the same `now` many times."""


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days in one time zone; holidays are supplied by the caller as dates."""

    tz: tzinfo
    holidays: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = WEEKEND
    # Many shipments share the same dates, so day arithmetic is memoised per calendar.
    _memo: dict[tuple[str, date, int | date], object] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _dates: dict[datetime, date] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        """Refuse a week without working days, on which no deadline could ever fall."""
        if not self.weekend <= set(range(7)) or len(self.weekend) >= 7:
            raise ValueError("weekend must be a proper subset of weekdays 0 (Monday) to 6")

    @classmethod
    def of(cls, tz: tzinfo, holidays: Iterable[date] = ()) -> "BusinessCalendar":
        """Build a calendar from any iterable of holiday dates."""
        return cls(tz=tz, holidays=frozenset(holidays))

    @cached_property
    def _sorted_holidays(self) -> tuple[date, ...]:
        """Holidays in date order, for range counts by bisection."""
        return tuple(sorted(self.holidays))

    def is_business_day(self, day: date) -> bool:
        """True when `day` is neither a weekend day nor a holiday."""
        return day.weekday() not in self.weekend and day not in self.holidays

    def local_date(self, moment: datetime) -> date:
        """The calendar date of an aware moment in this calendar's time zone."""
        found = self._dates.get(moment)
        if found is None:
            if len(self._dates) >= DATE_MEMO:
                self._dates.clear()
            found = self._dates[moment] = moment.astimezone(self.tz).date()
        return found

    def start_of(self, day: date) -> datetime:
        """Local midnight at the start of `day`, as an aware UTC datetime."""
        key = ("start", day, 0)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = datetime.combine(day, time(0), tzinfo=self.tz).astimezone(UTC)
        return found  # type: ignore[return-value]

    def business_days_after(self, since: date, today: date) -> int:
        """Count business days d with since < d <= today (days that have begun since)."""
        if today <= since:
            return 0
        key = ("after", since, today)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._count_after(since, today)
        return found  # type: ignore[return-value]

    def _count_after(self, since: date, today: date) -> int:
        weeks, rest = divmod((today - since).days, 7)
        count = weeks * (7 - len(self.weekend))
        first = since.weekday() + 1
        count += sum((first + i) % 7 not in self.weekend for i in range(rest))
        lo = bisect_right(self._sorted_holidays, since)
        hi = bisect_right(self._sorted_holidays, today)
        return count - sum(h.weekday() not in self.weekend for h in self._sorted_holidays[lo:hi])

    def nth_business_day_after(self, since: date, n: int) -> date:
        """The date of the n-th business day after `since` (n >= 1)."""
        key = ("nth", since, n)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._walk(since, n)
        return found  # type: ignore[return-value]

    def _walk(self, since: date, n: int) -> date:
        day = since
        found = 0
        while found < n:
            day += timedelta(days=1)
            if self.is_business_day(day):
                found += 1
        return day

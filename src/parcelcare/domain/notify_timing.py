"""When messages may go out: quiet hours, the daily cap per local day, pickup reminder days."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

Slot = tuple[str, str]
"""A notice as the daily cap counts it, (kind, detail): all its channels share one slot."""


def start_of(day: date, tz: tzinfo) -> datetime:
    """The first moment of a local day, in UTC (after the gap when midnight does not exist)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class QuietHours:
    """Local wall-clock hours in which nothing is sent; start == end means never quiet."""

    start: time = time(21, 0)
    end: time = time(8, 0)

    def __post_init__(self) -> None:
        """Quiet hours are wall-clock times, read in whichever zone they are applied to."""
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are naive wall-clock times")

    def contains(self, wall: time) -> bool:
        """Whether a local wall-clock time falls in the quiet period [start, end)."""
        wall = wall.replace(tzinfo=None, fold=0)
        if self.start <= self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def is_quiet(self, moment: datetime, tz: tzinfo) -> bool:
        """Whether an aware moment falls in the quiet period in zone `tz`."""
        # Through UTC: a wall time inside a DST gap must be read as the instant it stands for.
        return self.contains(moment.astimezone(UTC).astimezone(tz).time())

    def release(self, moment: datetime, tz: tzinfo) -> datetime:
        """The earliest moment at or after `moment` that is not quiet in `tz`, in UTC."""
        if not self.is_quiet(moment, tz):
            return moment.astimezone(UTC)
        # A review pass asks this for the same `now` and zone many times over.
        return _quiet_release(self, moment, tz)

    def _release(self, moment: datetime, tz: tzinfo) -> datetime:
        """release() for a quiet moment: the end of the quiet period, DST-safe."""
        today = moment.astimezone(tz).date()
        # A DST change can make the end's wall time missing or double: try both readings.
        instants = {
            datetime.combine(day, self.end.replace(fold=fold), tzinfo=tz).astimezone(UTC)
            for day in (today + timedelta(days=ahead) for ahead in range(4))
            for fold in (0, 1)
        }
        return min(at for at in instants if at >= moment and not self.is_quiet(at, tz))


@lru_cache(maxsize=4096)
def _quiet_release(quiet: QuietHours, moment: datetime, tz: tzinfo) -> datetime:
    return quiet._release(moment, tz)


NIGHT = QuietHours()
"""The default quiet period, 21:00 to 08:00 local time."""


@dataclass
class DailySlots:
    """Notices per local day in one zone, handing out free slots under a daily cap."""

    zone: tzinfo
    quiet: QuietHours
    cap: int | None
    used: dict[date, set[Slot]] = field(default_factory=dict)

    def local_date(self, moment: datetime) -> date:
        """The date of an aware moment in this zone."""
        return moment.astimezone(self.zone).date()

    def take(self, slot: Slot, moment: datetime) -> None:
        """Count a notice written for `moment`, whether or not the cap had room for it."""
        self.used.setdefault(self.local_date(moment), set()).add(slot)

    def _full(self, day: date, slot: Slot) -> bool:
        taken = self.used.get(day, set())
        return self.cap is not None and slot not in taken and len(taken) >= self.cap

    def place(self, slot: Slot, now: datetime, *, same_day_only: bool = False) -> datetime | None:
        """After quiet hours, on the first local day with room; None when that day is too late."""
        at = self.quiet.release(now, self.zone)
        first = day = self.local_date(at)
        while self._full(day, slot):
            day += timedelta(days=1)
            at = self.quiet.release(start_of(day, self.zone), self.zone)
            day = max(day, self.local_date(at))
        if same_day_only and day != first:
            return None
        self.used.setdefault(day, set()).add(slot)
        return at


def pickup_reminders(
    deadline: date, now: datetime, tz: tzinfo, days_before: Iterable[int] = (2, 1)
) -> list[date]:
    """The local dates, from today on, on which pickup reminders fall, earliest first."""
    today = now.astimezone(tz).date()
    days = {deadline - timedelta(days=d) for d in days_before if d >= 1}
    return sorted(day for day in days if day >= today)


def due_reminder(deadline: date, today: date, days_before: Iterable[int]) -> int | None:
    """The most urgent reminder whose day has come, while the hold lasts (days before deadline)."""
    left = (deadline - today).days
    due = [d for d in days_before if d >= left]
    return min(due) if due and left >= 0 else None

"""The customer's pace at send time: a daily cap and a minimum gap over every message to them.

Planning already spreads one shipment's notices over days; this check is the guarantee across
all of a customer's shipments and the case desk, applied just before a message goes out:

| message                      | daily cap | minimum gap | counts towards both |
|------------------------------|-----------|-------------|---------------------|
| case_received (they asked)   | exempt    | exempt      | yes                 |
| assistant_reply (they asked) | exempt    | exempt      | yes                 |
| case_reply (a person wrote)  | exempt    | held        | yes                 |
| return_received (they asked) | exempt    | exempt      | yes                 |
| return_approved / _arrived / | exempt    | held        | yes                 |
| _rejected, return_refunded   |           |             |                     |
| (answers)                    |           |             |                     |
| every other customer message | held      | held        | yes                 |

A notice is (shipment, kind, detail): its channels go out together and count once. A held
message is moved to the first moment it may go out (after the gap, or the first non-quiet moment
of the next local day with room); a kind that is only true on its own day is dropped instead.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from .notify_policy import SAME_DAY_ONLY, MessageKind
from .notify_timing import NIGHT, QuietHours, start_of

K = MessageKind

Notice = tuple[int, str, str]
"""A notice as the pace counts it: (shipment id, kind, detail)."""

UNCAPPED = frozenset(
    {
        K.CASE_RECEIVED,
        K.CASE_REPLY,
        K.ASSISTANT_REPLY,
        K.RETURN_RECEIVED,
        K.RETURN_APPROVED,
        K.RETURN_ARRIVED,
        K.RETURN_REJECTED,
        K.RETURN_REFUNDED,
    }
)
"""Answers the customer is waiting for: never held to the next day by the cap."""

NO_GAP = frozenset({K.CASE_RECEIVED, K.ASSISTANT_REPLY, K.RETURN_RECEIVED})
"""The acknowledgement of the customer's own report or return request, and the answer to their
own question, go out at once."""


@dataclass(frozen=True)
class Pace:
    """A shop's pace per customer: notices per local day, and the least time between two."""

    daily_cap: int | None = 2
    min_gap: timedelta = timedelta(minutes=15)
    quiet: QuietHours = NIGHT


@dataclass
class CustomerDay:
    """The notices a customer was sent recently, in their zone; updated as the batch goes."""

    zone: tzinfo
    sent: dict[Notice, datetime]

    def note(self, notice: Notice, at: datetime) -> None:
        """Count a notice going out at `at` (its other channels then follow freely)."""
        self.sent.setdefault(notice, at)


Verdict = tuple[str, datetime | None]
"""("send", None), ("later", when) or ("drop", None)."""


def _count_on(day: CustomerDay, moment: datetime) -> int:
    local = moment.astimezone(day.zone).date()
    return sum(1 for at in day.sent.values() if at.astimezone(day.zone).date() == local)


def _next_day(day: CustomerDay, moment: datetime, pace: Pace) -> datetime:
    tomorrow = moment.astimezone(day.zone).date() + timedelta(days=1)
    return pace.quiet.release(start_of(tomorrow, day.zone), day.zone)


def pace_of(notice: Notice, day: CustomerDay, pace: Pace, now: datetime) -> Verdict:
    """Whether a customer message may go out now, when it may instead, or that it is dropped."""
    if notice in day.sent:
        return "send", None  # another channel of a notice already out
    kind = MessageKind(notice[1])
    at = now
    if kind not in NO_GAP and day.sent:
        at = max(at, max(day.sent.values()) + pace.min_gap)
    if kind not in UNCAPPED and pace.daily_cap is not None:
        while _count_on(day, at) >= pace.daily_cap:
            at = _next_day(day, at, pace)
    if at == now:
        return "send", None
    if kind not in UNCAPPED:
        at = pace.quiet.release(at, day.zone)
    same_day = at.astimezone(day.zone).date() == now.astimezone(day.zone).date()
    if kind in SAME_DAY_ONLY and not same_day:
        return "drop", None
    return "later", at


def recent_window(now: datetime) -> datetime:
    """How far back the sends that can still count lie (a local day is at most 26 hours)."""
    return now - timedelta(hours=27)


def notices(rows: Iterable[tuple[int, str, str, datetime]]) -> dict[Notice, datetime]:
    """Sent rows (shipment, kind, detail, sent_at) as notices, each dated by its first send."""
    found: dict[Notice, datetime] = {}
    for shipment, kind, detail, at in rows:
        key = (shipment, kind, detail)
        if key not in found or at < found[key]:
            found[key] = at
    return found

"""News or history: imported facts about long ago never message a customer.

Orders and events arrive late (a CSV import, an API backfill, a first sync): a state reached
long before it reached parcelcare is history, and a message about it tells the customer what
they knew or, worse, what stopped being true since. Two kinds of facts, as a table:

| kind                                   | since                  | news while                     |
|----------------------------------------|------------------------|--------------------------------|
| shipped, out_for_delivery, delivered,  | the status began       | at most STALE_NEWS ago         |
| returning, returned, awaiting_pickup   |                        |                                |
| failed_attempt                         | the attempt            | at most STALE_NEWS ago         |
| delayed_N                              | the promised day ended | watched since then, or a fresh |
| likely_lost                            | the last carrier scan  | carrier scan says it still     |
| pickup_reminder                        | the pickup began       | travels                        |

"Watched" means parcelcare knew the shipment no later than STALE_NEWS after `since`: only then
does the absence of a delivery scan say something. A scan at most STALE_NEWS old says the parcel
is still under way, whenever parcelcare learnt of it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from .notify_policy import MessageKind

K = MessageKind

STALE_NEWS = timedelta(days=2)
"""A fact older than this when it reaches parcelcare is history, not news."""


@dataclass(frozen=True)
class Watch:
    """What parcelcare knows of when: since when it knows the shipment, and its carrier clock."""

    known_since: datetime
    status_since: datetime | None = None
    last_event_at: datetime | None = None


Payload = Mapping[str, str | int]
Since = Callable[[Payload, Watch], datetime | None]


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _after_promised(payload: Payload, watch: Watch) -> datetime | None:
    value = payload.get("promised_date")
    try:
        promised = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return None if promised is None else datetime.combine(promised, time(0), UTC) + timedelta(1)


def _status_since(payload: Payload, watch: Watch) -> datetime | None:
    return watch.status_since


def _evidence(name: str) -> Since:
    return lambda payload, watch: _moment(payload.get(name))


EVENTS: Mapping[MessageKind, Since] = MappingProxyType(
    {
        K.SHIPPED: _status_since,
        K.OUT_FOR_DELIVERY: _status_since,
        K.DELIVERED: _status_since,
        K.RETURNING: _status_since,
        K.RETURNED: _status_since,
        K.AWAITING_PICKUP: _status_since,
        K.FAILED_ATTEMPT: _evidence("attempted_at"),
    }
)
"""Kinds about something the carrier reported: news while the report is fresh."""

SILENCES: Mapping[MessageKind, Since] = MappingProxyType(
    {
        K.DELAYED_1: _after_promised,
        K.DELAYED_2: _after_promised,
        K.DELAYED_3: _after_promised,
        K.LIKELY_LOST: _evidence("last_event_at"),
        K.PICKUP_REMINDER: _status_since,
    }
)
"""Kinds about something that did not happen: news only to whoever was watching."""


def is_history(kind: MessageKind, payload: Payload, watch: Watch | None, now: datetime) -> bool:
    """Whether a customer message would be about the past: then it is not planned at all."""
    if watch is None:
        return False
    event = EVENTS.get(kind)
    if event is not None:
        since = event(payload, watch)
        return since is not None and now - since > STALE_NEWS
    silence = SILENCES.get(kind)
    if silence is None:
        return False
    scan = watch.last_event_at
    if scan is not None and now - scan <= STALE_NEWS:
        return False  # a fresh scan: still under way, whenever parcelcare learnt of it
    since = silence(payload, watch)
    return since is not None and watch.known_since - since > STALE_NEWS

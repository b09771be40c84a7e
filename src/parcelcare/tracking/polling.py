"""Polling carriers that only answer on request: schedule, claim with a lease, fetch, ingest.

A shop turns polling on per carrier with a `Connection(source="poll:<carrier>")` whose settings
hold `api_key` (and optionally `api_secret`, `requests_per_minute`, `burst`). Each shipment of
such a carrier gets one PollSchedule; `poll_due` leases the due ones, asks the carrier within
its rate limit, parses the raw answers with our own parsers and ingests the events.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from parcelcare import leases
from parcelcare.accounts.models import Connection
from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.polling import RateLimit, next_poll_at
from parcelcare.domain.timeline import TrackingEvent
from parcelcare.domain.vocabulary import TERMINAL_STATUSES
from parcelcare.integrations.carriers.pickup import READERS as PICKUP_READERS
from parcelcare.integrations.carriers.pickup import PickupPoint
from parcelcare.integrations.carriers.registry import is_known_carrier
from parcelcare.integrations.catalogue import MODULE_OF
from parcelcare.integrations.polling.http import PollError

from .ingest import ingest_parsed
from .models import PollSchedule, Shipment
from .pickup_points import save_pickup_points
from .sql import to_db

log = logging.getLogger(__name__)

SOURCE = "poll:"
LEASE = timedelta(minutes=10)
"""How long a claimed schedule is left to its worker; one that died is claimed again after."""
BATCH = 200
BACKOFF_BASE = {True: timedelta(minutes=5), False: timedelta(hours=1)}
"""First wait after a failure, by whether the error is retryable; it doubles per attempt."""
MAX_BACKOFF = timedelta(hours=24)
PER_MINUTE = {"dhl": 12, "postnl": 60}
"""Default requests a minute per carrier (DHL Unified's entry plan allows one per 5 s)."""
OTHER_PER_MINUTE = 30

Fetcher = Callable[[str, list[str], Mapping[str, Any]], Mapping[str, bytes | str]]
Buckets = dict[tuple[str, int], RateLimit]
Parser = Callable[..., list[TrackingEvent]]

NO_CREDENTIALS = "no polling credentials"
"""Why a schedule stopped when its shop has no credentials; it restarts when they return."""

RATE_BUCKETS: Buckets = {}
"""This process's buckets, kept between runs of the periodic task."""


def parser_of(carrier: str) -> Parser | None:
    """Our parser for a registered carrier's raw answers, or None when there is none."""
    if not is_known_carrier(carrier):
        return None
    folder = MODULE_OF.get(carrier, carrier)
    try:
        module = import_module(f"parcelcare.integrations.carriers.{folder}.parse")
    except ImportError:
        return None
    parse: Parser = module.parse
    return parse


def credentials_of(shop_ids: Iterable[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """Polling settings with an API key, by (shop, carrier)."""
    found = {}
    for link in Connection.objects.filter(shop_id__in=list(shop_ids), source__startswith=SOURCE):
        settings = link.settings if isinstance(link.settings, dict) else {}
        carrier = link.source.removeprefix(SOURCE)
        if settings.get("api_key") and parser_of(carrier) is not None:
            found[(link.shop_id, carrier)] = settings
    return found


def polling_shops() -> list[int]:
    """Shops with at least one carrier's polling credentials."""
    ids = Connection.objects.filter(source__startswith=SOURCE).values_list("shop_id", flat=True)
    return sorted({shop for shop, _ in credentials_of(set(ids))})


def _next(shipment: Shipment, last_polled_at: datetime | None, now: datetime) -> datetime | None:
    return next_poll_at(
        status=shipment.status,
        last_event_at=shipment.last_event_at,
        promised_date=shipment.promised_date,
        last_polled_at=last_polled_at,
        now=now,
        first_seen_at=shipment.created_at,
    )


def schedule_polls(*, shop_id: int, now: datetime) -> int:
    """Create or re-time the shop's poll schedules; how many were written."""
    carriers = [carrier for _, carrier in credentials_of([shop_id])]
    if not carriers:
        return 0
    new = [
        PollSchedule(shop_id=shop_id, shipment=s, next_poll_at=when)
        for s in Shipment.objects.filter(
            shop_id=shop_id, carrier__in=carriers, poll_schedule__isnull=True
        ).exclude(status__in=TERMINAL_STATUSES)
        if (when := _next(s, None, now)) is not None
    ]
    PollSchedule.objects.bulk_create(new, batch_size=500)
    # Re-timed: idle schedules whose shipment changed since their last poll (an event from a
    # webhook, a new promised date), unless they are failing or already stopped for good, and
    # schedules that waited for credentials.
    changed = list(
        PollSchedule.objects.filter(shop_id=shop_id, shipment__carrier__in=carriers)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(
            Q(attempts=0, shipment__updated_at__gt=F("last_polled_at"))
            & ~Q(next_poll_at__isnull=True, shipment__status__in=TERMINAL_STATUSES)
            | Q(next_poll_at__isnull=True, last_error=NO_CREDENTIALS)
        )
        .select_related("shipment")
    )
    for schedule in changed:
        schedule.next_poll_at = _next(schedule.shipment, schedule.last_polled_at, now)
        schedule.last_error = "" if schedule.last_error == NO_CREDENTIALS else schedule.last_error
    PollSchedule.objects.bulk_update(changed, ["next_poll_at", "last_error"], batch_size=500)
    return len(new) + len(changed)


def claim(now: datetime, limit: int = BATCH) -> list[int]:
    """Lease up to `limit` schedules that are due and not leased (or whose lease expired)."""
    at = to_db(now)
    return leases.claim(
        PollSchedule,
        due="next_poll_at <= %s AND (lease_until IS NULL OR lease_until < %s)",
        params=[at, at],
        order_by="next_poll_at",
        limit=limit,
        now=now,
        lease=LEASE,
    )


def poll_due(
    *, now: datetime, fetcher: Fetcher, buckets: Buckets | None = None, limit: int = BATCH
) -> dict[str, int]:
    """Poll every due schedule, batch after batch; counts of what happened."""
    buckets = {} if buckets is None else buckets
    counts: Counter[str] = Counter()
    while ids := claim(now, limit):
        schedules = list(PollSchedule.objects.filter(id__in=ids).select_related("shipment"))
        groups: dict[tuple[int, str], list[PollSchedule]] = defaultdict(list)
        for schedule in schedules:
            groups[(schedule.shop_id, schedule.shipment.carrier)].append(schedule)
        credentials = credentials_of({shop for shop, _ in groups})
        for (shop_id, carrier), group in sorted(groups.items()):
            settings = credentials.get((shop_id, carrier))
            if settings is None:
                counts["stopped"] += _stop(group, NO_CREDENTIALS)
            else:
                counts.update(_poll_group(shop_id, carrier, group, settings, fetcher, now, buckets))
        if len(ids) < limit:
            break
    return dict(+counts)


def _poll_group(
    shop_id: int,
    carrier: str,
    group: list[PollSchedule],
    settings: Mapping[str, Any],
    fetcher: Fetcher,
    now: datetime,
    buckets: Buckets,
) -> Counter[str]:
    """One shop's due schedules on one carrier: stop, defer, fetch, ingest, re-time."""
    counts: Counter[str] = Counter()
    live: list[PollSchedule] = []
    ended: list[PollSchedule] = []
    for schedule in group:
        (live if _next(schedule.shipment, None, now) is not None else ended).append(schedule)
    with transaction.atomic():
        counts["stopped"] += _stop(ended, "")
        allowed = _within_rate(shop_id, carrier, live, settings, now, buckets)
    counts["deferred"] += len(live) - len(allowed)
    if not allowed:
        return counts
    numbers = [s.shipment.tracking_number for s in allowed]
    # Outside any transaction: a slow carrier must not hold the database, the lease guards
    # these rows meanwhile.
    try:
        answers = fetcher(carrier, numbers, settings)
    except PollError as error:
        counts["failed"] += _fail(allowed, now, error.detail, error.retryable, error.retry_after)
        return counts
    except Exception as error:
        # A bug or an unexpected library error: retried later, its text never logged or kept
        # (it could quote a carrier answer).
        log.warning("polling %s failed with %s", carrier, type(error).__name__)
        counts["failed"] += _fail(allowed, now, type(error).__name__, True, None)
        return counts
    with transaction.atomic():
        return counts + _ingest(shop_id, carrier, allowed, answers, now)


def _within_rate(
    shop_id: int,
    carrier: str,
    schedules: list[PollSchedule],
    settings: Mapping[str, Any],
    now: datetime,
    buckets: Buckets,
) -> list[PollSchedule]:
    """The schedules the carrier's rate limit lets through now; the others wait for a token."""
    per_minute = _count(
        settings.get("requests_per_minute"), PER_MINUTE.get(carrier, OTHER_PER_MINUTE)
    )
    burst = _count(settings.get("burst"), per_minute)
    key = (carrier, shop_id)
    bucket = buckets.get(key) or RateLimit(per_minute, burst)
    if (bucket.per_minute, bucket.burst) != (per_minute, burst):
        bucket = RateLimit(per_minute, burst, bucket.full_at)
    allowed: list[PollSchedule] = []
    deferred: list[PollSchedule] = []
    for schedule in schedules:
        ok, free_at, bucket = bucket.take(now)
        if ok:
            allowed.append(schedule)
        else:
            schedule.next_poll_at, schedule.lease_until = free_at, None
            deferred.append(schedule)
    buckets[key] = bucket
    PollSchedule.objects.bulk_update(deferred, ["next_poll_at", "lease_until"])
    return allowed


def _count(value: Any, default: int) -> int:
    """A positive whole number from the settings, or the default for anything else."""
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
    )


def _ingest(
    shop_id: int,
    carrier: str,
    schedules: list[PollSchedule],
    answers: Mapping[str, bytes | str],
    now: datetime,
) -> Counter[str]:
    """Parse each answer, ingest the events, re-time the schedules from the new state."""
    parse = parser_of(carrier)
    assert parse is not None, "credentials_of only keeps carriers with a parser"
    counts: Counter[str] = Counter()
    events: dict[tuple[Any, ...], TrackingEvent] = {}
    pickups: dict[str, PickupPoint] = {}
    read_pickups = PICKUP_READERS.get(carrier)
    read: list[PollSchedule] = []
    for schedule in schedules:
        number = schedule.shipment.tracking_number
        if number not in answers:
            counts["failed"] += _fail([schedule], now, "no answer for this number", True, None)
            continue
        try:
            parsed = parse(answers[number], tracking_number=number)
        except InvalidEvent as error:
            counts["failed"] += _fail([schedule], now, f"unreadable answer: {error}", False, None)
            continue
        events.update((event.key, event) for event in parsed)
        if read_pickups is not None:
            pickups.update(read_pickups(answers[number]))
        read.append(schedule)
    if events:
        counts["events"] += ingest_parsed(
            shop_id=shop_id, events=list(events.values()), now=now
        ).accepted
    if pickups:
        save_pickup_points(shop_id=shop_id, points=pickups)
    counts["polled"] += len(read)
    counts["stopped"] += _done(read, now)
    return counts


def _done(schedules: list[PollSchedule], now: datetime) -> int:
    """Re-time polled schedules from their shipment's fresh state; how many stopped."""
    fresh = Shipment.objects.in_bulk([s.shipment_id for s in schedules])
    for schedule in schedules:
        schedule.next_poll_at = _next(fresh[schedule.shipment_id], now, now)
        schedule.last_polled_at, schedule.lease_until = now, None
        schedule.attempts, schedule.last_error = 0, ""
    PollSchedule.objects.bulk_update(
        schedules, ["next_poll_at", "last_polled_at", "lease_until", "attempts", "last_error"]
    )
    return sum(s.next_poll_at is None for s in schedules)


def _stop(schedules: list[PollSchedule], reason: str) -> int:
    """End polling for these schedules; the rows stay so `schedule_polls` does not recreate them."""
    for schedule in schedules:
        schedule.next_poll_at, schedule.lease_until = None, None
        schedule.last_error = reason
    PollSchedule.objects.bulk_update(schedules, ["next_poll_at", "lease_until", "last_error"])
    return len(schedules)


def _fail(
    schedules: list[PollSchedule],
    now: datetime,
    error: str,
    retryable: bool,
    retry_after: float | None,
) -> int:
    """Back off exponentially per schedule; the schedule is kept."""
    for schedule in schedules:
        schedule.attempts += 1
        wait = min(MAX_BACKOFF, BACKOFF_BASE[retryable] * 2 ** min(schedule.attempts - 1, 16))
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        schedule.next_poll_at, schedule.lease_until = now + wait, None
        schedule.last_error = error[:200]
    PollSchedule.objects.bulk_update(
        schedules, ["attempts", "next_poll_at", "lease_until", "last_error"]
    )
    return len(schedules)

"""The webhook inbox: store first, answer fast, process later with leases and retries."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from pydantic import ValidationError

from parcelcare import leases
from parcelcare.accounts.models import Connection
from parcelcare.domain.errors import DomainError
from parcelcare.integrations.webhooks import Headers, Outcome, StoredSource
from parcelcare.messaging.delivery import apply_reports

from .ingest import ingest_parsed
from .models import InboxItem
from .orders import upsert_orders
from .pickup_points import save_pickup_points
from .privacy import apply_privacy
from .schemas import OrderIn
from .sql import to_db

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
S = InboxItem.Status


def secrets_for(shop_id: int, source: str, now: datetime) -> list[str]:
    """The shop's live secrets for a source: the current one, and the previous during rotation."""
    link = Connection.objects.filter(shop_id=shop_id, source=source).first()
    if link is None:
        return []
    live = [link.secret]
    if link.previous_secret and link.previous_valid_until and link.previous_valid_until > now:
        live.append(link.previous_secret)
    return live


@dataclass(frozen=True)
class Received:
    """What the endpoint answers: the inbox id, or that the delivery was seen before."""

    item_id: int | None
    duplicate: bool


def receive(
    *, shop_id: int, source: StoredSource, headers: Headers, body: bytes, now: datetime
) -> Received:
    """Store a verified delivery; a repeated sender event id is acknowledged, not stored twice."""
    delivery = source.delivery(headers, body)
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                shop_id=shop_id,
                source=source.slug,
                event_id=delivery.event_id[:200],
                topic=delivery.topic[:100],
                body=body,
                received_at=now,
            )
    except IntegrityError:
        return Received(item_id=None, duplicate=True)
    return Received(item_id=item.id, duplicate=False)


def claim(now: datetime, limit: int = 50) -> list[int]:
    """Lease up to `limit` items that are new, due for a retry, or whose lease expired."""
    at = to_db(now)
    return leases.claim(
        InboxItem,
        due="status = 'pending' OR (status = 'processing' AND lease_until < %s) "
        "OR (status = 'failed' AND next_attempt_at <= %s)",
        params=[at, at],
        order_by="id",
        limit=limit,
        now=now,
        lease=LEASE,
        status=S.PROCESSING,
    )


def apply_outcome(shop_id: int, language: str, outcome: Outcome, now: datetime) -> None:
    """Store what a webhook meant: orders, events, privacy requests, delivery reports."""
    if outcome.orders:
        batch = [OrderIn.model_validate(order) for order in outcome.orders]
        result = upsert_orders(shop_id=shop_id, default_language=language, batch=batch, now=now)
        if result.errors:
            raise DomainError("; ".join(result.errors.values()))
    if outcome.events:
        unique = {event.key: event for event in outcome.events}
        ingest_parsed(shop_id=shop_id, events=list(unique.values()), now=now)
    if outcome.pickups:
        save_pickup_points(shop_id=shop_id, points=outcome.pickups)
    apply_privacy(shop_id=shop_id, outcome=outcome, now=now)
    if outcome.refunds:
        from parcelcare.ledger.payout_news import apply_refund_news

        apply_refund_news(shop_id=shop_id, news=outcome.refunds, now=now)
    if outcome.reports:
        outcome.ignored = apply_reports(shop_id=shop_id, reports=outcome.reports).note()


def finish(item_id: int, *, attempts: int, now: datetime, note: str) -> None:
    """Mark an item processed, with a note for the inbox page (what was ignored or counted)."""
    InboxItem.objects.filter(id=item_id).update(
        status=S.DONE, attempts=attempts, processed_at=now, lease_until=None, last_error=note[:500]
    )


def process(item_id: int, sources: Mapping[str, StoredSource], now: datetime) -> str:
    """Apply one leased item in one transaction; failures are retried, bad input goes dead."""
    item = InboxItem.objects.select_related("shop").get(id=item_id)
    try:
        with transaction.atomic():
            outcome = sources[item.source].handle(item.topic, bytes(item.body))
            apply_outcome(item.shop_id, item.shop.default_language, outcome, now)
            finish(item.id, attempts=item.attempts + 1, now=now, note=outcome.ignored)
        return S.DONE
    except ValidationError as error:
        # The body itself is wrong: retrying cannot help, an agent can replay after a fix.
        return _fail(item, now, _fields(error), permanent=True)
    except DomainError as error:
        return _fail(item, now, f"{type(error).__name__}: {error}", permanent=True)
    except Exception as error:
        # Anything else (a database hiccup, a bug) is retried with backoff. The message is not
        # logged: it could quote personal data from the body.
        log.warning("inbox item %s failed with %s", item.id, type(error).__name__)
        return _fail(item, now, type(error).__name__, permanent=False)


def _fields(error: ValidationError) -> str:
    """Which fields were wrong and why, without the values (they may be personal data)."""
    parts = [".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in error.errors()[:5]]
    return "invalid order: " + "; ".join(parts)


def _fail(item: InboxItem, now: datetime, error: str, *, permanent: bool) -> str:
    attempts = item.attempts + 1
    dead = permanent or attempts >= MAX_ATTEMPTS
    status = S.DEAD if dead else S.FAILED
    retry = None if dead else now + timedelta(seconds=min(3600, 15 * 2 ** (attempts - 1)))
    InboxItem.objects.filter(id=item.id).update(
        status=status,
        attempts=attempts,
        next_attempt_at=retry,
        lease_until=None,
        last_error=error[:2000],
    )
    return status


def process_due(
    sources: Mapping[str, StoredSource], now: datetime, limit: int = 50
) -> dict[str, int]:
    """Claim and process due items until none is left; counts per outcome."""
    counts: dict[str, int] = {}
    while ids := claim(now, limit):
        for item_id in ids:
            status = process(item_id, sources, now)
            counts[status] = counts.get(status, 0) + 1
        if len(ids) < limit:
            break
    return counts


def replay(*, shop_id: int, item_id: int) -> bool:
    """Put a failed or dead item of the shop back in the queue; False when there is none."""
    return bool(
        InboxItem.objects.filter(shop_id=shop_id, id=item_id, status__in=[S.FAILED, S.DEAD]).update(
            status=S.PENDING, next_attempt_at=None, lease_until=None
        )
    )

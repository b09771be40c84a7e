"""Plan messages for reviewed shipments and write them to the outbox in the same transaction."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from parcelcare.domain.detection import Finding, Review
from parcelcare.domain.notifications import NEWS, decide, withdrawals
from parcelcare.domain.notify_news import STALE_NEWS, Watch
from parcelcare.domain.notify_policy import (
    Audience as To,
)
from parcelcare.domain.notify_policy import (
    Channel,
    MessageIntent,
    MessageKind,
    NotifyPolicy,
    Sent,
)
from parcelcare.domain.notify_truth import DESK_MESSAGES, SendFacts, why_untrue
from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus
from parcelcare.tracking.sql import execute_many, from_db, insert_many, select_in, to_db

from .recipients import Audience, audiences

__all__ = ["STALE_NEWS", "StatusChange", "queue_messages"]

COLUMNS = (
    "shop_id",
    "shipment_id",
    "kind",
    "channel",
    "audience",
    "detail",
    "idempotency_key",
    "language",
    "payload",
    "send_at",
    "status",
    "attempts",
    "created_at",
    "provider_message_id",
    "last_error",
)


@dataclass(frozen=True)
class StatusChange:
    """A shipment's status now, before this change, and since when it holds; with what tells
    imported history from news: since when parcelcare knows the shipment, its latest scan."""

    status: ShipmentStatus
    previous: ShipmentStatus | None
    since: datetime | None
    known_since: datetime | None = None
    last_event_at: datetime | None = None

    @property
    def watch(self) -> Watch | None:
        """The facts `decide` reads to leave imported history unsaid."""
        if self.known_since is None:
            return None
        return Watch(self.known_since, self.since, self.last_event_at)


QUIET_FINDINGS = frozenset({FindingKind.STALLED, FindingKind.CARRIER_EXCEPTION})
"""Findings that send no message of their own (an agent watches them)."""


def _nothing_to_say(change: StatusChange, findings: tuple[Finding, ...], queued: bool) -> bool:
    """A shortcut for the common case: no news, no message-worthy finding, nothing queued."""
    news = change.status != change.previous and change.status in NEWS
    return not news and not queued and all(f.kind in QUIET_FINDINGS for f in findings)


def _still_true(kind: str, findings: tuple[Finding, ...]) -> bool:
    """Whether a queued merchant notice or desk task still matches the shipment's findings."""
    found = {(f.kind, f.level) for f in findings}
    if kind == MessageKind.NOT_SHIPPED_MERCHANT:
        return any(k == FindingKind.NOT_SHIPPED for k, _ in found)
    if kind == MessageKind.AGENT_FOLLOWUP:
        return (FindingKind.DELAYED, 3) in found or any(
            k == FindingKind.LIKELY_LOST for k, _ in found
        )
    return True


def _facts(
    status: ShipmentStatus, findings: tuple[Finding, ...], to: Audience, now: datetime
) -> SendFacts:
    """The shipment as this review sees it, for the table the sender checks again later."""
    return SendFacts(
        status=status,
        delivered=status == ShipmentStatus.DELIVERED,
        findings=frozenset((f.kind, f.level) for f in findings),
        local_date=now.astimezone(to.recipient.zone).date(),
    )


def _untrue(kind: str, detail: str, facts: SendFacts) -> bool:
    """A queued shipment message (not a case or return message) that the facts now deny."""
    return kind not in DESK_MESSAGES and bool(why_untrue(kind, detail, facts))


def _history(
    ids: list[int],
) -> tuple[dict[int, list[Sent]], dict[int, list[tuple[str, str, str]]]]:
    """What each shipment was already sent or has queued, and its queued (kind, key, detail)."""
    rows = select_in(
        "SELECT shipment_id, kind, channel, detail, send_at, sent_at, status, idempotency_key "
        "FROM messaging_outboxmessage WHERE status <> 'withdrawn' AND shipment_id IN ({ids})",
        ids,
    )
    sent: dict[int, list[Sent]] = defaultdict(list)
    queued: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for sid, kind, channel, detail, send_at, sent_at, status, key in rows:
        if status == "queued":
            queued[sid].append((kind, key, detail))
        moment = from_db(sent_at) or from_db(send_at)
        assert moment is not None
        sent[sid].append(
            Sent(MessageKind(kind), Channel(channel) if channel else None, moment, detail)
        )
    return sent, queued


def _policy(to: Audience) -> NotifyPolicy:
    return shop_policy(to.shop_zone, to.shop_language, to.carriers_that_notify)


@lru_cache(maxsize=256)
def shop_policy(zone: str, language: str, carriers_that_notify: frozenset[str]) -> NotifyPolicy:
    """A shop's policy: the defaults in its zone and language, silent where its carriers speak."""
    return NotifyPolicy(
        shop_time_zone=zone,
        default_language=language,
        silent_when_carrier_notifies=bool(carriers_that_notify),
        carriers_that_notify=carriers_that_notify,
    )


def _row(to: Audience, intent: MessageIntent, now: datetime) -> tuple:
    language = to.shop_language if intent.audience != To.CUSTOMER else to.recipient.language
    return (
        to.shop_id,
        to.shipment_id,
        intent.kind.value,
        intent.channel.value if intent.channel else "",
        intent.audience.value,
        intent.detail,
        intent.idempotency_key,
        language,
        json.dumps(intent.payload),
        to_db(intent.send_at),
        "queued",
        0,
        to_db(now),
        "",
        "",
    )


def queue_messages(
    *, reviews: dict[int, tuple[int, Review]], changes: dict[int, StatusChange], now: datetime
) -> int:
    """Decide what each reviewed shipment should tell whom, queue it, withdraw what is stale."""
    ids = sorted(reviews)
    if not ids:
        return 0
    people, (history, queued) = audiences(ids), _history(ids)
    rows: list[tuple[Any, ...]] = []
    withdrawn: list[tuple[int, str]] = []
    for sid in ids:
        to, change = people.get(sid), changes[sid]
        if to is None:
            continue
        previous = change.previous
        if change.since is not None and now - change.since > STALE_NEWS:
            previous = change.status
        findings = reviews[sid][1].findings
        if (
            _nothing_to_say(
                StatusChange(change.status, previous, None), findings, bool(queued[sid])
            )
            and not history[sid]
        ):
            continue
        intents = decide(
            shipment_id=sid,
            carrier=to.carrier,
            findings=reviews[sid][1].findings,
            status=change.status,
            previous_status=previous,
            recipient=to.recipient,
            policy=_policy(to),
            sent=history[sid],
            now=now,
            watch=change.watch,
        )
        rows.extend(_row(to, intent, now) for intent in intents)
        facts = _facts(change.status, findings, to, now)
        withdrawn.extend(
            (to.shop_id, key)
            for kind, key, detail in queued[sid]
            if not _still_true(kind, findings) or _untrue(kind, detail, facts)
        )
        withdrawn.extend(
            (to.shop_id, key)
            for key in withdrawals(
                shipment_id=sid, status=change.status, intents=intents, sent=history[sid], now=now
            )
        )
    inserted = insert_many("messaging_outboxmessage", COLUMNS, rows, ignore_conflicts=True)
    _withdraw(withdrawn)
    return inserted


def _withdraw(keys: list[tuple[int, str]]) -> None:
    """Queued messages that are no longer true are withdrawn, never deleted."""
    execute_many(
        "UPDATE messaging_outboxmessage SET status = 'withdrawn', "
        "withdrawn_reason = 'no longer true at review' "
        "WHERE shop_id = %s AND idempotency_key = %s AND status = 'queued'",
        keys,
    )

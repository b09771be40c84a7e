"""Apply detection to a set of shipments and write states, findings and audit set-wise."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from parcelcare.accounts.models import Shop
from parcelcare.domain.calendar import BusinessCalendar
from parcelcare.domain.detection import Finding, Review, ShipmentFacts, Thresholds, review
from parcelcare.domain.timeline import ShipmentState

from .calendars import business_calendar
from .sql import insert_many, select_in, to_db, update_many


@dataclass(frozen=True)
class ShopRules:
    """What detection needs from a shop."""

    thresholds: Thresholds
    calendar: BusinessCalendar


@dataclass
class Changes:
    """Findings opened and closed by one detection pass."""

    opened: list[tuple[int, int, Finding]] = field(default_factory=list)
    closed: list[tuple[int, int, str]] = field(default_factory=list)
    reviewed: int = 0


def shop_rules(shop_ids: set[int], now: datetime) -> dict[int, ShopRules]:
    """Thresholds and calendars for the given shops, holidays of last, this and next year."""
    rules = {}
    for shop in Shop.objects.filter(id__in=shop_ids):
        calendar = business_calendar(shop.timezone, shop.country, now.year - 1, now.year + 1)
        rules[shop.id] = ShopRules(thresholds=shop.thresholds(), calendar=calendar)
    return rules


def _unchanged(stored: Any, evidence: dict[str, Any], text: str) -> bool:
    """Whether stored evidence equals the new one: SQLite gives our own text back,
    PostgreSQL a dict (jsonb reorders keys, so texts would not compare)."""
    return stored == text if isinstance(stored, str) else stored == evidence


FINDING_COLUMNS = (
    "shop_id",
    "shipment_id",
    "kind",
    "level",
    "attempt",
    "reason",
    "evidence",
    "opened_at",
)

Identity = tuple[str, int | None, int | None, str | None]


def _open_findings(ids: list[int]) -> dict[int, dict[Identity, tuple[int, Any]]]:
    """Open findings per shipment, keyed by identity, with their id and stored evidence."""
    rows = select_in(
        "SELECT id, shipment_id, kind, level, attempt, reason, evidence FROM tracking_finding "
        "WHERE closed_at IS NULL AND shipment_id IN ({ids})",
        ids,
    )
    found: dict[int, dict[Identity, tuple[int, Any]]] = defaultdict(dict)
    for fid, sid, kind, level, attempt, reason, evidence in rows:
        found[sid][(kind, level, attempt, reason or None)] = (fid, evidence)
    return found


def sync_findings(reviews: dict[int, tuple[int, Review]], now: datetime) -> Changes:
    """Open new findings, close vanished ones, refresh the evidence of those that stay.

    The findings table is itself the append-only history of detection (opened_at, closed_at,
    never deleted), so automatic changes write no separate audit entry."""
    changes = Changes(reviewed=len(reviews))
    current = _open_findings(list(reviews))
    inserts, closes, refreshes = [], [], []
    at = to_db(now)
    for sid, (shop_id, result) in reviews.items():
        before = current.get(sid, {})
        after = {f.identity: f for f in result.findings}
        for identity, finding in after.items():
            kept = before.get(identity)
            # Rules build evidence keys in a fixed order, so plain dumps is canonical here.
            evidence = json.dumps(finding.evidence)
            if kept is None:
                inserts.append(
                    (
                        shop_id,
                        sid,
                        finding.kind.value,
                        finding.level,
                        finding.attempt,
                        finding.reason or "",
                        evidence,
                        at,
                    )
                )
                changes.opened.append((shop_id, sid, finding))
            elif not _unchanged(kept[1], finding.evidence, evidence):
                refreshes.append((kept[0], evidence))
        gone = [identity for identity in before if identity not in after]
        for identity in gone:
            closes.append((before[identity][0], at))
            changes.closed.append((shop_id, sid, identity[0]))
    insert_many("tracking_finding", FINDING_COLUMNS, inserts, ignore_conflicts=False)
    update_many("tracking_finding", [("closed_at", "timestamptz")], closes)
    update_many("tracking_finding", [("evidence", "jsonb")], refreshes)
    return changes


def facts_of(
    state: ShipmentState, created_at: datetime, shipped_at: datetime | None, promised: date | None
) -> ShipmentFacts:
    """Bundle a shipment's state and the shop's dates for the rules."""
    return ShipmentFacts(
        state=state, created_at=created_at, shipped_at=shipped_at, promised_date=promised
    )


def run_rules(
    facts: dict[int, tuple[int, ShipmentFacts]], rules: dict[int, ShopRules], now: datetime
) -> dict[int, tuple[int, Review]]:
    """Review every shipment with its own shop's thresholds and calendar."""
    out = {}
    for sid, (shop_id, shipment_facts) in facts.items():
        shop = rules[shop_id]
        out[sid] = (shop_id, review(shipment_facts, shop.thresholds, shop.calendar, now))
    return out

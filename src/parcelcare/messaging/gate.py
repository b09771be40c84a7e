"""The send-time gate: claimed messages are checked against the facts now, set-wise per batch.

A message whose reason no longer holds (domain.notify_truth) is withdrawn with the reason on
its row; a customer message over the customer's pace (domain.notify_pace) is moved to when it
may go; the rest are sent. Four queries per claimed batch at most: the shipments with their
open findings, the cases of case messages and the returns of return messages (only when there
are any), the customers' recent sends.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from parcelcare.domain.notify_pace import CustomerDay, Pace, notices, pace_of, recent_window
from parcelcare.domain.notify_policy import Audience, MessageKind, zone_of
from parcelcare.domain.notify_truth import (
    CASE_MESSAGES,
    RETURN_MESSAGES,
    CaseFacts,
    ReturnFacts,
    SendFacts,
    why_untrue,
)
from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus
from parcelcare.tracking.sql import execute_many, from_db, instant, select_in, to_db

from .recipients import COUNTRY_ZONES

log = logging.getLogger(__name__)

PACE = Pace()
"""Every shop's pace for now: the notify policy's daily cap, a 15-minute gap, its quiet hours."""

STATE_SQL = (
    "SELECT m.id, m.shop_id, m.shipment_id, m.kind, m.detail, m.audience, m.idempotency_key, "
    "s.status, s.delivered_at, o.customer_id, o.ship_country, sh.timezone, f.kind, f.level "
    "FROM messaging_outboxmessage m "
    "JOIN tracking_shipment s ON s.id = m.shipment_id AND s.shop_id = m.shop_id "
    "JOIN tracking_order o ON o.id = s.order_id "
    "JOIN accounts_shop sh ON sh.id = m.shop_id "
    "LEFT JOIN tracking_finding f ON f.shipment_id = m.shipment_id AND f.closed_at IS NULL "
    "WHERE m.id IN ({ids}) ORDER BY m.send_at, m.id"
)
CASES_SQL = (
    "SELECT c.id, c.shop_id, c.status, st.key FROM cases_case c "
    "LEFT JOIN cases_casestep st ON st.case_id = c.id AND st.state = 'open' "
    "WHERE c.id IN ({ids})"
)
RETURNS_SQL = (
    "SELECT r.id, r.shop_id, r.status, e.id, e.status FROM returns_returnrequest r "
    "LEFT JOIN ledger_remedyentry e ON e.return_request_id = r.id "
    "AND e.kind IN ('refund', 'partial_refund', 'store_credit', 'voucher') WHERE r.id IN ({ids})"
)
RECENT_SQL = (
    "SELECT o.customer_id, m.shipment_id, m.kind, m.detail, m.sent_at "
    "FROM messaging_outboxmessage m "
    "JOIN tracking_shipment s ON s.id = m.shipment_id "
    "JOIN tracking_order o ON o.id = s.order_id "
    "WHERE m.status = 'sent' AND m.audience = 'customer' AND m.sent_at >= %s "
    "AND o.customer_id IN ({ids})"
)
STATUSES = {s.value: s for s in ShipmentStatus}
FINDINGS = {f.value: f for f in FindingKind}


@dataclass
class Claimed:
    """A claimed message with the facts of its shipment now."""

    id: int
    shop_id: int
    shipment_id: int
    kind: MessageKind
    detail: str
    audience: str
    key: str
    status: ShipmentStatus
    delivered: bool
    customer_id: int
    zone: str
    findings: set[tuple[FindingKind, int | None]]


@dataclass
class Screened:
    """What the gate decided for a claimed batch."""

    send: list[int]
    withdrawn: list[tuple[str, int]]
    later: list[tuple[datetime, int]]


def case_id(key: str, prefix: str = "case") -> int | None:
    """The case behind a case message's idempotency key (`case:<id>:<kind>:<detail>`), or the
    return behind a return message's (`return:<id>:…`) with prefix "return"."""
    parts = key.split(":", 2)
    if len(parts) < 3 or parts[0] != prefix or not parts[1].isdigit():
        return None
    return int(parts[1])


def _claimed(ids: list[int]) -> list[Claimed]:
    found: dict[int, Claimed] = {}
    for row in select_in(STATE_SQL, ids):
        mid, shop, sid, kind, detail, audience, key, status, delivered, customer = row[:10]
        country, shop_zone, finding, level = row[10:]
        message = found.get(mid)
        if message is None:
            message = found[mid] = Claimed(
                id=mid,
                shop_id=shop,
                shipment_id=sid,
                kind=MessageKind(kind),
                detail=detail,
                audience=audience,
                key=key,
                status=STATUSES.get(status, ShipmentStatus.PENDING),
                delivered=bool(from_db(delivered)),
                customer_id=customer,
                zone=COUNTRY_ZONES.get((country or "").upper(), shop_zone),
                findings=set(),
            )
        if finding in FINDINGS:
            message.findings.add((FINDINGS[finding], level))
    return list(found.values())


def _cases(messages: list[Claimed]) -> dict[int, tuple[int, CaseFacts]]:
    """Case id -> (shop, facts) for the case messages of the batch."""
    ids = sorted({c for m in messages if m.kind in CASE_MESSAGES if (c := case_id(m.key))})
    if not ids:
        return {}
    status: dict[int, tuple[int, str]] = {}
    steps: dict[int, set[str]] = defaultdict(set)
    for cid, shop, state, step in select_in(CASES_SQL, ids):
        status[cid] = (shop, state)
        if step:
            steps[cid].add(step)
    return {
        cid: (shop, CaseFacts(state, frozenset(steps[cid])))
        for cid, (shop, state) in status.items()
    }


def _returns(messages: list[Claimed]) -> dict[int, tuple[int, ReturnFacts]]:
    """Return id -> (shop, facts) for the return messages of the batch."""
    wanted = [m for m in messages if m.kind in RETURN_MESSAGES]
    ids = sorted({r for m in wanted if (r := case_id(m.key, "return"))})
    if not ids:
        return {}
    status: dict[int, tuple[int, str]] = {}
    refunds: dict[int, dict[str, str]] = defaultdict(dict)
    for rid, shop, state, entry, entry_status in select_in(RETURNS_SQL, ids):
        status[rid] = (shop, state)
        if entry is not None:
            refunds[rid][str(entry)] = entry_status
    return {
        rid: (shop, ReturnFacts(state, tuple(refunds[rid].items())))
        for rid, (shop, state) in status.items()
    }


def _facts(
    message: Claimed,
    cases: dict[int, tuple[int, CaseFacts]],
    now: datetime,
    returns: dict[int, tuple[int, ReturnFacts]] | None = None,
) -> SendFacts:
    case, ret = None, None
    if message.kind in CASE_MESSAGES:
        shop, case = cases.get(case_id(message.key) or 0, (message.shop_id, None))
        case = case if shop == message.shop_id else None
    if message.kind in RETURN_MESSAGES and returns:
        shop, ret = returns.get(case_id(message.key, "return") or 0, (message.shop_id, None))
        ret = ret if shop == message.shop_id else None
    return SendFacts(
        status=message.status,
        delivered=message.delivered,
        findings=frozenset(message.findings),
        local_date=now.astimezone(zone_of(message.zone)).date(),
        case=case,
        ret=ret,
    )


def _days(messages: list[Claimed], now: datetime) -> dict[int, CustomerDay]:
    """Each customer's notices sent in the last day or so, in their own zone."""
    customers = sorted({m.customer_id for m in messages if m.audience == Audience.CUSTOMER})
    if not customers:
        return {}
    rows: dict[int, list[tuple[int, str, str, datetime]]] = defaultdict(list)
    for customer, sid, kind, detail, sent_at in select_in(
        RECENT_SQL, customers, to_db(recent_window(now))
    ):
        rows[customer].append((sid, kind, detail, instant(sent_at)))
    zones = {m.customer_id: m.zone for m in messages}
    return {c: CustomerDay(zone_of(zones[c]), notices(rows[c])) for c in customers}


def screen(ids: list[int], now: datetime) -> Screened:
    """Decide for each claimed message: send now, withdraw (with why), or send later."""
    messages = _claimed(ids)
    cases = _cases(messages)
    returns = _returns(messages)
    days = _days(messages, now)
    result = Screened([], [], [])
    for message in messages:
        why = why_untrue(message.kind, message.detail, _facts(message, cases, now, returns))
        if why:
            result.withdrawn.append((why, message.id))
            continue
        day = days.get(message.customer_id)
        if message.audience != Audience.CUSTOMER or day is None:
            result.send.append(message.id)
            continue
        notice = (message.shipment_id, message.kind.value, message.detail)
        verdict, at = pace_of(notice, day, PACE, now)
        if verdict == "drop":
            result.withdrawn.append(("over the customer's daily cap", message.id))
        elif verdict == "later" and at is not None:
            result.later.append((at, message.id))
        else:
            day.note(notice, now)
            result.send.append(message.id)
    # A row whose shipment is not the shop's (never written so) has nothing true to say.
    known = {message.id for message in messages}
    result.withdrawn.extend(("no shipment of its shop", mid) for mid in ids if mid not in known)
    return result


def apply(screened: Screened) -> None:
    """Withdraw and postpone the rows the gate held back, one statement per outcome."""
    execute_many(
        "UPDATE messaging_outboxmessage SET status = 'withdrawn', withdrawn_reason = %s, "
        "lease_until = NULL WHERE id = %s AND status = 'sending'",
        screened.withdrawn,
    )
    execute_many(
        "UPDATE messaging_outboxmessage SET status = 'queued', send_at = %s, lease_until = NULL "
        "WHERE id = %s AND status = 'sending'",
        [(to_db(at), mid) for at, mid in screened.later],
    )
    if screened.withdrawn or screened.later:
        log.info(
            "outbox gate: %d withdrawn, %d postponed", len(screened.withdrawn), len(screened.later)
        )

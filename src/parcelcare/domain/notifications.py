"""Notification decisions: from a shipment's findings and a shop's policy to message intents.

Progress news fires on the change into a status (`previous_status` differs from `status`);
problem news fires while its finding holds, once per detail and channel (see `Sent`):

| source                                  | kind                 | detail          | audience |
|-----------------------------------------|----------------------|-----------------|----------|
| status in_transit, after no scan yet    | shipped              | -               | customer |
| status out_for_delivery                 | out_for_delivery     | customer's date | customer |
| status delivered                        | delivered            | -               | customer |
| status returning, never delivered       | returning            | -               | customer |
| status returned, never delivered        | returned             | -               | customer |
| finding delayed, level N                | delayed_N            | N               | customer |
| finding delayed, level 3                | agent_followup       | 3               | agent    |
| finding failed_attempt, attempt N       | failed_attempt       | N               | customer |
| finding awaiting_pickup                 | awaiting_pickup      | deadline        | customer |
| ... once a reminder day has come        | pickup_reminder      | deadline/days   | customer |
| finding likely_lost                     | likely_lost          | -               | customer |
| finding not_shipped                     | not_shipped_merchant | -               | merchant |

Timing: a customer message waits out quiet hours in the customer's zone; the daily cap then
hands each local day's free slots out by priority (notify_policy's table) and defers the rest to
the next local day. All channels of one notice go together and count once. Every `Sent` row,
queued ones included, counts towards its day, so a withdrawal that never happens cannot break
the cap. Merchant messages wait out the merchant's quiet hours in the shop's zone, uncapped;
agent follow-ups are desk tasks, due at once.

History: given a `Watch`, customer notices about states reached long before parcelcare learnt
of them (imports, backfills) are not planned (notify_news). Planning is not the guarantee: the
sender checks every message again when it goes out (notify_truth) and paces each customer over
all their parcels and cases (notify_pace).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from .detection import Finding
from .notify_news import Watch, is_history
from .notify_policy import (
    AUDIENCE,
    CUSTOMER_KINDS,
    DELAYED,
    PRIORITY,
    SAME_DAY_ONLY,
    STALE_ONCE_DELIVERED,
    SUPERSEDES,
    Audience,
    Channel,
    MessageIntent,
    MessageKind,
    NotifyPolicy,
    Recipient,
    Sent,
    message_key,
)
from .notify_timing import DailySlots, due_reminder
from .vocabulary import FindingKind, ShipmentStatus

S = ShipmentStatus
F = FindingKind
K = MessageKind
NONE = "-"
"""The detail of a kind that happens once per shipment."""

Payload = dict[str, str | int]

NEWS: dict[ShipmentStatus, tuple[MessageKind, frozenset[ShipmentStatus | None] | None]] = {
    S.IN_TRANSIT: (K.SHIPPED, frozenset({None, S.PENDING, S.INFO_RECEIVED})),
    S.OUT_FOR_DELIVERY: (K.OUT_FOR_DELIVERY, None),
    S.DELIVERED: (K.DELIVERED, None),
    S.RETURNING: (K.RETURNING, None),
    S.RETURNED: (K.RETURNED, None),
}
"""Status -> the news its arrival brings, and the previous statuses it may follow (None: any)."""

UNDELIVERED_ONLY = frozenset({K.RETURNING, K.RETURNED})
"""Kinds that ask about an undeliverable parcel: wrong for a customer's own return."""

REASON_FROM = {K.RETURNING: F.RETURNING_TO_SENDER, K.RETURNED: F.RETURNED_TO_SENDER}
"""The finding whose reason (address issue, refused ...) news of a status carries."""


@dataclass(frozen=True)
class Notice:
    """One thing to tell someone, before channels and timing are chosen."""

    kind: MessageKind
    detail: str
    payload: Payload


@dataclass(frozen=True)
class Context:
    """What every step of one decision reads."""

    shipment_id: int
    carrier: str
    status: ShipmentStatus
    previous: ShipmentStatus | None
    recipient: Recipient
    policy: NotifyPolicy
    sent: Sequence[Sent]
    now: datetime
    zone: tzinfo
    today: date
    taken: frozenset[str]
    watch: Watch | None = None


def _date(value: str | int | None) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _pick(finding: Finding, *names: str) -> Payload:
    payload: Payload = {n: finding.evidence[n] for n in names if n in finding.evidence}
    if finding.reason is not None:
        payload["reason"] = str(finding.reason)
    return payload


def _delayed(finding: Finding, ctx: Context) -> list[Notice]:
    level = finding.level
    if level not in (1, 2, 3):
        raise ValueError(f"a delayed finding needs level 1, 2 or 3, not {level!r}")
    payload: Payload = {"level": level, **_pick(finding, "promised_date", "business_days_late")}
    if level < 3:
        return [Notice(DELAYED[level - 1], str(level), payload)]
    voucher = ctx.policy.level3_voucher_minor_units
    if voucher:
        payload |= {"voucher_minor_units": voucher, "voucher_currency": ctx.policy.voucher_currency}
    return [Notice(K.DELAYED_3, "3", payload), Notice(K.AGENT_FOLLOWUP, "3", dict(payload))]


def _failed_attempt(finding: Finding, ctx: Context) -> list[Notice]:
    attempt = max(finding.attempt or 1, 1)
    payload: Payload = {"attempt": attempt, **_pick(finding, "attempted_at")}
    return [Notice(K.FAILED_ATTEMPT, str(attempt), payload)]


def _noticed_on_or_after(ctx: Context, detail: str, day: date) -> bool:
    """Whether this hold's pickup notice went out on or after a local day."""
    return any(
        s.kind == K.AWAITING_PICKUP and s.detail == detail and _local(s.sent_at, ctx) >= day
        for s in ctx.sent
    )


def _awaiting_pickup(finding: Finding, ctx: Context) -> list[Notice]:
    deadline = _date(finding.evidence.get("deadline"))
    if deadline is None:
        return [Notice(K.AWAITING_PICKUP, NONE, _pick(finding))]
    left = (deadline - ctx.today).days
    payload: Payload = {"deadline": deadline.isoformat(), "days_left": max(left, 0)}
    notices = [Notice(K.AWAITING_PICKUP, deadline.isoformat(), payload)]
    due = due_reminder(deadline, ctx.today, ctx.policy.pickup_reminder_days)
    # The first notice already names the deadline: no reminder on or before its day.
    if due is not None and not _noticed_on_or_after(
        ctx, deadline.isoformat(), deadline - timedelta(days=due)
    ):
        detail = f"{deadline.isoformat()}/{due}"
        notices.append(Notice(K.PICKUP_REMINDER, detail, {**payload, "reminder_days": due}))
    return notices


def _once(kind: MessageKind, *evidence: str) -> Callable[[Finding, Context], list[Notice]]:
    return lambda finding, ctx: [Notice(kind, NONE, _pick(finding, *evidence))]


FROM_FINDING: dict[FindingKind, Callable[[Finding, Context], list[Notice]]] = {
    F.DELAYED: _delayed,
    F.FAILED_ATTEMPT: _failed_attempt,
    F.AWAITING_PICKUP: _awaiting_pickup,
    F.LIKELY_LOST: _once(K.LIKELY_LOST, "last_event_at", "quiet_business_days"),
    F.NOT_SHIPPED: _once(K.NOT_SHIPPED_MERCHANT, "label_created_at", "business_days"),
}
"""Findings that are problem news; the others (stalled, exception, ...) are for the case desk."""


def _news(findings: Sequence[Finding], ctx: Context) -> list[Notice]:
    """The news the arrival of the current status brings, if it has just arrived."""
    if ctx.status not in NEWS or ctx.previous == ctx.status:
        return []
    kind, after = NEWS[ctx.status]
    if after is not None and ctx.previous not in after:
        return []
    delivered_before = ctx.previous == S.DELIVERED or any(s.kind == K.DELIVERED for s in ctx.sent)
    if kind in UNDELIVERED_ONLY and delivered_before:
        return []
    reasons = [f.reason for f in findings if f.kind == REASON_FROM.get(kind) and f.reason]
    payload: Payload = {"reason": str(reasons[0])} if reasons else {}
    if kind == K.SHIPPED:
        payload["with_tracking_link"] = 1
    detail = ctx.today.isoformat() if kind == K.OUT_FOR_DELIVERY else NONE
    return [Notice(kind, detail, payload)]


def _allowed(kind: MessageKind, ctx: Context) -> bool:
    """Enabled, not left to the carrier, and not made stale by the status."""
    policy = ctx.policy
    if kind not in policy.enabled or policy.carrier_tells(ctx.carrier, kind):
        return False
    if ctx.status == S.CANCELLED:
        return False
    return not (ctx.status == S.DELIVERED and kind in STALE_ONCE_DELIVERED)


def _news_now(notice: Notice, ctx: Context) -> bool:
    """Not imported history (see notify_news): a message about the past is never planned."""
    return not is_history(notice.kind, notice.payload, ctx.watch, ctx.now)


def _notices(findings: Sequence[Finding], ctx: Context) -> list[Notice]:
    """Everything worth saying now, after policy, status and supersession."""
    found = _news(findings, ctx)
    for finding in findings:
        if finding.kind in FROM_FINDING:
            found.extend(FROM_FINDING[finding.kind](finding, ctx))
    # The same finding twice is still one thing to say.
    unique: dict[tuple[MessageKind, str], Notice] = {}
    for notice in found:
        unique.setdefault((notice.kind, notice.detail), notice)
    found = [n for n in unique.values() if _allowed(n.kind, ctx) and _news_now(n, ctx)]
    live = {n.kind for n in found} | {s.kind for s in ctx.sent}
    beaten = set().union(*(SUPERSEDES.get(kind, frozenset()) for kind in live))
    return [n for n in found if n.kind not in beaten]


def _local(moment: datetime, ctx: Context) -> date:
    return moment.astimezone(ctx.zone).date()


def _channels(notice: Notice, ctx: Context) -> list[Channel | None]:
    """The channels a notice may use that have not carried it yet (None: the agent desk)."""
    audience = AUDIENCE[notice.kind]
    options: list[Channel | None] = [None]
    if audience != Audience.AGENT:
        chosen = sorted(ctx.policy.channels.get(notice.kind, frozenset()))
        # Consent and contact data only gate the customer; the merchant asked for these.
        customer = audience == Audience.CUSTOMER
        options = [c for c in chosen if not customer or ctx.recipient.reachable(c)]
    return [
        c
        for c in options
        if message_key(ctx.shipment_id, notice.kind, notice.detail, c) not in ctx.taken
    ]


def _drafts(notices: Sequence[Notice], ctx: Context) -> list[tuple[Notice, list[Channel | None]]]:
    """Notices with the channels still to carry them, most urgent first."""
    drafts = [(n, chans) for n in notices if (chans := _channels(n, ctx))]
    # A pickup notice going out now names the deadline itself; a reminder beside it is noise.
    if any(n.kind == K.AWAITING_PICKUP for n, _ in drafts):
        drafts = [(n, chans) for n, chans in drafts if n.kind != K.PICKUP_REMINDER]
    return sorted(drafts, key=lambda d: (PRIORITY.get(d[0].kind, 0), d[0].kind, d[0].detail))


def _slots(ctx: Context) -> DailySlots:
    """The customer's days, with every notice already written counted on its own day."""
    policy = ctx.policy
    slots = DailySlots(zone=ctx.zone, quiet=policy.quiet_hours, cap=policy.daily_cap)
    for s in ctx.sent:
        if s.kind in CUSTOMER_KINDS:
            slots.take((s.kind, s.detail), s.sent_at)
    return slots


def _send_at(notice: Notice, ctx: Context, slots: DailySlots) -> datetime | None:
    """When a notice goes out, by audience; None when the cap makes it stale."""
    audience = AUDIENCE[notice.kind]
    if audience == Audience.CUSTOMER:
        same_day_only = notice.kind in SAME_DAY_ONLY
        return slots.place((notice.kind, notice.detail), ctx.now, same_day_only=same_day_only)
    if audience == Audience.MERCHANT:
        return ctx.policy.merchant_quiet_hours.release(ctx.now, ctx.policy.shop_zone)
    return ctx.now.astimezone(UTC)


def _intent(notice: Notice, channel: Channel | None, ctx: Context, at: datetime) -> MessageIntent:
    audience = AUDIENCE[notice.kind]
    wanted = ctx.recipient.language if audience == Audience.CUSTOMER else ""
    payload: Payload = {
        **notice.payload,
        "language": ctx.policy.language(wanted),
        "carrier": ctx.carrier,
    }
    key = message_key(ctx.shipment_id, notice.kind, notice.detail, channel)
    return MessageIntent(notice.kind, channel, audience, notice.detail, key, at, payload)


def decide(
    *,
    shipment_id: int,
    carrier: str,
    findings: Sequence[Finding],
    status: ShipmentStatus,
    previous_status: ShipmentStatus | None,
    recipient: Recipient,
    policy: NotifyPolicy,
    sent: Sequence[Sent],
    now: datetime,
    watch: Watch | None = None,
) -> list[MessageIntent]:
    """The messages to write for one shipment now; deciding again once they are written adds none.

    `previous_status` is the status at the previous decision (None before the first one), `sent`
    every message already written for the shipment, queued ones dated when they will go out;
    `watch` (when given) tells imported history from news.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    zone = recipient.zone
    ctx = Context(
        shipment_id=shipment_id,
        carrier=carrier,
        status=ShipmentStatus(status),
        previous=None if previous_status is None else ShipmentStatus(previous_status),
        recipient=recipient,
        policy=policy,
        sent=sent,
        now=now,
        zone=zone,
        today=now.astimezone(zone).date(),
        taken=frozenset(s.key(shipment_id) for s in sent),
        watch=watch,
    )
    slots = _slots(ctx)
    intents: list[MessageIntent] = []
    for notice, channels in _drafts(_notices(findings, ctx), ctx):
        at = _send_at(notice, ctx, slots)
        if at is not None:
            intents.extend(_intent(notice, channel, ctx, at) for channel in channels)
    return sorted(intents, key=lambda i: (i.send_at, PRIORITY.get(i.kind, 0), i.idempotency_key))


def withdrawals(
    *,
    shipment_id: int,
    status: ShipmentStatus,
    intents: Sequence[MessageIntent],
    sent: Sequence[Sent],
    now: datetime,
) -> list[str]:
    """Keys of queued messages (due after `now`) that the status or newer news made wrong."""
    live = {i.kind for i in intents} | {s.kind for s in sent}
    beaten = set().union(*(SUPERSEDES.get(kind, frozenset()) for kind in live))
    if status == S.DELIVERED:
        beaten |= STALE_ONCE_DELIVERED
    if status == S.CANCELLED:
        beaten |= set(MessageKind)
    return sorted({s.key(shipment_id) for s in sent if s.sent_at > now and s.kind in beaten})

"""Notification decisions, table by table: what is said, on which channel, when, and how often."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from parcelcare.domain.detection import Finding
from parcelcare.domain.notifications import decide, withdrawals
from parcelcare.domain.notify_policy import (
    CASE_KINDS,
    DEFAULT_CHANNELS,
    PRIORITY,
    Audience,
    Channel,
    MessageKind,
    NotifyPolicy,
    Recipient,
    Sent,
)
from parcelcare.domain.notify_timing import QuietHours, due_reminder, pickup_reminders
from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus

S = ShipmentStatus
F = FindingKind
K = MessageKind
C = Channel
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
"""Wednesday 1 April 2026, noon in Amsterdam."""
EMAIL_ONLY = Recipient("Europe/Amsterdam")
PHONE = Recipient("Europe/Amsterdam", has_phone=True, consent_sms=True)
DEFAULT = NotifyPolicy()


def ams(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock moment in Amsterdam in 2026, as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=AMS).astimezone(UTC)


def delayed(level: int) -> Finding:
    return Finding(F.DELAYED, level=level, evidence={"business_days_late": level})


def attempt(number: int) -> Finding:
    return Finding(F.FAILED_ATTEMPT, attempt=number, reason=IncidentReason.RECIPIENT_UNAVAILABLE)


def pickup(deadline: date) -> Finding:
    return Finding(F.AWAITING_PICKUP, evidence={"deadline": deadline.isoformat()})


LOST = Finding(F.LIKELY_LOST)
NOT_SHIPPED = Finding(F.NOT_SHIPPED)
DELIVERED = Finding(F.DELIVERED)
STALLED = Finding(F.STALLED)
EXCEPTION = Finding(F.CARRIER_EXCEPTION, reason=IncidentReason.CUSTOMS_HOLD)


def run(
    findings=(),
    status=S.IN_TRANSIT,
    previous=S.IN_TRANSIT,
    *,
    recipient=EMAIL_ONLY,
    policy=DEFAULT,
    sent=(),
    now=NOW,
    carrier="postnl",
):
    return decide(
        shipment_id=7,
        carrier=carrier,
        findings=list(findings),
        status=status,
        previous_status=previous,
        recipient=recipient,
        policy=policy,
        sent=list(sent),
        now=now,
    )


def keys(intents) -> list[str]:
    return sorted(intent.idempotency_key for intent in intents)


def email(kind: K, at: datetime, detail: str = "-") -> Sent:
    return Sent(kind, C.EMAIL, at, detail)


# --- what is said ----------------------------------------------------------------------------

WHAT = [
    pytest.param([], S.IN_TRANSIT, S.INFO_RECEIVED, ["7:shipped:-:email"], id="first-scan"),
    pytest.param([], S.IN_TRANSIT, None, ["7:shipped:-:email"], id="first-decision-in-transit"),
    pytest.param([], S.IN_TRANSIT, S.EXCEPTION, [], id="moving-again-is-not-shipped"),
    pytest.param([], S.IN_TRANSIT, S.IN_TRANSIT, [], id="no-change-no-news"),
    pytest.param([], S.INFO_RECEIVED, S.PENDING, [], id="label-only"),
    pytest.param(
        [], S.OUT_FOR_DELIVERY, S.IN_TRANSIT, ["7:out_for_delivery:2026-04-01:email"], id="ofd"
    ),
    pytest.param([], S.OUT_FOR_DELIVERY, S.OUT_FOR_DELIVERY, [], id="still-out-for-delivery"),
    pytest.param([DELIVERED], S.DELIVERED, S.OUT_FOR_DELIVERY, ["7:delivered:-:email"], id="dlv"),
    pytest.param([DELIVERED], S.DELIVERED, S.DELIVERED, [], id="delivered-before"),
    pytest.param(
        [delayed(2), DELIVERED],
        S.DELIVERED,
        S.IN_TRANSIT,
        ["7:delivered:-:email"],
        id="delivered-beats-delay",
    ),
    pytest.param([delayed(1)], S.IN_TRANSIT, S.IN_TRANSIT, ["7:delayed_1:1:email"], id="delay-1"),
    pytest.param([delayed(2)], S.IN_TRANSIT, S.IN_TRANSIT, ["7:delayed_2:2:email"], id="delay-2"),
    pytest.param(
        [delayed(3)],
        S.IN_TRANSIT,
        S.IN_TRANSIT,
        ["7:agent_followup:3:desk", "7:delayed_3:3:email"],
        id="delay-3-opens-agent-followup",
    ),
    pytest.param(
        [delayed(1), delayed(3)],
        S.IN_TRANSIT,
        S.IN_TRANSIT,
        ["7:agent_followup:3:desk", "7:delayed_3:3:email"],
        id="higher-level-supersedes",
    ),
    pytest.param(
        [attempt(2)], S.FAILED_ATTEMPT, S.FAILED_ATTEMPT, ["7:failed_attempt:2:email"], id="att-2"
    ),
    pytest.param(
        [pickup(date(2026, 4, 8))],
        S.AVAILABLE_FOR_PICKUP,
        S.IN_TRANSIT,
        ["7:awaiting_pickup:2026-04-08:email"],
        id="awaiting-pickup",
    ),
    pytest.param([LOST], S.IN_TRANSIT, S.IN_TRANSIT, ["7:likely_lost:-:email"], id="lost"),
    pytest.param(
        [LOST, delayed(2)], S.IN_TRANSIT, S.IN_TRANSIT, ["7:likely_lost:-:email"], id="lost-wins"
    ),
    pytest.param(
        [NOT_SHIPPED], S.INFO_RECEIVED, S.INFO_RECEIVED, ["7:not_shipped_merchant:-:email"], id="ns"
    ),
    pytest.param([], S.RETURNING, S.IN_TRANSIT, ["7:returning:-:email"], id="returning"),
    pytest.param([], S.RETURNING, S.DELIVERED, [], id="customer-return-is-not-asked-about"),
    pytest.param([], S.RETURNED, S.RETURNING, ["7:returned:-:email"], id="returned"),
    pytest.param([delayed(2), NOT_SHIPPED], S.CANCELLED, S.IN_TRANSIT, [], id="cancelled"),
    pytest.param([STALLED, EXCEPTION], S.EXCEPTION, S.EXCEPTION, [], id="desk-only-findings"),
]


@pytest.mark.parametrize(("findings", "status", "previous", "expected"), WHAT)
def test_what_is_said(findings, status, previous, expected):
    assert keys(run(findings, status, previous)) == expected


def test_audiences_and_the_agent_desk():
    by_kind = {i.kind: i for i in run([delayed(3), NOT_SHIPPED], S.IN_TRANSIT, S.INFO_RECEIVED)}
    assert by_kind[K.AGENT_FOLLOWUP].audience == Audience.AGENT
    assert by_kind[K.AGENT_FOLLOWUP].channel is None
    assert by_kind[K.NOT_SHIPPED_MERCHANT].audience == Audience.MERCHANT
    assert by_kind[K.DELAYED_3].audience == by_kind[K.SHIPPED].audience == Audience.CUSTOMER


# --- after what was sent before --------------------------------------------------------------

YESTERDAY = NOW - timedelta(days=1)
DEADLINE = date(2026, 4, 3)

HISTORY = [
    pytest.param([delayed(2)], [email(K.DELAYED_2, YESTERDAY, "2")], [], id="not-twice"),
    pytest.param([delayed(2)], [email(K.DELAYED_3, YESTERDAY, "3")], [], id="no-step-down"),
    pytest.param([delayed(1)], [email(K.LIKELY_LOST, YESTERDAY)], [], id="no-delay-after-lost"),
    pytest.param(
        [delayed(3)],
        [email(K.DELAYED_3, YESTERDAY, "3")],
        ["7:agent_followup:3:desk"],
        id="followup-even-if-customer-was-told",
    ),
    pytest.param(
        [attempt(2)],
        [email(K.FAILED_ATTEMPT, YESTERDAY, "1")],
        ["7:failed_attempt:2:email"],
        id="each-attempt-its-own-message",
    ),
    pytest.param(
        [pickup(DEADLINE)],
        [email(K.AWAITING_PICKUP, NOW - timedelta(days=3), "2026-04-03")],
        ["7:pickup_reminder:2026-04-03/2:email"],
        id="reminder-2-days-left",
    ),
    pytest.param(
        [pickup(date(2026, 4, 2))],
        [
            email(K.AWAITING_PICKUP, NOW - timedelta(days=4), "2026-04-02"),
            email(K.PICKUP_REMINDER, YESTERDAY, "2026-04-02/2"),
        ],
        ["7:pickup_reminder:2026-04-02/1:email"],
        id="reminder-1-day-left",
    ),
    pytest.param(
        [pickup(date(2026, 4, 1))],
        [email(K.AWAITING_PICKUP, NOW - timedelta(days=5), "2026-04-01")],
        ["7:pickup_reminder:2026-04-01/1:email"],
        id="missed-reminders-catch-up-once-on-the-last-day",
    ),
    pytest.param(
        [pickup(date(2026, 4, 1))],
        [
            email(K.AWAITING_PICKUP, NOW - timedelta(days=5), "2026-04-01"),
            email(K.PICKUP_REMINDER, YESTERDAY, "2026-04-01/1"),
        ],
        [],
        id="last-day-after-the-last-reminder",
    ),
    pytest.param(
        [pickup(date(2026, 3, 31))],
        [email(K.AWAITING_PICKUP, NOW - timedelta(days=5), "2026-03-31")],
        [],
        id="deadline-passed",
    ),
    pytest.param(
        [pickup(DEADLINE)],
        [email(K.AWAITING_PICKUP, NOW - timedelta(hours=1), "2026-04-03")],
        [],
        id="notice-today-names-the-deadline",
    ),
    pytest.param(
        [pickup(DEADLINE)],
        [],
        ["7:awaiting_pickup:2026-04-03:email"],
        id="late-first-notice-without-reminder",
    ),
    pytest.param(
        [pickup(date(2026, 4, 10))],
        [email(K.AWAITING_PICKUP, NOW - timedelta(days=3), "2026-04-03")],
        ["7:awaiting_pickup:2026-04-10:email"],
        id="new-hold-new-notice",
    ),
]


@pytest.mark.parametrize(("findings", "sent", "expected"), HISTORY)
def test_after_what_was_sent(findings, sent, expected):
    assert keys(run(findings, sent=sent)) == expected


def test_returned_after_a_delivery_message_is_not_asked_about():
    sent = [email(K.DELIVERED, NOW - timedelta(days=9))]
    assert run([], S.RETURNED, S.RETURNING, sent=sent) == []


# --- policy: enabled kinds and carriers that notify ------------------------------------------

SILENT = NotifyPolicy(silent_when_carrier_notifies=True, carriers_that_notify=frozenset({"PostNL"}))

POLICY = [
    pytest.param(SILENT, "postnl", [attempt(1)], [], id="carrier-tells"),
    pytest.param(SILENT, "dhl", [attempt(1)], ["7:failed_attempt:1:email"], id="other-carrier"),
    pytest.param(
        NotifyPolicy(carriers_that_notify=frozenset({"postnl"})),
        "postnl",
        [attempt(1)],
        ["7:failed_attempt:1:email"],
        id="listed-but-not-silent",
    ),
    pytest.param(
        SILENT,
        "postnl",
        [delayed(1)],
        ["7:delayed_1:1:email"],
        id="delays-are-never-left-to-the-carrier",
    ),
    pytest.param(
        SILENT,
        "postnl",
        [pickup(DEADLINE)],
        ["7:pickup_reminder:2026-04-03/2:email"],
        id="carrier-gave-the-notice-we-remind",
    ),
    pytest.param(
        NotifyPolicy(enabled=frozenset(MessageKind) - {K.DELAYED_1}),
        "postnl",
        [delayed(1)],
        [],
        id="kind-disabled",
    ),
    pytest.param(
        NotifyPolicy(enabled=frozenset(MessageKind) - {K.AGENT_FOLLOWUP}),
        "postnl",
        [delayed(3)],
        ["7:delayed_3:3:email"],
        id="followup-disabled",
    ),
    pytest.param(
        NotifyPolicy(enabled=frozenset(MessageKind) - {K.LIKELY_LOST}),
        "postnl",
        [LOST, delayed(2)],
        ["7:delayed_2:2:email"],
        id="a-disabled-kind-supersedes-nothing",
    ),
]


@pytest.mark.parametrize(("policy", "carrier", "findings", "expected"), POLICY)
def test_policy(policy, carrier, findings, expected):
    assert keys(run(findings, policy=policy, carrier=carrier)) == expected


# --- channels and consent --------------------------------------------------------------------

WHATSAPP_DELAYS = NotifyPolicy(
    channels={**DEFAULT_CHANNELS, K.DELAYED_1: frozenset({C.EMAIL, C.WHATSAPP})}
)

CHANNELS = [
    pytest.param(EMAIL_ONLY, DEFAULT, [attempt(1)], [C.EMAIL], id="email-only"),
    pytest.param(PHONE, DEFAULT, [attempt(1)], [C.EMAIL, C.SMS], id="sms-for-urgent"),
    pytest.param(PHONE, DEFAULT, [delayed(1)], [C.EMAIL], id="no-sms-for-delay-1"),
    pytest.param(PHONE, DEFAULT, [delayed(3)], [None, C.EMAIL, C.SMS], id="sms-for-delay-3"),
    pytest.param(
        Recipient("Europe/Amsterdam", has_phone=True), DEFAULT, [attempt(1)], [C.EMAIL], id="no-sms"
    ),
    pytest.param(
        Recipient("Europe/Amsterdam", consent_sms=True), DEFAULT, [attempt(1)], [C.EMAIL], id="nr"
    ),
    pytest.param(
        Recipient(
            "Europe/Amsterdam", has_phone=True, consent_sms=True, opted_out=frozenset({C.EMAIL})
        ),
        DEFAULT,
        [attempt(1)],
        [C.SMS],
        id="opted-out-of-email",
    ),
    pytest.param(
        Recipient(
            "Europe/Amsterdam", has_phone=True, consent_sms=True, opted_out=frozenset({C.SMS})
        ),
        DEFAULT,
        [attempt(1)],
        [C.EMAIL],
        id="opted-out-of-sms",
    ),
    pytest.param(
        Recipient("Europe/Amsterdam", consent_email=False), DEFAULT, [attempt(1)], [], id="no-email"
    ),
    pytest.param(
        Recipient("Europe/Amsterdam", has_email=False), DEFAULT, [attempt(1)], [], id="no-address"
    ),
    pytest.param(
        Recipient("Europe/Amsterdam", has_phone=True, consent_whatsapp=True),
        WHATSAPP_DELAYS,
        [delayed(1)],
        [C.EMAIL, C.WHATSAPP],
        id="whatsapp-with-consent",
    ),
    pytest.param(PHONE, WHATSAPP_DELAYS, [delayed(1)], [C.EMAIL], id="whatsapp-without-consent"),
    pytest.param(
        Recipient("Europe/Amsterdam", consent_email=False),
        DEFAULT,
        [NOT_SHIPPED],
        [C.EMAIL],
        id="merchant-mail-ignores-customer-consent",
    ),
]


@pytest.mark.parametrize(("recipient", "policy", "findings", "expected"), CHANNELS)
def test_channels(recipient, policy, findings, expected):
    intents = run(findings, recipient=recipient, policy=policy)
    assert sorted((i.channel for i in intents), key=str) == sorted(expected, key=str)


# --- quiet hours -----------------------------------------------------------------------------

NY = Recipient("America/New_York")
TOKYO = Recipient(ZoneInfo("Asia/Tokyo"))
LATE_NIGHT = NotifyPolicy(quiet_hours=QuietHours(time(21), time(2, 30)))
NIGHT_TO_230 = NotifyPolicy(quiet_hours=QuietHours(time(0), time(2, 30)))

QUIET = [
    pytest.param(NOW, EMAIL_ONLY, DEFAULT, NOW, id="midday"),
    pytest.param(ams(4, 1, 22, 30), EMAIL_ONLY, DEFAULT, ams(4, 2, 8), id="evening-waits"),
    pytest.param(ams(4, 1, 7), EMAIL_ONLY, DEFAULT, ams(4, 1, 8), id="early-morning-waits"),
    pytest.param(ams(4, 1, 21), EMAIL_ONLY, DEFAULT, ams(4, 2, 8), id="start-is-quiet"),
    pytest.param(ams(4, 1, 8), EMAIL_ONLY, DEFAULT, ams(4, 1, 8), id="end-is-not-quiet"),
    pytest.param(NOW, NY, DEFAULT, datetime(2026, 4, 1, 12, tzinfo=UTC), id="new-york-6am"),
    pytest.param(NOW, TOKYO, DEFAULT, NOW, id="tokyo-7pm"),
    pytest.param(
        ams(4, 1, 3),
        EMAIL_ONLY,
        NotifyPolicy(quiet_hours=QuietHours(time(0), time(0))),
        ams(4, 1, 3),
        id="no-quiet-hours",
    ),
    pytest.param(
        ams(4, 1, 12, 30),
        EMAIL_ONLY,
        NotifyPolicy(quiet_hours=QuietHours(time(12), time(14))),
        ams(4, 1, 14),
        id="lunch-break",
    ),
    pytest.param(
        datetime(2026, 3, 28, 22, tzinfo=UTC),
        EMAIL_ONLY,
        LATE_NIGHT,
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        id="end-inside-the-spring-gap",
    ),
    pytest.param(
        datetime(2026, 10, 25, 0, 10, tzinfo=UTC),
        EMAIL_ONLY,
        NIGHT_TO_230,
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        id="autumn-first-pass",
    ),
    pytest.param(
        datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
        EMAIL_ONLY,
        NIGHT_TO_230,
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        id="autumn-second-pass",
    ),
]


@pytest.mark.parametrize(("now", "recipient", "policy", "expected"), QUIET)
def test_quiet_hours_delay_never_drop(now, recipient, policy, expected):
    (intent,) = run([delayed(1)], recipient=recipient, policy=policy, now=now)
    assert intent.send_at == expected


MERCHANT = [
    pytest.param(
        datetime(2026, 4, 1, 13, tzinfo=UTC),
        "Europe/Amsterdam",
        datetime(2026, 4, 1, 13, tzinfo=UTC),
        id="shop-afternoon-customer-night",
    ),
    pytest.param(ams(4, 1, 22, 30), "Europe/Amsterdam", ams(4, 2, 8), id="shop-night"),
    pytest.param(ams(4, 1, 2), "Asia/Tokyo", ams(4, 1, 2), id="tokyo-shop-at-nine"),
    pytest.param(ams(4, 1, 2), "Europe/Amsterdam", ams(4, 1, 8), id="amsterdam-shop-at-two"),
]


@pytest.mark.parametrize(("now", "shop_zone", "expected"), MERCHANT)
def test_merchant_messages_follow_the_shop_clock(now, shop_zone, expected):
    policy = NotifyPolicy(shop_time_zone=shop_zone)
    (intent,) = run([NOT_SHIPPED], S.PENDING, S.PENDING, recipient=TOKYO, policy=policy, now=now)
    assert intent.send_at == expected


# --- the daily cap ---------------------------------------------------------------------------

TODAY_9 = ams(4, 1, 9)
TOMORROW_8 = ams(4, 2, 8)
TWO_TODAY = [email(K.SHIPPED, TODAY_9), email(K.FAILED_ATTEMPT, TODAY_9, "1")]

CAP = [
    pytest.param(
        [delayed(2)], S.IN_TRANSIT, TWO_TODAY, EMAIL_ONLY, DEFAULT, NOW,
        [("7:delayed_2:2:email", TOMORROW_8)],
        id="full-day-defers-to-next-morning",
    ),
    pytest.param(
        [delayed(1)], S.OUT_FOR_DELIVERY, [email(K.SHIPPED, TODAY_9)], EMAIL_ONLY, DEFAULT, NOW,
        [("7:out_for_delivery:2026-04-01:email", NOW), ("7:delayed_1:1:email", TOMORROW_8)],
        id="last-slot-by-priority",
    ),
    pytest.param(
        [attempt(1), delayed(1)], S.FAILED_ATTEMPT, [], EMAIL_ONLY, NotifyPolicy(daily_cap=1), NOW,
        [("7:failed_attempt:1:email", NOW), ("7:delayed_1:1:email", TOMORROW_8)],
        id="action-before-apology",
    ),
    pytest.param(
        [], S.OUT_FOR_DELIVERY, TWO_TODAY, EMAIL_ONLY, DEFAULT, NOW, [],
        id="stale-tomorrow-so-dropped",
    ),
    pytest.param(
        [attempt(1)], S.FAILED_ATTEMPT, TWO_TODAY, PHONE, DEFAULT, NOW,
        [("7:failed_attempt:1:sms", NOW)],
        id="another-channel-of-a-notice-sent-today-takes-no-slot",
    ),
    pytest.param(
        [delayed(1)], S.IN_TRANSIT,
        [email(K.SHIPPED, TOMORROW_8), email(K.FAILED_ATTEMPT, TOMORROW_8, "1")],
        EMAIL_ONLY, DEFAULT, ams(4, 1, 22, 30),
        [("7:delayed_1:1:email", ams(4, 3, 8))],
        id="queued-messages-fill-their-day",
    ),
    pytest.param(
        [delayed(1)], S.IN_TRANSIT, [*TWO_TODAY, email(K.RETURNING, TODAY_9)], EMAIL_ONLY,
        NotifyPolicy(daily_cap=None), NOW, [("7:delayed_1:1:email", NOW)],
        id="no-cap",
    ),
    pytest.param(
        [NOT_SHIPPED], S.INFO_RECEIVED, TWO_TODAY, EMAIL_ONLY, DEFAULT, NOW,
        [("7:not_shipped_merchant:-:email", NOW)],
        id="merchant-outside-the-customer-cap",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("findings", "status", "sent", "recipient", "policy", "now", "expected"), CAP
)
def test_daily_cap(findings, status, sent, recipient, policy, now, expected):
    intents = run(
        findings, status, S.IN_TRANSIT, recipient=recipient, policy=policy, sent=sent, now=now
    )
    assert [(i.idempotency_key, i.send_at) for i in intents] == expected


def test_delivered_goes_first_and_queued_delays_are_withdrawn():
    queued = email(K.DELAYED_1, TOMORROW_8, "1")
    intents = run([DELIVERED], S.DELIVERED, S.IN_TRANSIT, sent=[queued], now=ams(4, 1, 22, 30))
    assert [(i.kind, i.send_at) for i in intents] == [(K.DELIVERED, TOMORROW_8)]
    found = withdrawals(shipment_id=7, status=S.DELIVERED, intents=intents, sent=[queued], now=NOW)
    assert found == ["7:delayed_1:1:email"]


# --- withdrawals -----------------------------------------------------------------------------

WITHDRAW = [
    pytest.param(S.DELIVERED, [], [email(K.DELAYED_1, TOMORROW_8, "1")], ["7:delayed_1:1:email"],
                 id="delivered-withdraws-queued-delay"),
    pytest.param(S.DELIVERED, [], [email(K.DELAYED_1, TODAY_9, "1")], [], id="already-out"),
    pytest.param(S.IN_TRANSIT, [K.DELAYED_2], [email(K.DELAYED_1, TOMORROW_8, "1")],
                 ["7:delayed_1:1:email"], id="higher-level-withdraws-lower"),
    pytest.param(S.IN_TRANSIT, [], [email(K.DELAYED_1, TOMORROW_8, "1")], [], id="nothing-newer"),
    pytest.param(S.CANCELLED, [], [email(K.SHIPPED, TOMORROW_8), Sent(K.AGENT_FOLLOWUP, None,
                 TOMORROW_8, "3")], ["7:agent_followup:3:desk", "7:shipped:-:email"],
                 id="cancelled-withdraws-all"),
]  # fmt: skip


@pytest.mark.parametrize(("status", "new_kinds", "sent", "expected"), WITHDRAW)
def test_withdrawals(status, new_kinds, sent, expected):
    new = [i for kind in new_kinds for i in run([delayed(int(kind[-1]))]) if i.kind == kind]
    assert withdrawals(shipment_id=7, status=status, intents=new, sent=sent, now=NOW) == expected


# --- payloads --------------------------------------------------------------------------------


def test_level_3_carries_the_voucher_when_configured():
    policy = NotifyPolicy(level3_voucher_minor_units=500, voucher_currency="EUR")
    by_kind = {i.kind: i.payload for i in run([delayed(3)], policy=policy)}
    voucher = {"voucher_minor_units": 500, "voucher_currency": "EUR"}
    assert voucher.items() <= by_kind[K.DELAYED_3].items()
    assert voucher.items() <= by_kind[K.AGENT_FOLLOWUP].items()
    assert "voucher_minor_units" not in run([delayed(3)])[0].payload


def test_payload_details_and_language():
    recipient = Recipient("Europe/Amsterdam", language="es")
    policy = NotifyPolicy(default_language="de")
    (notice,) = run([pickup(date(2026, 4, 8))], recipient=recipient, policy=policy)
    assert notice.payload == {
        "deadline": "2026-04-08",
        "days_left": 7,
        "language": "de",
        "carrier": "postnl",
    }
    (failed,) = run([attempt(2)], recipient=Recipient("Europe/Amsterdam", language="fr"))
    assert failed.payload["attempt"] == 2 and failed.payload["language"] == "fr"
    assert failed.payload["reason"] == "recipient_unavailable"
    (shipped,) = run([], S.IN_TRANSIT, None)
    assert shipped.payload["with_tracking_link"] == 1


def test_the_priority_table_puts_delivered_first_and_covers_every_customer_kind():
    desk = {K.NOT_SHIPPED_MERCHANT, K.AGENT_FOLLOWUP, *CASE_KINDS}
    customer = {k for k in MessageKind if k not in desk}
    assert set(PRIORITY) == customer
    assert min(PRIORITY, key=PRIORITY.__getitem__) == K.DELIVERED
    assert all(PRIORITY[K.DELIVERED] < PRIORITY[k] for k in (K.DELAYED_1, K.DELAYED_2, K.DELAYED_3))


# --- small helpers ---------------------------------------------------------------------------

CONTAINS = [
    pytest.param(time(21), time(8), time(22), True, id="evening"),
    pytest.param(time(21), time(8), time(7, 59, 59), True, id="early"),
    pytest.param(time(21), time(8), time(8), False, id="end-open"),
    pytest.param(time(21), time(8), time(21), True, id="start-closed"),
    pytest.param(time(21), time(8), time(12), False, id="day"),
    pytest.param(time(12), time(14), time(13), True, id="same-day-window"),
    pytest.param(time(12), time(14), time(15), False, id="after-window"),
    pytest.param(time(9), time(9), time(9), False, id="empty"),
]


@pytest.mark.parametrize(("start", "end", "wall", "expected"), CONTAINS)
def test_quiet_hours_contains(start, end, wall, expected):
    assert QuietHours(start, end).contains(wall) is expected


REMINDERS = [
    pytest.param(date(2026, 4, 8), NOW, [date(2026, 4, 6), date(2026, 4, 7)], id="ahead"),
    pytest.param(date(2026, 4, 2), NOW, [date(2026, 4, 1)], id="one-left"),
    pytest.param(date(2026, 4, 1), NOW, [], id="deadline-today"),
    pytest.param(date(2026, 4, 3), ams(4, 2, 0, 30), [date(2026, 4, 2)], id="local-date"),
]


@pytest.mark.parametrize(("deadline", "now", "expected"), REMINDERS)
def test_pickup_reminders(deadline, now, expected):
    assert pickup_reminders(deadline, now, AMS) == expected


DUE = [
    pytest.param(5, None, id="early"),
    pytest.param(2, 2, id="two-left"),
    pytest.param(1, 1, id="one-left"),
    pytest.param(0, 1, id="last-day"),
    pytest.param(-1, None, id="passed"),
]


@pytest.mark.parametrize(("left", "expected"), DUE)
def test_due_reminder(left, expected):
    today = date(2026, 4, 1)
    assert due_reminder(today + timedelta(days=left), today, (2, 1)) == expected


INVALID = [
    pytest.param({"daily_cap": 0}, "daily_cap", id="cap-zero"),
    pytest.param({"level3_voucher_minor_units": -1}, "voucher", id="negative-voucher"),
    pytest.param({"level3_voucher_minor_units": 500}, "currency", id="voucher-without-currency"),
    pytest.param(
        {"pickup_reminder_days": (2, 0)}, "pickup_reminder_days", id="reminder-on-deadline"
    ),
    pytest.param({"default_language": "es"}, "default_language", id="unsupported-language"),
    pytest.param({"shop_time_zone": "Mars/Olympus"}, "time zone", id="unknown-shop-zone"),
]


@pytest.mark.parametrize(("settings", "message"), INVALID)
def test_invalid_policies_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        NotifyPolicy(**settings)


def test_bad_recipient_zone_and_naive_now_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        Recipient("Europe/Atlantis")
    with pytest.raises(ValueError, match="aware"):
        run([delayed(1)], now=datetime(2026, 4, 1, 12))  # noqa: DTZ001
    with pytest.raises(ValueError, match="level"):
        run([Finding(F.DELAYED, level=4)])

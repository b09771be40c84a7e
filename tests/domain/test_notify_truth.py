"""The send-time truth table, the customer's pace and the news/history rule, table-driven."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.notify_news import STALE_NEWS, Watch, is_history
from parcelcare.domain.notify_pace import NO_GAP, UNCAPPED, CustomerDay, Pace, pace_of
from parcelcare.domain.notify_policy import MessageKind
from parcelcare.domain.notify_truth import TRUE_WHILE, CaseFacts, SendFacts, why_untrue
from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus

S = ShipmentStatus
F = FindingKind
K = MessageKind
TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)
AMS = ZoneInfo("Europe/Amsterdam")


def facts(status: S, *found: tuple[F, int | None], delivered: bool = False, case=None):
    return SendFacts(status, delivered, frozenset(found), TODAY, case)


TABLE = [
    # kind, detail, facts, still true
    (K.DELAYED_1, "1", facts(S.IN_TRANSIT, (F.DELAYED, 1)), True),
    (K.DELAYED_1, "1", facts(S.IN_TRANSIT, (F.DELAYED, 3)), True),
    (K.DELAYED_3, "3", facts(S.IN_TRANSIT, (F.DELAYED, 2)), False),
    (K.DELAYED_3, "3", facts(S.DELIVERED, (F.DELIVERED, None), delivered=True), False),
    (K.DELAYED_2, "2", facts(S.RETURNING, (F.DELAYED, 2)), False),
    (K.DELAYED_2, "2", facts(S.EXCEPTION, (F.DELAYED, 2), delivered=True), False),
    (K.DELAYED_1, "1", facts(S.IN_TRANSIT), False),
    (K.OUT_FOR_DELIVERY, TODAY.isoformat(), facts(S.OUT_FOR_DELIVERY), True),
    (K.OUT_FOR_DELIVERY, "2026-11-17", facts(S.OUT_FOR_DELIVERY), False),
    (K.OUT_FOR_DELIVERY, TODAY.isoformat(), facts(S.DELIVERED, delivered=True), False),
    (K.FAILED_ATTEMPT, "1", facts(S.FAILED_ATTEMPT, (F.FAILED_ATTEMPT, None)), True),
    (K.FAILED_ATTEMPT, "1", facts(S.OUT_FOR_DELIVERY), False),
    (K.AWAITING_PICKUP, "-", facts(S.AVAILABLE_FOR_PICKUP), True),
    (K.PICKUP_REMINDER, "x/1", facts(S.DELIVERED, delivered=True), False),
    (K.LIKELY_LOST, "-", facts(S.IN_TRANSIT, (F.LIKELY_LOST, None)), True),
    (K.LIKELY_LOST, "-", facts(S.IN_TRANSIT, (F.STALLED, None)), False),
    (K.DELIVERED, "-", facts(S.DELIVERED, delivered=True), True),
    (K.DELIVERED, "-", facts(S.RETURNING, delivered=True), True),
    (K.DELIVERED, "-", facts(S.IN_TRANSIT), False),
    (K.RETURNING, "-", facts(S.RETURNING), True),
    (K.RETURNING, "-", facts(S.RETURNED), False),
    (K.RETURNED, "-", facts(S.RETURNED), True),
    (K.SHIPPED, "-", facts(S.IN_TRANSIT), True),
    (K.SHIPPED, "-", facts(S.DELIVERED, delivered=True), False),
    (K.NOT_SHIPPED_MERCHANT, "-", facts(S.INFO_RECEIVED, (F.NOT_SHIPPED, None)), True),
    (K.NOT_SHIPPED_MERCHANT, "-", facts(S.IN_TRANSIT), False),
    (K.CASE_RECEIVED, "-", facts(S.DELIVERED, case=CaseFacts("investigating")), True),
    (K.CASE_RECEIVED, "-", facts(S.DELIVERED, case=CaseFacts("resolved")), False),
    (K.CASE_RECEIVED, "-", facts(S.DELIVERED), False),
    (K.CASE_REQUEST, "declaration", facts(S.DELIVERED, case=CaseFacts("w", {"declaration"})), True),
    (K.CASE_REQUEST, "declaration", facts(S.DELIVERED, case=CaseFacts("w", {"other"})), False),
    (K.CASE_REPLY, "r1", facts(S.DELIVERED, case=CaseFacts("closed")), True),
    (K.CASE_RESOLVED, "-", facts(S.DELIVERED, case=CaseFacts("resolved")), True),
    (K.CASE_RESOLVED, "-", facts(S.DELIVERED, case=CaseFacts("investigating")), False),
]


@pytest.mark.parametrize(("kind", "detail", "state", "true"), TABLE)
def test_a_message_holds_only_while_its_reason_does(kind, detail, state, true) -> None:
    assert (why_untrue(kind, detail, state) == "") is true


def test_every_kind_has_a_rule() -> None:
    assert set(TRUE_WHILE) == set(MessageKind)


@given(st.sampled_from(sorted(set(MessageKind) - {K.CASE_REPLY, K.AGENT_FOLLOWUP})))
def test_a_cancelled_shipment_or_a_vanished_case_says_nothing(kind) -> None:
    assert why_untrue(kind, "-", facts(S.CANCELLED, (F.DELAYED, 3), (F.LIKELY_LOST, None)))


def test_the_reason_names_what_changed() -> None:
    state = facts(S.DELIVERED, delivered=True)
    assert why_untrue(K.DELAYED_3, "3", state) == "no longer true: shipment delivered"
    assert why_untrue(K.CASE_RECEIVED, "-", state) == "no longer true: case gone"


# The pace: cap 2 a local day, 15 minutes apart; the acknowledgement goes at once.
PACE = Pace(daily_cap=2, min_gap=timedelta(minutes=15))


def day(*sent: tuple[str, datetime]) -> CustomerDay:
    return CustomerDay(AMS, {(1, kind, "-"): at for kind, at in sent})


JUST_NOW = (("shipped", NOW - timedelta(minutes=1)),)
GAP_END = NOW + timedelta(minutes=14)
PACING = [
    # sent before, the notice, verdict, when
    ((), K.DELAYED_1, "send", None),
    ((("shipped", NOW - timedelta(minutes=1)),), K.DELAYED_1, "later", NOW + timedelta(minutes=14)),
    ((("shipped", NOW - timedelta(minutes=1)),), K.CASE_RECEIVED, "send", None),
    (
        (("shipped", NOW - timedelta(minutes=1)),),
        K.CASE_REPLY,
        "later",
        NOW + timedelta(minutes=14),
    ),
    (
        (("shipped", NOW - timedelta(hours=2)), ("delayed_1", NOW - timedelta(hours=1))),
        K.CASE_REQUEST,
        "later",
        datetime(2026, 11, 19, 7, 0, tzinfo=UTC),  # 08:00 in Amsterdam, after quiet hours
    ),
    (
        (("shipped", NOW - timedelta(hours=2)), ("delayed_1", NOW - timedelta(hours=1))),
        K.CASE_REPLY,
        "send",
        None,
    ),
    (
        (("shipped", NOW - timedelta(hours=2)), ("delayed_1", NOW - timedelta(hours=1))),
        K.OUT_FOR_DELIVERY,
        "drop",
        None,
    ),
]


@pytest.mark.parametrize(("sent", "kind", "verdict", "at"), PACING)
def test_the_customers_pace(sent, kind, verdict, at) -> None:
    assert pace_of((1, kind.value, "x"), day(*sent), PACE, NOW) == (verdict, at)


def test_the_other_channel_of_a_notice_already_out_follows_it() -> None:
    sent = day(("delayed_1", NOW - timedelta(minutes=1)))
    assert pace_of((1, "delayed_1", "-"), sent, PACE, NOW) == ("send", None)


@given(st.lists(st.sampled_from(sorted(K)), min_size=1, max_size=12))
def test_sending_by_the_pace_never_crowds_a_customer(kinds) -> None:
    seen = CustomerDay(AMS, {})
    now = NOW
    for n, kind in enumerate(kinds):
        notice = (n, kind.value, "-")
        verdict, at = pace_of(notice, seen, PACE, now)
        if verdict == "send":
            seen.note(notice, now)
        now += timedelta(minutes=1)
    moments = sorted(seen.sent.items(), key=lambda item: item[1])
    capped = [n for n, _ in moments if n[1] not in UNCAPPED]
    assert len(capped) <= 2
    for (notice, at), (_, before) in zip(moments[1:], moments, strict=False):
        assert notice[1] in NO_GAP or at - before >= PACE.min_gap


# News or history.
KNOWN = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
HISTORY = [
    # kind, payload, watch, history
    (K.DELAYED_3, {"promised_date": "2026-11-02"}, Watch(KNOWN), True),
    (K.DELAYED_1, {"promised_date": "2026-11-17"}, Watch(KNOWN), False),
    (
        K.DELAYED_3,
        {"promised_date": "2026-11-02"},
        Watch(KNOWN, last_event_at=NOW - timedelta(hours=20)),
        False,
    ),
    (K.DELAYED_3, {"promised_date": "2026-11-02"}, Watch(KNOWN - timedelta(days=20)), False),
    (K.DELIVERED, {}, Watch(KNOWN, status_since=NOW - timedelta(days=9)), True),
    (K.DELIVERED, {}, Watch(KNOWN, status_since=NOW - timedelta(hours=3)), False),
    (K.FAILED_ATTEMPT, {"attempted_at": "2026-11-10T09:00:00+00:00"}, Watch(KNOWN), True),
    (K.FAILED_ATTEMPT, {"attempted_at": "2026-11-18T09:00:00+00:00"}, Watch(KNOWN), False),
    (K.LIKELY_LOST, {"last_event_at": "2026-11-01T09:00:00+00:00"}, Watch(KNOWN), True),
    (
        K.LIKELY_LOST,
        {"last_event_at": "2026-11-01T09:00:00+00:00"},
        Watch(datetime(2026, 10, 30, tzinfo=UTC)),
        False,
    ),
    (K.NOT_SHIPPED_MERCHANT, {}, Watch(KNOWN, status_since=NOW - timedelta(days=30)), False),
]


@pytest.mark.parametrize(("kind", "payload", "watch", "history"), HISTORY)
def test_imported_history_is_not_news(kind, payload, watch, history) -> None:
    assert is_history(kind, payload, watch, NOW) is history


def test_without_a_watch_everything_is_news() -> None:
    assert not is_history(K.DELIVERED, {}, None, NOW + STALE_NEWS * 10)

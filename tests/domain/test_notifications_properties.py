"""Properties of notification decisions over random findings, histories, zones and clocks."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from parcelcare.domain.detection import Finding
from parcelcare.domain.notifications import decide, withdrawals
from parcelcare.domain.notify_policy import (
    AUDIENCE,
    DEFAULT_CHANNELS,
    STALE_ONCE_DELIVERED,
    Audience,
    Channel,
    MessageKind,
    NotifyPolicy,
    Recipient,
    Sent,
    message_key,
)
from parcelcare.domain.notify_timing import QuietHours
from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus

S = ShipmentStatus
F = FindingKind
K = MessageKind
CARRIERS = ("postnl", "dhl", "ups")
DETAILS = ("-", "1", "2", "3")

nows = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
quiet_hours = st.builds(QuietHours, st.times(), st.times())


@st.composite
def findings(draw, today: date) -> list[Finding]:
    """A few findings of any kind, pickup deadlines around today."""
    pool = [
        st.builds(Finding, st.just(F.DELAYED), level=st.integers(1, 3)),
        st.builds(Finding, st.just(F.FAILED_ATTEMPT), attempt=st.integers(1, 3)),
        st.builds(
            Finding,
            st.just(F.AWAITING_PICKUP),
            evidence=st.integers(-2, 8).map(
                lambda n: {"deadline": (today + timedelta(days=n)).isoformat()}
            ),
        ),
        st.sampled_from(
            [
                Finding(F.LIKELY_LOST),
                Finding(F.NOT_SHIPPED),
                Finding(F.DELIVERED),
                Finding(F.STALLED),
                Finding(F.RETURNING_TO_SENDER, reason=IncidentReason.ADDRESS_ISSUE),
                Finding(F.CARRIER_EXCEPTION, reason=IncidentReason.DAMAGED),
            ]
        ),
    ]
    return draw(st.lists(st.one_of(pool), max_size=4))


@st.composite
def history(draw, now: datetime, today: date) -> list[Sent]:
    """Messages written in the last three days or queued for the next three."""
    details = st.sampled_from(
        [*DETAILS, today.isoformat(), (today + timedelta(days=2)).isoformat()]
    )
    sent = st.builds(
        Sent,
        st.sampled_from(list(MessageKind)),
        st.sampled_from([*Channel, None]),
        st.integers(-72 * 60, 72 * 60).map(lambda m: now + timedelta(minutes=m)),
        details,
    )
    return draw(st.lists(sent, max_size=6))


recipients = st.builds(
    Recipient,
    st.timezones(),
    language=st.sampled_from(["nl", "de", "en", "fr", "es"]),
    consent_email=st.booleans(),
    consent_sms=st.booleans(),
    consent_whatsapp=st.booleans(),
    opted_out=st.frozensets(st.sampled_from(list(Channel))),
    has_email=st.booleans(),
    has_phone=st.booleans(),
)

policies = st.builds(
    NotifyPolicy,
    channels=st.sampled_from(
        [
            DEFAULT_CHANNELS,
            {kind: frozenset(Channel) for kind in DEFAULT_CHANNELS},
        ]
    ),
    enabled=st.frozensets(st.sampled_from(list(MessageKind))).map(
        lambda off: frozenset(MessageKind) - off
    ),
    quiet_hours=quiet_hours,
    daily_cap=st.one_of(st.none(), st.integers(1, 3)),
    silent_when_carrier_notifies=st.booleans(),
    carriers_that_notify=st.frozensets(st.sampled_from(CARRIERS)),
    shop_time_zone=st.timezones(),
    merchant_quiet_hours=quiet_hours,
)


@st.composite
def scenarios(draw) -> dict:
    """Everything `decide` takes, drawn together so dates line up with the clock."""
    now = draw(nows)
    recipient = draw(recipients)
    today = now.astimezone(recipient.zone).date()
    return {
        "shipment_id": draw(st.integers(1, 10**9)),
        "carrier": draw(st.sampled_from(CARRIERS)),
        "findings": draw(findings(today)),
        "status": draw(st.sampled_from(list(ShipmentStatus))),
        "previous_status": draw(st.one_of(st.none(), st.sampled_from(list(ShipmentStatus)))),
        "recipient": recipient,
        "policy": draw(policies),
        "sent": draw(history(now, today)),
        "now": now,
    }


def notices_per_day(items, zone) -> dict[date, set[tuple[str, str]]]:
    """Customer notices per local day; all channels of a notice count once."""
    days: dict[date, set[tuple[str, str]]] = {}
    for kind, detail, moment in items:
        if AUDIENCE[kind] == Audience.CUSTOMER:
            days.setdefault(moment.astimezone(zone).date(), set()).add((kind, detail))
    return days


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_send_at_never_before_now_nor_in_quiet_hours(case):
    policy, recipient, now = case["policy"], case["recipient"], case["now"]
    for intent in decide(**case):
        assert intent.send_at >= now
        assert intent.send_at.utcoffset() == timedelta(0)
        if intent.audience == Audience.CUSTOMER:
            assert not policy.quiet_hours.is_quiet(intent.send_at, recipient.zone)
        elif intent.audience == Audience.MERCHANT:
            assert not policy.merchant_quiet_hours.is_quiet(intent.send_at, policy.shop_zone)
        else:
            assert intent.send_at == now


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_keys_encode_the_message_and_are_unique_and_stable(case):
    first = decide(**case)
    keys = [intent.idempotency_key for intent in first]
    assert len(keys) == len(set(keys))
    assert first == decide(**case)
    taken = {sent.key(case["shipment_id"]) for sent in case["sent"]}
    for intent in first:
        channel = intent.channel
        assert intent.idempotency_key == message_key(
            case["shipment_id"], intent.kind, intent.detail, channel
        )
        assert intent.idempotency_key == f"{case['shipment_id']}:{intent.kind}:{intent.detail}:" + (
            channel or "desk"
        )
        assert intent.idempotency_key not in taken


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_the_daily_cap_is_never_exceeded(case):
    cap, zone = case["policy"].daily_cap, case["recipient"].zone
    intents = decide(**case)
    before = notices_per_day(((s.kind, s.detail, s.sent_at) for s in case["sent"]), zone)
    new = notices_per_day(((i.kind, i.detail, i.send_at) for i in intents), zone)
    for day, notices in new.items():
        added = notices - before.get(day, set())
        if cap is not None and added:
            assert len(before.get(day, set()) | notices) <= cap


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_customer_channel_without_consent_and_contact_data(case):
    for intent in decide(**case):
        if intent.audience == Audience.CUSTOMER:
            assert intent.channel is not None
            assert case["recipient"].reachable(intent.channel)
            assert intent.channel not in case["recipient"].opted_out
        if intent.audience == Audience.AGENT:
            assert intent.channel is None


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.booleans())
def test_delivered_always_wins(case, just_arrived):
    case["status"] = S.DELIVERED
    if just_arrived:
        case["previous_status"] = S.OUT_FOR_DELIVERY
    intents = decide(**case)
    assert not [i for i in intents if i.kind in STALE_ONCE_DELIVERED]
    delivered = [i.send_at for i in intents if i.kind == K.DELIVERED]
    customer = [i.send_at for i in intents if i.audience == Audience.CUSTOMER]
    if delivered:
        assert min(delivered) == min(customer)
    queued = withdrawals(
        shipment_id=case["shipment_id"],
        status=S.DELIVERED,
        intents=intents,
        sent=case["sent"],
        now=case["now"],
    )
    stale = [s for s in case["sent"] if s.kind in STALE_ONCE_DELIVERED and s.sent_at > case["now"]]
    assert set(queued) >= {s.key(case["shipment_id"]) for s in stale}


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_deciding_again_after_writing_the_intents_adds_nothing(case):
    first = decide(**case)
    again = {**case, "sent": [*case["sent"], *(Sent.of(intent) for intent in first)]}
    assert decide(**again) == []


@settings(max_examples=200, deadline=None)
@given(quiet_hours, st.timezones(), nows)
def test_release_is_the_first_moment_outside_quiet_hours(quiet, zone, now):
    released = quiet.release(now, zone)
    assert released >= now
    assert not quiet.is_quiet(released, zone)
    if released > now:
        # Every minute between now and the release is quiet: nothing was held back needlessly.
        step = max((released - now) // 20, timedelta(seconds=1))
        moment = now
        while moment < released:
            assert quiet.is_quiet(moment, zone)
            moment += step

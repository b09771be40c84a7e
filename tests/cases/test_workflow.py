"""Walking playbooks through the services: steps, claims, remedies, tracking follow-up."""

from datetime import timedelta

import pytest
from parcels import (  # noqa: F401
    NOW,
    Parcel,
    delivered_parcel,
    make_parcel,
    moving_parcel,
    open_for,
    returned_parcel,
)

from conftest import ApiShop, event
from parcelcare.cases.actors import CUSTOMER, CaseError, Who
from parcelcare.cases.carrier import file_claim, record_pod, request_pod
from parcelcare.cases.customer import confirm_address, confirm_checks, sign_declaration
from parcelcare.cases.follow import desk_pass
from parcelcare.cases.models import Case
from parcelcare.cases.outcomes import deny, record_remedy, reopen
from parcelcare.cases.services import report_again
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.errors import IllegalTransition, LedgerError
from parcelcare.domain.money import RemedyKind
from parcelcare.domain.risk import PodStrength
from parcelcare.ledger.models import RemedyEntry
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Shipment

AGENT = Who("agent", "anna")


def _states(case: Case) -> dict[str, str]:
    return dict(case.steps.values_list("key", "state"))


@pytest.mark.django_db
def test_playbook_b_walks_from_checks_to_a_reship(delivered: Parcel) -> None:
    case = open_for(delivered)
    case.refresh_from_db()
    assert case.status == "investigating"
    for key in ("investigate_tracking", "verify_address"):
        from parcelcare.cases.services import complete_step

        complete_step(case=case, key=key, who=AGENT, now=NOW)
    case.refresh_from_db()
    assert case.status == "waiting_on_customer"
    confirm_checks(
        case=case,
        checked=["household", "neighbours", "safe_place", "mailbox", "pickup_point"],
        now=NOW,
    )
    sign_declaration(
        case=case,
        name="Sanne de Vries",
        statement="Ik heb het pakket niet ontvangen.",
        agreed=True,
        now=NOW,
        ip="203.0.113.9",
        user_agent="test",
    )
    case.refresh_from_db()
    assert case.status == "waiting_on_carrier"
    request_pod(case=case, who=AGENT, now=NOW)
    record_pod(case=case, strength=PodStrength.SCAN_ONLY, detail="scan only", who=AGENT, now=NOW)
    with pytest.raises(CaseError, match="takes loss claims from"):
        file_claim(case=case, reference="PNL-123", who=AGENT, now=NOW)
    later = NOW + timedelta(days=7)
    claim = file_claim(case=case, reference="PNL-123", who=AGENT, now=later)
    assert claim.status == "filed" and claim.deadline_at > later
    case.refresh_from_db()
    assert case.status == "resolution_proposed"
    entry, created = record_remedy(
        case=case, kind=RemedyKind.RESHIP, amount=0, who=AGENT, now=later, idempotency_key="k1"
    )
    assert created and entry.shipment is not None
    assert Shipment.objects.filter(order=delivered.order).count() == 2
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("resolved", "reship")
    assert _states(case)["decide_remedy"] == "done"
    assert OutboxMessage.objects.filter(kind="case_resolved", detail="reship").count() == 1


@pytest.mark.django_db
def test_refunds_never_exceed_what_was_paid_and_replays_are_one_entry(delivered: Parcel) -> None:
    case = open_for(delivered)
    total = delivered.order.total
    with pytest.raises(LedgerError):
        record_remedy(
            case=case,
            kind=RemedyKind.REFUND,
            amount=total + 1,
            who=AGENT,
            now=NOW,
            idempotency_key="too-much",
        )
    first, created = record_remedy(
        case=case, kind=RemedyKind.REFUND, amount=total, who=AGENT, now=NOW, idempotency_key="r1"
    )
    again, created_again = record_remedy(
        case=case, kind=RemedyKind.REFUND, amount=total, who=AGENT, now=NOW, idempotency_key="r1"
    )
    assert created and not created_again and first.pk == again.pk
    assert RemedyEntry.objects.filter(order=delivered.order).count() == 1


@pytest.mark.django_db
def test_deny_resolves_politely_and_reopen_takes_it_up_again(delivered: Parcel) -> None:
    case = open_for(delivered)
    deny(case=case, who=AGENT, now=NOW, reason="signed proof of delivery")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.is_open) == ("resolved", "deny", False)
    assert OutboxMessage.objects.filter(kind="case_resolved", detail="deny").exists()
    with pytest.raises(IllegalTransition):
        from parcelcare.cases.services import move

        move(case, case.status.__class__("waiting_on_carrier"), AGENT, NOW)
    reopen(case=case, who=AGENT, now=NOW, why="customer sent new photos")
    case.refresh_from_db()
    assert case.is_open and case.status in ("resolution_proposed", "investigating")


@pytest.mark.django_db
def test_a_late_parcel_delivered_during_its_case_closes_the_case(
    api_shop: ApiShop, moving: Parcel
) -> None:
    case = open_for(moving)
    assert case.playbook == "A"
    tracking = moving.shipment.tracking_number
    item = event(tracking, at="2026-11-18T10:00:00+01:00", code="I01", status="delivered")
    api_shop.post("tracking-events", {"events": [item]})
    result = desk_pass(NOW)
    case.refresh_from_db()
    assert result.closed_delivered == 1
    assert (case.status, case.outcome) == ("closed", "delivered")
    assert _states(case)["follow_until_delivered"] == "done"
    # The customer hears "delivered" once: from the tracking notice or else from the case.
    notices = OutboxMessage.objects.filter(kind="delivered", shipment=moving.shipment).count()
    closing = OutboxMessage.objects.filter(
        kind="case_resolved", detail="delivered", shipment=moving.shipment
    ).count()
    assert notices + closing == 1


@pytest.mark.django_db
def test_delivered_but_not_received_switches_an_open_case_to_b(
    api_shop: ApiShop, moving: Parcel
) -> None:
    case = open_for(moving, CaseKind.ORDER_STATUS)
    tracking = moving.shipment.tracking_number
    item = event(tracking, at="2026-11-18T10:00:00+01:00", code="I01", status="delivered")
    api_shop.post("tracking-events", {"events": [item]})
    report_again(case=case, kind=CaseKind.NOT_RECEIVED, who=CUSTOMER, now=NOW, summary="Niets!")
    case.refresh_from_db()
    assert (case.playbook, case.kind) == ("B", "not_received")
    assert "declaration" in _states(case)
    assert case.notes.filter(direction="in").count() == 1


@pytest.mark.django_db
def test_a_likely_lost_parcel_opens_a_proactive_case_once(api_shop: ApiShop) -> None:
    parcel = make_parcel(
        api_shop,
        "2010",
        [{"at": "2026-11-02T08:00:00+01:00", "code": "A1", "status": "in_transit"}],
    )
    from parcelcare.tracking.review import review_due

    review_due(NOW + timedelta(days=2))
    assert parcel.shipment.findings.filter(kind="likely_lost", closed_at__isnull=True).exists()
    first = desk_pass(NOW + timedelta(days=2))
    second = desk_pass(NOW + timedelta(days=2))
    assert (first.opened, second.opened) == (1, 0)
    case = Case.objects.get(shipment=parcel.shipment)
    assert (case.source, case.kind, case.playbook) == ("proactive", "lost", "C")
    assert not OutboxMessage.objects.filter(kind="case_received").exists()
    ask = OutboxMessage.objects.get(kind="case_request", shipment=parcel.shipment)
    assert (ask.detail, ask.payload["step"]) == ("customer_choice", "customer_choice")


@pytest.mark.django_db
def test_claim_deadlines_get_a_draft_claim_and_reminders_before_they_pass(
    delivered: Parcel,
) -> None:
    case = open_for(delivered)
    desk_pass(NOW)
    claim = case.claims.get()
    assert (claim.status, claim.kind, claim.reminders_sent) == ("draft", "loss", 0)
    desk_pass(claim.deadline_at - timedelta(days=2))
    claim.refresh_from_db()
    assert claim.reminders_sent == 1
    desk_pass(claim.deadline_at - timedelta(hours=12))
    desk_pass(claim.deadline_at - timedelta(hours=11))
    claim.refresh_from_db()
    assert claim.reminders_sent == 2


@pytest.mark.django_db
def test_the_customer_is_asked_for_a_step_once(delivered: Parcel) -> None:
    from parcelcare.cases.services import complete_step

    case = open_for(delivered)
    for key in ("investigate_tracking", "verify_address"):
        complete_step(case=case, key=key, who=AGENT, now=NOW)
    assert not OutboxMessage.objects.filter(kind="case_request").exists()
    complete_step(case=case, key="customer_checks", who=AGENT, now=NOW, data={"by": "phone"})
    ask = OutboxMessage.objects.get(kind="case_request")
    assert ask.payload["step"] == "declaration"


@pytest.mark.django_db
def test_a_corrected_address_is_the_customers_error_and_splits_the_reship(
    returned: Parcel,
) -> None:
    from parcelcare.cases.services import complete_step

    case = open_for(returned, CaseKind.UNDELIVERABLE)
    assert case.playbook == "D" and case.recommendation["cost_share_percent"] == 0
    complete_step(case=case, key="verify_address", who=AGENT, now=NOW)
    confirm_address(case=case, correct=False, now=NOW, new_address="Lindenlaan 21, Utrecht")
    case.refresh_from_db()
    assert case.status == "resolution_proposed"
    assert case.recommendation["recommended"] == "reship"
    assert case.recommendation["reasons"][0]["key"] == "address_error_split_cost"
    assert case.recommendation["cost_share_percent"] == 50


@pytest.mark.django_db
def test_a_claim_is_still_filed_after_the_customer_got_a_refund(delivered: Parcel) -> None:
    case = open_for(delivered)
    record_remedy(
        case=case,
        kind=RemedyKind.REFUND,
        amount=delivered.order.total,
        who=AGENT,
        now=NOW,
        idempotency_key="refund-1",
    )
    case.refresh_from_db()
    assert case.status == "resolved"
    later = NOW + timedelta(days=7)
    claim = file_claim(case=case, reference="PNL-9", who=AGENT, now=later)
    case.refresh_from_db()
    assert claim.status == "filed" and case.status == "resolved"
    assert _states(case)["file_claim"] == "done"


@pytest.mark.django_db
def test_no_second_delivered_message_when_the_tracking_notice_went_out(
    api_shop: ApiShop, moving: Parcel
) -> None:
    case = open_for(moving)
    OutboxMessage.objects.create(
        shop=api_shop.shop,
        shipment=moving.shipment,
        kind="delivered",
        channel="email",
        audience="customer",
        idempotency_key="notice-delivered",
        language="nl",
        send_at=NOW,
        created_at=NOW,
        status="sent",
    )
    item = event(moving.shipment.tracking_number, at="2026-11-18T10:00:00+01:00", code="I01")
    item["status"] = "delivered"
    api_shop.post("tracking-events", {"events": [item]})
    desk_pass(NOW)
    case.refresh_from_db()
    assert case.outcome == "delivered"
    assert not OutboxMessage.objects.filter(kind="case_resolved").exists()


@pytest.mark.django_db
def test_a_voucher_code_from_the_shop_reaches_the_customer(delivered: Parcel) -> None:
    case = open_for(delivered)
    entry, _ = record_remedy(
        case=case,
        kind=RemedyKind.VOUCHER,
        amount=500,
        who=AGENT,
        now=NOW,
        idempotency_key="v1",
        reference="SORRY-5EUR",
    )
    assert entry.reference == "SORRY-5EUR"
    message = OutboxMessage.objects.get(kind="case_resolved", detail="voucher")
    assert message.payload["voucher_code"] == "SORRY-5EUR"
    from parcelcare.messaging.sender import preview

    assert "SORRY-5EUR" in preview(message).text

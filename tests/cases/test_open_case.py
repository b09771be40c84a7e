"""Opening cases: playbook from the tracking facts, acknowledgement, steps, SLA and audit."""

import pytest
from parcels import NOW, Parcel, delivered_parcel, moving_parcel, open_for, returned_parcel  # noqa: F401

from parcelcare.accounts.models import AuditEntry
from parcelcare.cases.models import Case
from parcelcare.domain.cases import CaseKind
from parcelcare.messaging.models import OutboxMessage


def _open(parcel: Parcel, kind: CaseKind) -> Case:
    return open_for(parcel, kind, "Ik heb niets ontvangen")


@pytest.mark.django_db
def test_a_delivered_parcel_never_received_follows_playbook_b(delivered: Parcel) -> None:
    case = _open(delivered, CaseKind.NOT_RECEIVED)
    case.refresh_from_db()
    assert case.playbook == "B"
    assert case.status == "investigating"
    assert case.first_response_at == NOW
    keys = list(case.steps.values_list("key", "state"))
    assert keys[0] == ("acknowledge", "done")
    assert ("declaration", "open") in keys
    ack = OutboxMessage.objects.get(shipment=delivered.shipment, kind="case_received")
    assert ack.language == "nl" and ack.payload["case_reference"] == case.reference
    actions = list(
        AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).values_list(
            "action", flat=True
        )
    )
    assert actions[:2] == ["open", "step.acknowledge"]
    assert case.risk["score"] >= 0 and case.recommendation["recommended"]


@pytest.mark.django_db
def test_a_moving_parcel_gets_playbook_a_and_waits_on_the_carrier(moving: Parcel) -> None:
    case = _open(moving, CaseKind.NOT_RECEIVED)
    case.refresh_from_db()
    assert (case.playbook, case.status) == ("A", "waiting_on_carrier")


@pytest.mark.django_db
def test_a_returned_parcel_gets_playbook_d(returned: Parcel) -> None:
    case = _open(returned, CaseKind.ORDER_STATUS)
    assert case.playbook == "D"

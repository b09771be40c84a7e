"""The case state machine, playbook choice and how cases follow tracking."""

import pytest

from parcelcare.domain.cases import (
    OPEN_STATUSES,
    TRANSITIONS,
    CaseKind,
    CaseStatus,
    FollowUp,
    Playbook,
    TrackingFacts,
    choose_playbook,
    follow_tracking,
    proactive_kind,
    transition,
)
from parcelcare.domain.errors import IllegalTransition
from parcelcare.domain.playbooks import (
    CUSTOMER_STEPS,
    PLAYBOOKS,
    StepKey,
    StepState,
    next_open,
    waiting_status,
)
from parcelcare.domain.vocabulary import FindingKind as F
from parcelcare.domain.vocabulary import ShipmentStatus as St

S, K, P = CaseStatus, CaseKind, Playbook


def test_every_status_has_a_row_and_only_listed_moves_pass() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    for current in CaseStatus:
        for target in CaseStatus:
            if target in TRANSITIONS[current]:
                assert transition(current, target) == target
            else:
                with pytest.raises(IllegalTransition, match=f"from {current} to {target}"):
                    transition(current, target)


def test_closed_cases_only_reopen_and_open_statuses_exclude_the_ends() -> None:
    assert TRANSITIONS[S.CLOSED] == {S.INVESTIGATING}
    assert S.RESOLVED not in OPEN_STATUSES and S.NEW in OPEN_STATUSES


@pytest.mark.parametrize(
    ("kind", "status", "findings", "playbook"),
    [
        (K.NOT_RECEIVED, St.DELIVERED, (), P.DELIVERED_NOT_RECEIVED),
        (K.ORDER_STATUS, St.DELIVERED, (), P.MOVING_OR_DELAYED),
        (K.NOT_RECEIVED, St.IN_TRANSIT, (), P.MOVING_OR_DELAYED),
        (K.NOT_RECEIVED, St.IN_TRANSIT, (F.LIKELY_LOST,), P.LIKELY_LOST),
        (K.LOST, St.IN_TRANSIT, (), P.LIKELY_LOST),
        (K.ORDER_STATUS, St.RETURNED, (), P.UNDELIVERABLE),
        (K.ORDER_STATUS, St.RETURNING, (), P.UNDELIVERABLE),
        (K.UNDELIVERABLE, St.EXCEPTION, (), P.UNDELIVERABLE),
        (K.DAMAGED_OR_WRONG_ITEM, St.DELIVERED, (), P.DAMAGED_OR_WRONG),
    ],
)
def test_the_playbook_follows_the_tracking_facts(kind, status, findings, playbook) -> None:
    assert choose_playbook(kind, TrackingFacts(status, frozenset(findings))) == playbook


@pytest.mark.parametrize(
    ("playbook", "status", "findings", "remedied", "action", "to"),
    [
        (P.MOVING_OR_DELAYED, St.DELIVERED, (), False, FollowUp.CLOSE_DELIVERED, None),
        (P.LIKELY_LOST, St.DELIVERED, (), False, FollowUp.CLOSE_DELIVERED, None),
        (P.LIKELY_LOST, St.DELIVERED, (), True, FollowUp.NOTHING, None),
        (
            P.MOVING_OR_DELAYED,
            St.IN_TRANSIT,
            (F.LIKELY_LOST,),
            False,
            FollowUp.SWITCH,
            P.LIKELY_LOST,
        ),
        (P.MOVING_OR_DELAYED, St.RETURNING, (), False, FollowUp.SWITCH, P.UNDELIVERABLE),
        (P.DELIVERED_NOT_RECEIVED, St.DELIVERED, (), False, FollowUp.NOTHING, None),
        (P.MOVING_OR_DELAYED, St.IN_TRANSIT, (), False, FollowUp.NOTHING, None),
    ],
)
def test_open_cases_follow_tracking(playbook, status, findings, remedied, action, to) -> None:
    follow = follow_tracking(
        kind=K.ORDER_STATUS,
        playbook=playbook,
        facts=TrackingFacts(status, frozenset(findings)),
        remedied=remedied,
    )
    assert (follow.action, follow.playbook) == (action, to)


def test_proactive_cases_come_from_loss_returns_and_level_three_delays() -> None:
    assert proactive_kind(F.LIKELY_LOST, None) == K.LOST
    assert proactive_kind(F.RETURNED_TO_SENDER, None) == K.UNDELIVERABLE
    assert proactive_kind(F.DELAYED, 2) is None
    assert proactive_kind(F.DELAYED, 3) == K.ORDER_STATUS
    assert proactive_kind(F.STALLED, None) is None


def test_every_playbook_starts_with_the_acknowledgement_and_ends_with_its_remedy() -> None:
    for playbook, steps in PLAYBOOKS.items():
        assert steps[0].key == StepKey.ACKNOWLEDGE
        if playbook != P.MOVING_OR_DELAYED:
            assert steps[-1].key == StepKey.DECIDE_REMEDY
        assert len({s.key for s in steps}) == len(steps)
    assert StepKey.DECLARATION in CUSTOMER_STEPS


def test_the_case_waits_on_whoever_owns_the_next_open_step() -> None:
    done = {StepKey.ACKNOWLEDGE: StepState.DONE}
    assert waiting_status(P.DELIVERED_NOT_RECEIVED, done) == S.INVESTIGATING
    more = done | {
        StepKey.INVESTIGATE_TRACKING: StepState.DONE,
        StepKey.VERIFY_ADDRESS: StepState.SKIPPED,
    }
    assert next_open(P.DELIVERED_NOT_RECEIVED, more).key == StepKey.CUSTOMER_CHECKS
    assert waiting_status(P.DELIVERED_NOT_RECEIVED, more) == S.WAITING_ON_CUSTOMER
    everything = {s.key: StepState.DONE for s in PLAYBOOKS[P.LIKELY_LOST][:-1]}
    assert waiting_status(P.LIKELY_LOST, everything) == S.RESOLUTION_PROPOSED

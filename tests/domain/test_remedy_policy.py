"""Remedy recommendations by playbook, policy, risk and facts, and the rules' invariants."""

from dataclasses import replace
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcelcare.domain.money import RemedyKind
from parcelcare.domain.remedy_policy import (
    DENY,
    OFFERED,
    PLAYBOOKS,
    WAIT,
    Reason,
    Recommendation,
    RemedyFacts,
    RemedyPolicy,
    recommend,
)
from parcelcare.domain.risk import RiskBand, RiskScore, band_for

POLICY = RemedyPolicy()
FACTS = RemedyFacts(order_value_minor=5_000, currency="EUR", customer_orders=1)


def risk(score: int) -> RiskScore:
    return RiskScore(score, band_for(score), ())


LOW, HIGH = risk(30), risk(75)


def advise(
    playbook: str,
    *,
    policy: RemedyPolicy = POLICY,
    score: RiskScore = LOW,
    **facts: object,
) -> Recommendation:
    return recommend(policy=policy, playbook=playbook, risk=score, facts=replace(FACTS, **facts))


def keys(recommendation: Recommendation) -> list[str]:
    return [reason.key for reason in recommendation.reasons]


def test_default_policy():
    assert RemedyPolicy() == RemedyPolicy(
        reship_goodwill_once=True,
        prefer="reship",
        voucher_percent=10,
        split_reship_cost_on_customer_address_error=True,
        share_percent=50,
        insured_above_minor=None,
        benefit_of_doubt_first_order=True,
        benefit_of_doubt_loyal_orders=3,
        deny_after_claims=2,
        high_risk_score=70,
    )


def case(
    name: str,
    playbook: str,
    recommended: str,
    reasons: list[str],
    *,
    policy: dict[str, object] | None = None,
    score: RiskScore = LOW,
    share: int = 0,
    voucher: int = 10,
    **facts: object,
) -> object:
    return pytest.param(
        playbook, policy or {}, score, facts, recommended, reasons, share, voucher, id=name
    )


NO_VOUCHER = {"voucher": 0}
CASES = [
    case("A-waits", "A", WAIT, ["still_in_transit"], score=HIGH),
    case("B-goodwill", "B", "reship", ["goodwill_reship_once"]),
    case("B-second-time-refund", "B", "refund", ["already_reshipped"], already_reshipped=True),
    case(
        "B-no-once-limit",
        "B",
        "reship",
        ["shop_prefers_reship"],
        policy={"reship_goodwill_once": False},
        already_reshipped=True,
    ),
    case("B-prefers-refund", "B", "refund", ["shop_prefers_refund"], policy={"prefer": "refund"}),
    case("B-deny-claims", "B", DENY, ["repeated_claims"], **NO_VOUCHER, earlier_claims_365d=2),
    case("B-one-claim-is-fine", "B", "reship", ["goodwill_reship_once"], earlier_claims_365d=1),
    case("B-deny-high-risk", "B", DENY, ["high_risk"], score=HIGH, **NO_VOUCHER),
    case("B-just-under-high", "B", "reship", ["goodwill_reship_once"], score=risk(69)),
    case(
        "B-deny-both",
        "B",
        DENY,
        ["repeated_claims", "high_risk"],
        score=HIGH,
        **NO_VOUCHER,
        earlier_claims_365d=3,
    ),
    case(
        "B-first-order-benefit-of-doubt",
        "B",
        "reship",
        ["goodwill_reship_once", "high_risk", "benefit_of_doubt_first_order"],
        score=HIGH,
        first_order=True,
        customer_orders=0,
    ),
    case(
        "B-first-order-doubt-off",
        "B",
        DENY,
        ["high_risk"],
        policy={"benefit_of_doubt_first_order": False},
        score=HIGH,
        **NO_VOUCHER,
        first_order=True,
        customer_orders=0,
    ),
    case(
        "B-loyal-benefit-of-doubt",
        "B",
        "reship",
        ["goodwill_reship_once", "repeated_claims", "loyal_customer"],
        earlier_claims_365d=2,
        customer_orders=3,
    ),
    case(
        "B-loyal-doubt-off",
        "B",
        DENY,
        ["repeated_claims"],
        policy={"benefit_of_doubt_loyal_orders": 0},
        **NO_VOUCHER,
        earlier_claims_365d=2,
        customer_orders=30,
    ),
    case(
        "B-claims-limit-off",
        "B",
        "reship",
        ["goodwill_reship_once"],
        policy={"deny_after_claims": 0},
        earlier_claims_365d=9,
    ),
    case(
        "B-insurance-does-not-overrule-deny",
        "B",
        DENY,
        ["high_risk"],
        score=HIGH,
        **NO_VOUCHER,
        insured=True,
    ),
    case("B-insured", "B", "reship", ["goodwill_reship_once", "insured_value"], insured=True),
    case(
        "C-choice-never-denied",
        "C",
        "refund",
        ["customer_chose"],
        score=HIGH,
        customer_choice="refund",
        earlier_claims_365d=5,
    ),
    case(
        "C-choice-over-policy",
        "C",
        "reship",
        ["customer_chose"],
        policy={"prefer": "refund"},
        customer_choice="reship",
        already_reshipped=True,
    ),
    case("C-no-choice-reship", "C", "reship", ["shop_prefers_reship"]),
    case("C-no-choice-after-reship", "C", "refund", ["already_reshipped"], already_reshipped=True),
    case(
        "C-above-insured-threshold",
        "C",
        "reship",
        ["customer_chose", "insured_value"],
        policy={"insured_above_minor": 15_000},
        order_value_minor=15_001,
        customer_choice="reship",
    ),
    case(
        "C-at-threshold-not-insured",
        "C",
        "reship",
        ["shop_prefers_reship"],
        policy={"insured_above_minor": 15_000},
        order_value_minor=15_000,
    ),
    case(
        "D-customer-error-split",
        "D",
        "reship",
        ["address_error_split_cost"],
        share=50,
        **NO_VOUCHER,
        address_error_by_customer=True,
    ),
    case(
        "D-split-over-refund-preference",
        "D",
        "reship",
        ["address_error_split_cost"],
        policy={"share_percent": 100, "prefer": "refund"},
        share=100,
        **NO_VOUCHER,
        address_error_by_customer=True,
    ),
    case(
        "D-split-off-goodwill",
        "D",
        "reship",
        ["goodwill_reship_once"],
        policy={"split_reship_cost_on_customer_address_error": False},
        address_error_by_customer=True,
    ),
    case("D-goodwill", "D", "reship", ["goodwill_reship_once"]),
    case(
        "D-never-denied-nor-insured",
        "D",
        "refund",
        ["already_reshipped"],
        score=HIGH,
        already_reshipped=True,
        earlier_claims_365d=4,
        insured=True,
    ),
    case("E-replace", "E", "reship", ["shop_prefers_reship"]),
    case(
        "E-refund-choice-ignored",
        "E",
        "refund",
        ["shop_prefers_refund"],
        policy={"prefer": "refund", "voucher_percent": 0},
        **NO_VOUCHER,
        customer_choice="reship",
    ),
    case("E-deny-repeated", "E", DENY, ["repeated_claims"], **NO_VOUCHER, earlier_claims_365d=2),
]


@pytest.mark.parametrize(
    ("playbook", "policy", "score", "facts", "recommended", "reasons", "share", "voucher"), CASES
)
def test_recommend(playbook, policy, score, facts, recommended, reasons, share, voucher):
    result = advise(playbook, policy=replace(POLICY, **policy), score=score, **facts)
    assert result.recommended == recommended
    assert keys(result) == reasons
    assert (result.cost_share_percent, result.voucher_percent) == (share, voucher)
    assert result.recommended in result.offered


@pytest.mark.parametrize(
    ("playbook", "offered"),
    [
        ("A", (WAIT, "voucher")),
        ("B", ("reship", "refund", DENY)),
        ("C", ("reship", "refund")),
        ("D", ("reship", "refund")),
        ("E", ("reship", "refund", "partial_refund", DENY)),
    ],
)
def test_offered_per_playbook(playbook, offered):
    assert advise(playbook).offered == offered


def test_a_offers_no_voucher_when_the_policy_has_none():
    result = advise("A", policy=replace(POLICY, voucher_percent=0))
    assert (result.offered, result.voucher_percent) == ((WAIT,), 0)


def test_deny_still_offers_reship_and_refund():
    result = advise("B", earlier_claims_365d=2)
    assert result.offered == ("reship", "refund", DENY)
    assert result.reasons == (Reason("repeated_claims", {"claims": 2, "limit": 2}),)


def test_reason_details_carry_the_numbers():
    policy = replace(POLICY, insured_above_minor=15_000)
    result = advise("B", policy=policy, score=HIGH, order_value_minor=20_000, customer_orders=4)
    assert result.reasons == (
        Reason("goodwill_reship_once"),
        Reason("high_risk", {"score": 75, "band": "high", "limit": 70}),
        Reason("loyal_customer", {"orders": 4, "threshold": 3}),
        Reason(
            "insured_value",
            {"order_value_minor": 20_000, "currency": "EUR", "insured_above_minor": 15_000},
        ),
    )
    split = advise("D", address_error_by_customer=True)
    assert split.reasons == (Reason("address_error_split_cost", {"share_percent": 50}),)


def test_playbook_enum_members_from_elsewhere_are_accepted():
    class Book(StrEnum):
        """Like cases.Playbook: letters as values."""

        LIKELY_LOST = "C"

    assert advise(Book.LIKELY_LOST, customer_choice="refund").recommended == "refund"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: advise("F"), "unknown playbook 'F'"),
        (lambda: RemedyPolicy(prefer="voucher"), "prefer must be"),
        (lambda: RemedyPolicy(voucher_percent=101), "voucher_percent must be within"),
        (lambda: RemedyPolicy(share_percent=-1), "share_percent must be within"),
        (lambda: RemedyPolicy(deny_after_claims=-1), "deny_after_claims cannot be negative"),
        (lambda: RemedyPolicy(insured_above_minor=-5), "insured_above_minor"),
        (lambda: replace(FACTS, customer_choice="voucher"), "customer_choice must be"),
        (lambda: replace(FACTS, earlier_claims_365d=-1), "cannot be negative"),
    ],
)
def test_bad_settings_and_facts_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# --- properties ------------------------------------------------------------------------------

policies = st.builds(
    RemedyPolicy,
    reship_goodwill_once=st.booleans(),
    prefer=st.sampled_from(["reship", "refund"]),
    voucher_percent=st.integers(0, 100),
    split_reship_cost_on_customer_address_error=st.booleans(),
    share_percent=st.integers(0, 100),
    insured_above_minor=st.none() | st.integers(0, 50_000),
    benefit_of_doubt_first_order=st.booleans(),
    benefit_of_doubt_loyal_orders=st.integers(0, 10),
    deny_after_claims=st.integers(0, 5),
    high_risk_score=st.integers(0, 100),
)
facts = st.builds(
    RemedyFacts,
    order_value_minor=st.integers(0, 100_000),
    currency=st.just("EUR"),
    already_reshipped=st.booleans(),
    earlier_claims_365d=st.integers(0, 6),
    customer_orders=st.integers(0, 20),
    first_order=st.booleans(),
    address_error_by_customer=st.booleans(),
    insured=st.booleans(),
    customer_choice=st.sampled_from([None, "reship", "refund"]),
)
scores = st.integers(0, 100).map(risk)
REMEDIES = {str(kind) for kind in RemedyKind} | {DENY, WAIT}


@given(policies, st.sampled_from(PLAYBOOKS), scores, facts)
def test_every_recommendation_is_offered_explained_and_consistent(policy, book, score, fact):
    result = recommend(policy=policy, playbook=book, risk=score, facts=fact)
    assert result.recommended in result.offered
    assert set(result.offered) <= REMEDIES
    assert result.offered[: len(OFFERED[book])] == OFFERED[book]
    assert result.reasons
    assert 0 <= result.cost_share_percent <= 100
    assert result.voucher_percent in (0, policy.voucher_percent)
    if result.recommended == DENY:
        assert book in ("B", "E")
        assert {"reship", "refund"} <= set(result.offered)
        assert result.voucher_percent == 0
        assert {reason.key for reason in result.reasons} <= {"repeated_claims", "high_risk"}
    if result.cost_share_percent:
        assert (book, result.recommended) == ("D", "reship")
    if book == "C" and fact.customer_choice:
        assert result.recommended == fact.customer_choice


@given(policies, st.sampled_from(["B", "E"]), scores, facts)
def test_benefit_of_doubt_is_never_a_deny(policy, book, score, fact):
    result = recommend(policy=policy, playbook=book, risk=score, facts=fact)
    first = policy.benefit_of_doubt_first_order and fact.first_order
    loyal = 0 < policy.benefit_of_doubt_loyal_orders <= fact.customer_orders
    if first or loyal:
        assert result.recommended != DENY
    if (
        score.band == RiskBand.HIGH
        and score.score >= policy.high_risk_score
        and not (first or loyal)
    ):
        assert result.recommended == DENY

"""A shop's remedy policy and the recommendation it gives for a case, with machine-keyed reasons.

Rules, tried top to bottom; the first that decides gives `recommended` (result) and
`reasons[0]`, the reasons after it add context (a suspicion that was overruled, insurance):

| # | book  | when                                     | result     | reason key                   |
|---|-------|------------------------------------------|------------|------------------------------|
| 1 | A     | always: the parcel still moves           | wait       | still_in_transit             |
| 2 | B E   | earlier_claims_365d >= deny_after_claims | deny       | repeated_claims              |
|   |       | or risk.score >= high_risk_score         | deny       | high_risk                    |
| 3 | B E   | as 2, but a first order                  | no deny    | benefit_of_doubt_first_order |
|   |       | as 2, but orders >= ..._loyal_orders     | no deny    | loyal_customer               |
| 4 | C     | the customer chose reship or refund      | the choice | customer_chose               |
| 5 | D     | customer's address error, split is on    | reship     | address_error_split_cost     |
| 6 | any   | the shop prefers refunds                 | refund     | shop_prefers_refund          |
| 7 | any   | reshipped already, goodwill is once      | refund     | already_reshipped            |
| 8 | B D   | otherwise, goodwill is once              | reship     | goodwill_reship_once         |
|   | any   | otherwise                                | reship     | shop_prefers_reship          |
| + | B C E | insured, or value > insured_above_minor  | as decided | insured_value                |

Deny is only ever recommended in B and E, where the customer's word is the evidence. In C and D
the carrier's own tracking shows the parcel never reached the customer, and the shop carries
the transit risk until delivery, so customer risk does not decide those cases. Insurance does
not overrule a deny: a claim that looks abusive is not filed. `deny` is an option in B and E
whatever is recommended; reship and refund stay on offer when deny is recommended.

`voucher_percent` is the apology voucher to add to the remedy: the policy's percentage, except
0 with a deny and with a split cost (the customer's own error). `reship_goodwill_once=False`
lifts the one-reship limit of rule 7.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .money import RemedyKind
from .risk import RiskScore

DENY = "deny"
"""The recommendation to refuse a remedy."""

WAIT = "wait"
"""The recommendation to follow a moving parcel until it is delivered (playbook A)."""

RESHIP, REFUND = str(RemedyKind.RESHIP), str(RemedyKind.REFUND)
CHOICES = frozenset({RESHIP, REFUND})


PLAYBOOKS = ("A", "B", "C", "D", "E")
"""The scenario letters of DESIGN.md section 2; `cases.Playbook` members compare equal."""

SCREENED = frozenset({"B", "E"})
"""Playbooks where claims and risk can lead to a deny."""

INSURABLE = frozenset({"B", "C", "E"})
"""Playbooks where the parcel is lost or damaged, so a carrier claim can cover it."""

GOODWILL = frozenset({"B", "D"})
"""Playbooks where a reship is goodwill rather than the shop's duty."""

OFFERED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "A": (WAIT,),
        "B": (RESHIP, REFUND, DENY),
        "C": (RESHIP, REFUND),
        "D": (RESHIP, REFUND),
        "E": (RESHIP, REFUND, str(RemedyKind.PARTIAL_REFUND), DENY),
    }
)
"""What an agent may pick in each playbook (A also offers a voucher when the policy has one)."""


@dataclass(frozen=True, slots=True)
class RemedyPolicy:
    """A shop's remedy settings; percentages are whole numbers, 0 switches a feature off."""

    reship_goodwill_once: bool = True
    prefer: str = RESHIP
    voucher_percent: int = 10
    split_reship_cost_on_customer_address_error: bool = True
    share_percent: int = 50
    insured_above_minor: int | None = None
    benefit_of_doubt_first_order: bool = True
    benefit_of_doubt_loyal_orders: int = 3
    deny_after_claims: int = 2
    high_risk_score: int = 70

    def __post_init__(self) -> None:
        if self.prefer not in CHOICES:
            raise ValueError(f"prefer must be 'reship' or 'refund', got {self.prefer!r}")
        for name in ("voucher_percent", "share_percent", "high_risk_score"):
            if not 0 <= getattr(self, name) <= 100:
                raise ValueError(f"{name} must be within 0..100, got {getattr(self, name)}")
        for name in ("benefit_of_doubt_loyal_orders", "deny_after_claims"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.insured_above_minor is not None and self.insured_above_minor < 0:
            raise ValueError("insured_above_minor cannot be negative")


@dataclass(frozen=True, slots=True)
class RemedyFacts:
    """What the case knows about the order and customer when a remedy is chosen."""

    order_value_minor: int
    currency: str
    already_reshipped: bool = False
    earlier_claims_365d: int = 0
    customer_orders: int = 0
    first_order: bool = False
    address_error_by_customer: bool = False
    insured: bool = False
    customer_choice: str | None = None

    def __post_init__(self) -> None:
        if self.customer_choice is not None and self.customer_choice not in CHOICES:
            choice = self.customer_choice
            raise ValueError(f"customer_choice must be 'reship' or 'refund', not {choice!r}")
        if min(self.order_value_minor, self.earlier_claims_365d, self.customer_orders) < 0:
            raise ValueError("order value, earlier claims and orders cannot be negative")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a remedy was recommended: a machine key the UI translates, and its numbers."""

    key: str
    detail: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The remedies on offer, the recommended one, why, and the customer's and voucher shares."""

    offered: tuple[str, ...]
    recommended: str
    reasons: tuple[Reason, ...]
    cost_share_percent: int = 0
    voucher_percent: int = 0


def _suspicions(policy: RemedyPolicy, risk: RiskScore, facts: RemedyFacts) -> list[Reason]:
    """The reasons to deny: too many recent claims, or a high risk score."""
    found = []
    limit = policy.deny_after_claims
    if limit and facts.earlier_claims_365d >= limit:
        found.append(
            Reason("repeated_claims", {"claims": facts.earlier_claims_365d, "limit": limit})
        )
    if risk.score >= policy.high_risk_score:
        found.append(
            Reason(
                "high_risk",
                {"score": risk.score, "band": str(risk.band), "limit": policy.high_risk_score},
            )
        )
    return found


def _benefit_of_doubt(policy: RemedyPolicy, facts: RemedyFacts) -> list[Reason]:
    """The reasons that overrule a deny: a first order, or a loyal customer."""
    found = []
    if policy.benefit_of_doubt_first_order and facts.first_order:
        found.append(Reason("benefit_of_doubt_first_order"))
    loyal = policy.benefit_of_doubt_loyal_orders
    if loyal and facts.customer_orders >= loyal:
        found.append(
            Reason("loyal_customer", {"orders": facts.customer_orders, "threshold": loyal})
        )
    return found


def _insured(policy: RemedyPolicy, facts: RemedyFacts) -> list[Reason]:
    """The insurance reason, when the shipment is insured or worth more than the threshold."""
    above = policy.insured_above_minor
    over = above is not None and facts.order_value_minor > above
    if not (facts.insured or over):
        return []
    detail = {
        "order_value_minor": facts.order_value_minor,
        "currency": facts.currency,
        "insured_above_minor": above,
    }
    return [Reason("insured_value", detail)]


def _remedy(book: str, policy: RemedyPolicy, facts: RemedyFacts) -> tuple[str, Reason, int]:
    """Rules 4 to 8: the remedy, the reason that decided it and the customer's cost share."""
    if book == "C" and facts.customer_choice:
        return facts.customer_choice, Reason("customer_chose", {"choice": facts.customer_choice}), 0
    split = policy.split_reship_cost_on_customer_address_error
    if book == "D" and facts.address_error_by_customer and split:
        share = policy.share_percent
        return RESHIP, Reason("address_error_split_cost", {"share_percent": share}), share
    if policy.prefer == REFUND:
        return REFUND, Reason("shop_prefers_refund"), 0
    if facts.already_reshipped and policy.reship_goodwill_once:
        return REFUND, Reason("already_reshipped"), 0
    if book in GOODWILL and policy.reship_goodwill_once:
        return RESHIP, Reason("goodwill_reship_once"), 0
    return RESHIP, Reason("shop_prefers_reship"), 0


def _playbook(playbook: str) -> str:
    """The playbook's letter as a plain string, refusing unknown ones."""
    if playbook not in PLAYBOOKS:
        raise ValueError(f"unknown playbook {playbook!r}, expected one of A, B, C, D, E")
    return str(playbook)


def recommend(
    *, policy: RemedyPolicy, playbook: str, risk: RiskScore, facts: RemedyFacts
) -> Recommendation:
    """Recommend a remedy for a case by the rules of the module docstring."""
    book = _playbook(playbook)
    if book == "A":
        voucher = policy.voucher_percent
        offered = (WAIT, str(RemedyKind.VOUCHER)) if voucher else (WAIT,)
        return Recommendation(offered, WAIT, (Reason("still_in_transit"),), 0, voucher)
    context: list[Reason] = []
    if book in SCREENED:
        suspicions = _suspicions(policy, risk, facts)
        doubt = _benefit_of_doubt(policy, facts) if suspicions else []
        if suspicions and not doubt:
            return Recommendation(OFFERED[book], DENY, tuple(suspicions), 0, 0)
        context += suspicions + doubt
    if book in INSURABLE:
        context += _insured(policy, facts)
    kind, decided, share = _remedy(book, policy, facts)
    voucher = 0 if share else policy.voucher_percent
    return Recommendation(OFFERED[book], kind, (decided, *context), share, voucher)

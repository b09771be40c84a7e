"""Whether a written message is still true when it is about to go out, as a table.

A message is planned from the facts of one moment and sent later (quiet hours, the daily cap, a
retry). Before it goes out, its reason is checked against the facts of the moment of sending:

| kind                               | true while                                                |
|------------------------------------|-----------------------------------------------------------|
| shipped                            | on its way: not delivered, returning, returned, cancelled |
| out_for_delivery                   | out for delivery, on the customer's day the message names |
| delayed_N                          | not delivered, and a delayed finding of level N or higher |
| failed_attempt                     | status failed_attempt                                     |
| awaiting_pickup, pickup_reminder   | waiting at the pickup point                               |
| likely_lost                        | a likely_lost finding, never delivered                    |
| delivered                          | the parcel was delivered                                  |
| returning / returned               | status returning / returned                               |
| not_shipped_merchant               | a not_shipped finding                                     |
| case_received                      | its case is not resolved or closed                        |
| case_request                       | its case is open and the step asked for is still open     |
| case_reply                         | its case exists                                           |
| case_resolved                      | its case is resolved or closed                            |
| assistant_reply                    | always: the answer the customer just asked for            |
| return_received                    | its return exists and was not rejected                    |
| return_approved                    | its return is approved (or further) and not rejected      |
| return_arrived                     | its return is received (or further) and not rejected      |
| return_rejected                    | its return is rejected                                    |
| return_refunded                    | the refund (credit, voucher) it names was paid or booked  |

A cancelled shipment makes every shipment message untrue (not case or return messages).
`why_untrue` names the failed reason.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from .notify_policy import MessageKind
from .vocabulary import FindingKind, ShipmentStatus

S = ShipmentStatus
F = FindingKind
K = MessageKind

NOT_UNDER_WAY = frozenset({S.DELIVERED, S.RETURNING, S.RETURNED, S.CANCELLED})
"""Statuses in which a parcel is no longer on its way to the customer."""

CASE_DONE = frozenset({"resolved", "closed"})
"""Case statuses after which the case says nothing more but that it is done."""


@dataclass(frozen=True)
class CaseFacts:
    """A case as the check reads it: its status and its checklist steps that are still open."""

    status: str
    open_steps: frozenset[str] = frozenset()


RETURN_REJECTED = "rejected"
RETURN_APPROVED = frozenset({"approved", "in_transit", "received", "inspected", "resolved"})
"""Return statuses that follow an approval and hold no rejection."""
RETURN_ARRIVED = frozenset({"received", "inspected", "resolved"})
"""Return statuses once the return parcel is back at the shop, without a rejection (a green
return is resolved without one, but never has a parcel to arrive, so never this message)."""
REFUND_DONE = frozenset({"paid", "recorded"})
"""Refund entry statuses after which the money is on its way: paid out, or booked as paid."""


@dataclass(frozen=True)
class ReturnFacts:
    """A return as the check reads it: its status and its refund entries with their status."""

    status: str
    refunds: tuple[tuple[str, str], ...] = ()
    """(ledger entry id as text, entry status) of the return's refunds, credit and vouchers."""

    def refund(self, entry: str) -> str:
        """The status of the refund entry `entry`; "gone" when the return has no such refund."""
        return dict(self.refunds).get(entry, "gone")


@dataclass(frozen=True)
class SendFacts:
    """One shipment at the moment of sending, and the customer's local date then."""

    status: ShipmentStatus
    delivered: bool
    findings: frozenset[tuple[FindingKind, int | None]]
    """Open findings as (kind, level); level is None for kinds without one."""
    local_date: date
    case: CaseFacts | None = None
    """The case a case message belongs to; None when it no longer exists (or for other kinds)."""
    ret: ReturnFacts | None = None
    """The return a return message belongs to; None when it no longer exists."""

    def has(self, kind: FindingKind, at_least: int | None = None) -> bool:
        """Whether an open finding of `kind` holds (of level `at_least` or higher if given)."""
        return any(
            k == kind and (at_least is None or (level or 0) >= at_least)
            for k, level in self.findings
        )


Check = Callable[[SendFacts, str], bool]


def _status(*statuses: ShipmentStatus) -> Check:
    return lambda facts, detail: facts.status in statuses


def _delayed(level: int) -> Check:
    def check(facts: SendFacts, detail: str) -> bool:
        under_way = facts.status not in NOT_UNDER_WAY and not facts.delivered
        return under_way and facts.has(F.DELAYED, level)

    return check


def _out_for_delivery(facts: SendFacts, detail: str) -> bool:
    return facts.status == S.OUT_FOR_DELIVERY and detail == facts.local_date.isoformat()


def _case_received(facts: SendFacts, detail: str) -> bool:
    return facts.case is not None and facts.case.status not in CASE_DONE


def _case_request(facts: SendFacts, detail: str) -> bool:
    case = facts.case
    return case is not None and case.status not in CASE_DONE and detail in case.open_steps


def _return_received(facts: SendFacts, detail: str) -> bool:
    return facts.ret is not None and facts.ret.status != RETURN_REJECTED


def _return_approved(facts: SendFacts, detail: str) -> bool:
    return facts.ret is not None and facts.ret.status in RETURN_APPROVED


def _return_arrived(facts: SendFacts, detail: str) -> bool:
    return facts.ret is not None and facts.ret.status in RETURN_ARRIVED


def _return_refunded(facts: SendFacts, detail: str) -> bool:
    return facts.ret is not None and facts.ret.refund(detail) in REFUND_DONE


TRUE_WHILE: Mapping[MessageKind, Check] = MappingProxyType(
    {
        K.SHIPPED: lambda facts, detail: facts.status not in NOT_UNDER_WAY and not facts.delivered,
        K.OUT_FOR_DELIVERY: _out_for_delivery,
        K.DELAYED_1: _delayed(1),
        K.DELAYED_2: _delayed(2),
        K.DELAYED_3: _delayed(3),
        K.FAILED_ATTEMPT: _status(S.FAILED_ATTEMPT),
        K.AWAITING_PICKUP: _status(S.AVAILABLE_FOR_PICKUP),
        K.PICKUP_REMINDER: _status(S.AVAILABLE_FOR_PICKUP),
        K.LIKELY_LOST: lambda facts, detail: facts.has(F.LIKELY_LOST) and not facts.delivered,
        K.DELIVERED: lambda facts, detail: facts.delivered or facts.status == S.DELIVERED,
        K.RETURNING: _status(S.RETURNING),
        K.RETURNED: _status(S.RETURNED),
        K.NOT_SHIPPED_MERCHANT: lambda facts, detail: facts.has(F.NOT_SHIPPED),
        K.AGENT_FOLLOWUP: lambda facts, detail: True,
        K.CASE_RECEIVED: _case_received,
        K.CASE_REQUEST: _case_request,
        K.CASE_REPLY: lambda facts, detail: facts.case is not None,
        K.CASE_RESOLVED: lambda facts, detail: (
            facts.case is not None and facts.case.status in CASE_DONE
        ),
        K.ASSISTANT_REPLY: lambda facts, detail: True,
        K.RETURN_RECEIVED: _return_received,
        K.RETURN_APPROVED: _return_approved,
        K.RETURN_ARRIVED: _return_arrived,
        K.RETURN_REJECTED: lambda facts, detail: (
            facts.ret is not None and facts.ret.status == RETURN_REJECTED
        ),
        K.RETURN_REFUNDED: _return_refunded,
    }
)
"""The table of the module docstring: kind -> check(facts, detail)."""

CASE_MESSAGES = frozenset({K.CASE_RECEIVED, K.CASE_REQUEST, K.CASE_REPLY, K.CASE_RESOLVED})
RETURN_MESSAGES = frozenset(
    {K.RETURN_RECEIVED, K.RETURN_APPROVED, K.RETURN_ARRIVED, K.RETURN_REJECTED, K.RETURN_REFUNDED}
)
DESK_MESSAGES = CASE_MESSAGES | RETURN_MESSAGES
"""Messages about a case or a return, not about the shipment: they hold on their own facts."""


def why_untrue(kind: MessageKind | str, detail: str, facts: SendFacts) -> str:
    """Empty when the message is still true; otherwise a short reason to record on its row."""
    kind = MessageKind(kind)
    if facts.status == S.CANCELLED and kind not in DESK_MESSAGES:
        return "shipment cancelled"
    if TRUE_WHILE[kind](facts, detail):
        return ""
    if kind in RETURN_MESSAGES:
        state = facts.ret.status if facts.ret is not None else "gone"
        if kind == K.RETURN_REFUNDED and facts.ret is not None:
            state = f"refund {facts.ret.refund(detail)}"
        return f"no longer true: return {state}"
    if kind in CASE_MESSAGES:
        state = facts.case.status if facts.case is not None else "gone"
        return f"no longer true: case {state}"
    return f"no longer true: shipment {facts.status}"

"""Customer message intents and the rule that says when an answer may go out unreviewed."""

from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    """What a customer's message asks for (the auto-responder's vocabulary)."""

    ORDER_STATUS = "order_status"
    NOT_RECEIVED = "not_received"
    RETURN_REQUEST = "return_request"
    REFUND_STATUS = "refund_status"
    DAMAGED_OR_WRONG_ITEM = "damaged_or_wrong_item"
    CHANGE_ADDRESS = "change_address"
    CANCEL_ORDER = "cancel_order"
    OTHER = "other"


DEFAULT_AUTO_SEND = frozenset(
    {Intent.ORDER_STATUS, Intent.NOT_RECEIVED, Intent.RETURN_REQUEST, Intent.CANCEL_ORDER}
)
"""Intents answered without an agent unless the shop says otherwise; the rest are drafts."""


@dataclass(frozen=True, kw_only=True)
class ReplyFacts:
    """What is known when deciding whether an answer may be sent without an agent."""

    intent: Intent
    confidence: float
    threshold: float
    verified: bool
    determined: bool
    """The answer follows from the facts alone (one order, known status, no open question)."""
    enabled: bool
    """The shop lets this intent be answered automatically."""
    human_asked: bool = False


def auto_send_reasons(facts: ReplyFacts) -> tuple[str, ...]:
    """Why an answer must wait for an agent; empty when it may be sent at once."""
    reasons = []
    if facts.intent == Intent.OTHER:
        reasons.append("intent_other")
    if facts.confidence < facts.threshold:
        reasons.append("low_confidence")
    if not facts.verified:
        reasons.append("sender_not_verified")
    if not facts.determined:
        reasons.append("not_determined")
    if not facts.enabled:
        reasons.append("intent_disabled")
    if facts.human_asked:
        reasons.append("human_asked")
    return tuple(reasons)

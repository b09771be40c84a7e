"""The shared vocabulary of DESIGN.md section 2: statuses, incident reasons and findings."""

from enum import StrEnum


class ShipmentStatus(StrEnum):
    """Where a shipment is, derived from its timeline."""

    PENDING = "pending"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNING = "returning"
    RETURNED = "returned"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class IncidentReason(StrEnum):
    """Why something went wrong, when the carrier says so."""

    ADDRESS_ISSUE = "address_issue"
    RECIPIENT_UNAVAILABLE = "recipient_unavailable"
    REFUSED = "refused"
    DAMAGED = "damaged"
    LOST = "lost"
    CUSTOMS_HOLD = "customs_hold"
    CARRIER_DELAY = "carrier_delay"
    WEATHER = "weather"
    ACCESS_PROBLEM = "access_problem"
    HELD_AT_DEPOT = "held_at_depot"
    MISSING_DOCUMENTS = "missing_documents"
    OTHER = "other"


class FindingKind(StrEnum):
    """What detection says about one shipment now."""

    NOT_SHIPPED = "not_shipped"
    DELAYED = "delayed"
    STALLED = "stalled"
    LIKELY_LOST = "likely_lost"
    FAILED_ATTEMPT = "failed_attempt"
    AWAITING_PICKUP = "awaiting_pickup"
    RETURNING_TO_SENDER = "returning_to_sender"
    RETURNED_TO_SENDER = "returned_to_sender"
    CARRIER_EXCEPTION = "carrier_exception"
    DELIVERED = "delivered"


FINAL_STATUSES = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED})
"""Statuses that an older event arriving late never undoes."""

TERMINAL_STATUSES = frozenset(
    {ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.CANCELLED}
)
"""Statuses after which no time-based rule fires any more."""

INFORMATIONAL_FINDINGS = frozenset({FindingKind.DELIVERED})
"""Findings that record a good outcome: shown as the shipment's status, never as a problem."""
PROBLEM_FINDINGS = frozenset(FindingKind) - INFORMATIONAL_FINDINGS
"""Findings that mean something needs attention."""

LANGUAGES = ("nl", "de", "en", "fr")
"""Customer-facing and agent UI languages."""

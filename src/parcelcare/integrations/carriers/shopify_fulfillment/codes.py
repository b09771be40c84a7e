"""Shopify fulfillment event statuses mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "Shopify fulfillment events"

# `status` of a FulfillmentEvent as the REST resource and its webhooks spell it (the GraphQL
# FulfillmentEventStatus enum in lower case). The last three exist only in Shopify's unstable
# API version so far; they are listed so they map the day they reach a stable version.
CODES: dict[str, tuple[S, R | None]] = {
    "label_purchased": (S.INFO_RECEIVED, None),
    "label_printed": (S.INFO_RECEIVED, None),
    # "The default value when no other information is available": the shop says it shipped.
    "confirmed": (S.INFO_RECEIVED, None),
    "carrier_picked_up": (S.IN_TRANSIT, None),
    "in_transit": (S.IN_TRANSIT, None),
    "delayed": (S.IN_TRANSIT, R.CARRIER_DELAY),
    "out_for_delivery": (S.OUT_FOR_DELIVERY, None),
    "attempted_delivery": (S.FAILED_ATTEMPT, None),
    "ready_for_pickup": (S.AVAILABLE_FOR_PICKUP, None),
    "delivered": (S.DELIVERED, None),
    # Collected by the customer (local pickup or a pickup point): the goods reached them.
    "picked_up": (S.DELIVERED, None),
    "failure": (S.EXCEPTION, None),
    "buyer_action_required": (S.EXCEPTION, R.OTHER),
    "ready_for_recipient_pickup": (S.AVAILABLE_FOR_PICKUP, None),
    "returning_to_sender": (S.RETURNING, None),
}

DESCRIPTIONS: dict[str, str] = {
    "label_purchased": "A shipping label has been purchased",
    "label_printed": "A purchased shipping label has been printed",
    "confirmed": "The fulfillment is confirmed",
    "carrier_picked_up": "Picked up by the carrier",
    "in_transit": "In transit",
    "delayed": "Delayed",
    "out_for_delivery": "Out for delivery",
    "attempted_delivery": "A delivery was attempted",
    "ready_for_pickup": "Ready to be picked up",
    "delivered": "Delivered",
    "picked_up": "Picked up by the customer",
    "failure": "The fulfillment failed",
    "buyer_action_required": "The buyer must act before delivery",
    "ready_for_recipient_pickup": "Ready for the recipient to pick up",
    "returning_to_sender": "Returning to the sender",
}

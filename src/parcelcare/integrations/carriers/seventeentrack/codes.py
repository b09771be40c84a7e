"""17TRACK sub-statuses and milestone stages mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "17TRACK"

# The 30 `sub_status` values of 17TRACK API v2.2 (help centre "Main status and sub-status"),
# without NotFound_Other and NotFound_InvalidCode: "no information" is not an event status.
# Below them the milestone `stage` keys, used as the code of an event that has a stage and no
# sub-status. "InfoReceived" is both a sub-status and a stage, with the same meaning.
CODES: dict[str, tuple[S, R | None]] = {
    "InfoReceived": (S.INFO_RECEIVED, None),
    "InTransit_PickedUp": (S.IN_TRANSIT, None),
    "InTransit_Other": (S.IN_TRANSIT, None),
    "InTransit_Departure": (S.IN_TRANSIT, None),
    "InTransit_Arrival": (S.IN_TRANSIT, None),
    "InTransit_CustomsProcessing": (S.IN_TRANSIT, None),
    "InTransit_CustomsReleased": (S.IN_TRANSIT, None),
    # 17TRACK files it under in transit, but clearance waits for the recipient to act.
    "InTransit_CustomsRequiringInformation": (S.EXCEPTION, R.MISSING_DOCUMENTS),
    "Expired_Other": (S.EXPIRED, None),
    "AvailableForPickup_Other": (S.AVAILABLE_FOR_PICKUP, None),
    "OutForDelivery_Other": (S.OUT_FOR_DELIVERY, None),
    "DeliveryFailure_Other": (S.FAILED_ATTEMPT, None),
    "DeliveryFailure_NoBody": (S.FAILED_ATTEMPT, R.RECIPIENT_UNAVAILABLE),
    # Security, customs clearance or fee problems at the door: too mixed for one reason.
    "DeliveryFailure_Security": (S.FAILED_ATTEMPT, R.OTHER),
    "DeliveryFailure_Rejected": (S.FAILED_ATTEMPT, R.REFUSED),
    "DeliveryFailure_InvalidAddress": (S.FAILED_ATTEMPT, R.ADDRESS_ISSUE),
    "Delivered_Other": (S.DELIVERED, None),
    "Exception_Other": (S.EXCEPTION, None),
    "Exception_Returning": (S.RETURNING, None),
    "Exception_Returned": (S.RETURNED, None),
    "Exception_NoBody": (S.EXCEPTION, R.RECIPIENT_UNAVAILABLE),
    "Exception_Security": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "Exception_Damage": (S.EXCEPTION, R.DAMAGED),
    "Exception_Rejected": (S.EXCEPTION, R.REFUSED),
    # A delay keeps the parcel moving; it is not a stop that needs someone to act.
    "Exception_Delayed": (S.IN_TRANSIT, R.CARRIER_DELAY),
    "Exception_Lost": (S.EXCEPTION, R.LOST),
    # Destroyed (usually by customs): for the customer the goods are gone, as with a loss.
    "Exception_Destroyed": (S.EXCEPTION, R.LOST),
    "Exception_Cancel": (S.CANCELLED, None),
    # Milestone stages.
    "PickedUp": (S.IN_TRANSIT, None),
    "Departure": (S.IN_TRANSIT, None),
    "Arrival": (S.IN_TRANSIT, None),
    "AvailableForPickup": (S.AVAILABLE_FOR_PICKUP, None),
    "OutForDelivery": (S.OUT_FOR_DELIVERY, None),
    "Delivered": (S.DELIVERED, None),
    "Returning": (S.RETURNING, None),
    "Returned": (S.RETURNED, None),
    # Main statuses, the code of a `latest_status` that has no sub-status. NotFound is left out
    # for the reason above; the others not listed here are already stage keys.
    "InTransit": (S.IN_TRANSIT, None),
    "DeliveryFailure": (S.FAILED_ATTEMPT, None),
    "Exception": (S.EXCEPTION, None),
    "Expired": (S.EXPIRED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "InfoReceived": "Carrier received the order information",
    "InTransit_PickedUp": "Collected from the sender",
    "InTransit_Other": "In transit",
    "InTransit_Departure": "Left the port of the origin country",
    "InTransit_Arrival": "Arrived at the port of the destination country",
    "InTransit_CustomsProcessing": "In customs clearance",
    "InTransit_CustomsReleased": "Customs clearance complete",
    "InTransit_CustomsRequiringInformation": "Customs clearance needs more information",
    "Expired_Other": "In transit for a long time without delivery",
    "AvailableForPickup_Other": "Available for pickup",
    "OutForDelivery_Other": "Out for delivery",
    "DeliveryFailure_Other": "Delivery failed",
    "DeliveryFailure_NoBody": "Delivery failed: recipient could not be reached",
    "DeliveryFailure_Security": "Delivery failed: security, customs or fee issue",
    "DeliveryFailure_Rejected": "Delivery failed: refused by the recipient",
    "DeliveryFailure_InvalidAddress": "Delivery failed: incorrect address",
    "Delivered_Other": "Delivered",
    "Exception_Other": "Exception",
    "Exception_Returning": "Returning to the sender",
    "Exception_Returned": "Returned to the sender",
    "Exception_NoBody": "Recipient could not be found",
    "Exception_Security": "Held for security or customs reasons",
    "Exception_Damage": "Damaged",
    "Exception_Rejected": "Refused by the recipient",
    "Exception_Delayed": "Delayed",
    "Exception_Lost": "Lost",
    "Exception_Destroyed": "Destroyed",
    "Exception_Cancel": "Cancelled",
    "PickedUp": "Picked up",
    "Departure": "Departed from the origin country",
    "Arrival": "Arrived in the destination country",
    "AvailableForPickup": "Available for pickup",
    "OutForDelivery": "Out for delivery",
    "Delivered": "Delivered",
    "Returning": "Returning to the sender",
    "Returned": "Returned to the sender",
    "InTransit": "In transit",
    "DeliveryFailure": "Delivery failed",
    "Exception": "Exception",
    "Expired": "In transit for a long time without delivery",
}

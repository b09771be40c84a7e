"""DPD parcel life cycle status names mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "DPD"

# `statusInfo/status` of DPD's ParcelLifeCycle tracking service: the mixed-case names are the
# DPD Benelux variant, the upper-case names the DPD Germany variant of the same service.
CODES: dict[str, tuple[S, R | None]] = {
    "SHIPMENT": (S.INFO_RECEIVED, None),
    "PickedUp": (S.IN_TRANSIT, None),
    "BetweenDepots": (S.IN_TRANSIT, None),
    "Depot": (S.IN_TRANSIT, None),
    # Back at the depot after a failed attempt: the attempt itself is its own DeliveryFailure
    # event, so this one must not count as a second attempt.
    "ReturningFromDelivery": (S.IN_TRANSIT, R.HELD_AT_DEPOT),
    "Courier": (S.OUT_FOR_DELIVERY, None),
    "DeliveryFailure": (S.FAILED_ATTEMPT, None),
    "ParcelShop": (S.AVAILABLE_FOR_PICKUP, None),
    "Delivered": (S.DELIVERED, None),
    "ACCEPTED": (S.IN_TRANSIT, None),
    "AT_SENDING_DEPOT": (S.IN_TRANSIT, None),
    "ON_THE_ROAD": (S.IN_TRANSIT, None),
    "AT_DELIVERY_DEPOT": (S.IN_TRANSIT, None),
    "DELIVERED": (S.DELIVERED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "SHIPMENT": "Your parcel data has been sent to DPD.",
    "PickedUp": "DPD has received your parcel.",
    "BetweenDepots": "The parcel is at the parcel dispatch centre.",
    "Depot": "At parcel delivery centre.",
    "ReturningFromDelivery": (
        "After an unsuccessful delivery attempt the parcel is back at the recipient depot."
    ),
    "Courier": "The parcel has left the parcel delivery centre and is on its way to the consignee.",
    "DeliveryFailure": "Unfortunately we have not been able to deliver your parcel.",
    "ParcelShop": "Delivered by driver to Pickup parcelshop.",
    "Delivered": "Your parcel has been delivered.",
    "ACCEPTED": "The parcel has been handed over to DPD.",
    "AT_SENDING_DEPOT": "The parcel is at the dispatch depot.",
    "ON_THE_ROAD": "The parcel is on its way to the delivery depot.",
    "AT_DELIVERY_DEPOT": "The parcel has arrived at the delivery depot.",
    "DELIVERED": "The parcel has been delivered.",
}

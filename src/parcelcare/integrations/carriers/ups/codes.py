"""UPS Track API activity status codes mapped to the shared status and reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "UPS"

# `activity[].status.code` of the UPS Track API v1: the commonly seen activity codes. UPS
# sends many more; until one is known precisely it is stored as an unknown code.
CODES: dict[str, tuple[S, R | None]] = {
    "MP": (S.INFO_RECEIVED, None),
    "OR": (S.IN_TRANSIT, None),
    "AR": (S.IN_TRANSIT, None),
    "DP": (S.IN_TRANSIT, None),
    # A customs release lets the parcel continue; the hold before it is its own event.
    "SR": (S.IN_TRANSIT, None),
    "OT": (S.OUT_FOR_DELIVERY, None),
    "FS": (S.DELIVERED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "MP": "Shipper created a label, UPS has not received the package yet.",
    "OR": "Origin Scan",
    "AR": "Arrived at Facility",
    "DP": "Departed from Facility",
    "SR": "Your package was released by the customs agency.",
    "OT": "Out For Delivery Today",
    "FS": "Delivered",
}

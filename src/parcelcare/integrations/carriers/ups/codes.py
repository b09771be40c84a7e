"""UPS Track API activity status codes mapped to the shared status and reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

from ..returns import return_codes, return_descriptions

NAME = "UPS"

# `activity[].status.code` of the UPS Track API v1: the commonly seen activity codes. UPS
# sends many more; until one is known precisely it is stored as an unknown code.
CODES: dict[str, tuple[S, R | None]] = {
    "MP": (S.INFO_RECEIVED, None),
    "OR": (S.IN_TRANSIT, None),
    "AR": (S.IN_TRANSIT, None),
    "DP": (S.IN_TRANSIT, None),
    "DS": (S.IN_TRANSIT, None),
    "YP": (S.IN_TRANSIT, None),
    "IP": (S.IN_TRANSIT, None),
    # A customs release lets the parcel continue; the hold before it is its own event.
    "SR": (S.IN_TRANSIT, None),
    "OF": (S.OUT_FOR_DELIVERY, None),
    "OT": (S.OUT_FOR_DELIVERY, None),
    "ZP": (S.AVAILABLE_FOR_PICKUP, None),
    "FS": (S.DELIVERED, None),
    "KB": (S.DELIVERED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "MP": "Shipper created a label, UPS has not received the package yet.",
    "OR": "Origin Scan",
    "AR": "Arrived at Facility",
    "DP": "Departed from Facility",
    "DS": "Processing at UPS Facility",
    "YP": "Processing at UPS Facility",
    "IP": "Import Scan",
    "SR": "Your package was released by the customs agency.",
    "OF": "Loaded on Delivery Vehicle",
    "OT": "Out For Delivery Today",
    "ZP": "UPS Access Point possession",
    "FS": "Delivered",
    "KB": "Delivered, signature obtained",
}

# `activity[].status.type`, the documented status types of the Track API: the fallback for an
# activity code the table above does not know, so a delivery under a new code still counts.
STATUS_TYPES: dict[str, tuple[S, R | None]] = {
    "M": (S.INFO_RECEIVED, None),  # billing information (the label) received
    "MV": (S.CANCELLED, None),  # billing information voided
    "P": (S.IN_TRANSIT, None),  # picked up: UPS has the package
    "I": (S.IN_TRANSIT, None),
    "W": (S.IN_TRANSIT, None),  # warehousing
    "DO": (S.IN_TRANSIT, None),  # delivered to the origin freight station
    "DD": (S.IN_TRANSIT, None),  # delivered to the destination freight station
    "O": (S.OUT_FOR_DELIVERY, None),
    "D": (S.DELIVERED, None),
    "X": (S.EXCEPTION, None),
    "RS": (S.RETURNING, None),  # on its way back to the shipper
}
"""`NA` (not available) and anything else leave an unknown code unknown."""

# An activity whose status type is RS (returned to shipper) is on a return leg: ups/parse.py
# then adds RETURN_SUFFIX to the code.
CODES.update(return_codes(CODES))
DESCRIPTIONS.update(return_descriptions(DESCRIPTIONS, "Returned to shipper: "))

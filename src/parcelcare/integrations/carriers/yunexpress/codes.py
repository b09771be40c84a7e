"""YunExpress tracking status codes mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "YunExpress"

# `TrackingStatus` of the YunExpress OMS tracking API (GetTrackInfo / GetTrackAllInfo).
# 0 (not found) and 80 (unknown) are left out on purpose: they carry no status.
# 90 "returned" covers the whole way back, so it maps to returning, never to a final state.
CODES: dict[str, tuple[S, R | None]] = {
    "10": (S.INFO_RECEIVED, None),
    "20": (S.IN_TRANSIT, None),
    "30": (S.AVAILABLE_FOR_PICKUP, None),
    "40": (S.FAILED_ATTEMPT, None),
    "50": (S.DELIVERED, None),
    "60": (S.EXCEPTION, None),
    "90": (S.RETURNING, None),
    "100": (S.CANCELLED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "10": "Shipment information received",
    "20": "In transit",
    "30": "Arrived at pickup point, ready for collection",
    "40": "Delivery attempt failed",
    "50": "Delivered",
    "60": "Shipment exception, please contact customer service",
    "90": "Returned to sender",
    "100": "Shipment cancelled",
}

"""GLS track and trace event codes and parcel states mapped to status and reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "GLS"

# GLS Group track and trace API: dotted event codes (spelled "INTIAL" by GLS itself) and the
# parcel-level `status` values, which GLS also reports on events of some parcels.
# FINAL only says the parcel's history is closed, so it is left out on purpose.
CODES: dict[str, tuple[S, R | None]] = {
    "INTIAL.PREADVICE": (S.INFO_RECEIVED, None),
    "INTIAL.NORMAL": (S.IN_TRANSIT, None),
    "PLANNEDPICKUP": (S.INFO_RECEIVED, None),
    "PREADVICE": (S.INFO_RECEIVED, None),
    "INPICKUP": (S.IN_TRANSIT, None),
    "INTRANSIT": (S.IN_TRANSIT, None),
    "INWAREHOUSE": (S.IN_TRANSIT, None),
    "INDELIVERY": (S.OUT_FOR_DELIVERY, None),
    "NOTDELIVERED": (S.FAILED_ATTEMPT, None),
    "DELIVEREDPS": (S.AVAILABLE_FOR_PICKUP, None),
    "DELIVERED": (S.DELIVERED, None),
    "CANCELED": (S.CANCELLED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "INTIAL.PREADVICE": "The parcel data was entered into the GLS IT system.",
    "INTIAL.NORMAL": "The parcel was handed over to GLS.",
    "PLANNEDPICKUP": "The parcel is scheduled to be picked up by GLS.",
    "PREADVICE": "The parcel data was entered into the GLS IT system.",
    "INPICKUP": "The parcel has been picked up by GLS.",
    "INTRANSIT": "The parcel has left the parcel center.",
    "INWAREHOUSE": "The parcel has reached the parcel center.",
    "INDELIVERY": "The parcel is expected to be delivered during the day.",
    "NOTDELIVERED": "The parcel could not be delivered.",
    "DELIVEREDPS": "The parcel has been delivered at the GLS ParcelShop.",
    "DELIVERED": "The parcel has been delivered.",
    "CANCELED": "The parcel has been cancelled.",
}

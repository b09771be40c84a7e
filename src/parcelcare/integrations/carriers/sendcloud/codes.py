"""Sendcloud parcel status ids mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "Sendcloud"

# `parcel.status.id` as a string (Sendcloud's GET /parcels/statuses list). Left out on
# purpose, so they are stored and counted as unknown: 1337 "Unknown status", and 94, 1999
# and 2001, which report a cancellation being asked for or failing, not a parcel's state.
# Problems before the carrier has the parcel keep info_received: an exception would count as
# the carrier's first scan and hide a parcel that was never handed over.
CODES: dict[str, tuple[S, R | None]] = {
    "999": (S.PENDING, None),
    "1000": (S.INFO_RECEIVED, None),
    "1001": (S.INFO_RECEIVED, None),
    "1": (S.INFO_RECEIVED, None),
    "13": (S.INFO_RECEIVED, None),
    "1002": (S.INFO_RECEIVED, R.OTHER),
    "15": (S.INFO_RECEIVED, R.CARRIER_DELAY),
    "22": (S.IN_TRANSIT, None),
    "3": (S.IN_TRANSIT, None),
    "5": (S.IN_TRANSIT, None),
    "7": (S.IN_TRANSIT, None),
    "91": (S.IN_TRANSIT, None),
    "62989": (S.IN_TRANSIT, None),
    "62990": (S.IN_TRANSIT, None),
    "62993": (S.IN_TRANSIT, None),
    "62994": (S.IN_TRANSIT, None),
    "62995": (S.IN_TRANSIT, None),
    "4": (S.IN_TRANSIT, R.CARRIER_DELAY),
    "6": (S.IN_TRANSIT, R.CARRIER_DELAY),
    "92": (S.OUT_FOR_DELIVERY, None),
    "8": (S.FAILED_ATTEMPT, None),
    "12": (S.AVAILABLE_FOR_PICKUP, None),
    "11": (S.DELIVERED, None),
    "93": (S.DELIVERED, None),
    "80": (S.EXCEPTION, None),
    "62996": (S.EXCEPTION, None),
    "62991": (S.EXCEPTION, R.REFUSED),
    "62997": (S.EXCEPTION, R.ADDRESS_ISSUE),
    # Sendcloud has no later "back at the sender" status, and the name does not say whether
    # the parcel has arrived: it is read as still on its way back, never as a final state.
    "62992": (S.RETURNING, None),
    "1998": (S.CANCELLED, None),
    "2000": (S.CANCELLED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "999": "No label",
    "1000": "Ready to send",
    "1001": "Being announced",
    "1": "Announced",
    "13": "Announced: not collected",
    "1002": "Announcement failed",
    "15": "Error collecting",
    "22": "Shipment picked up by driver",
    "3": "En route to sorting center",
    "5": "Sorted",
    "7": "Being sorted",
    "91": "Parcel en route",
    "62989": "At customs",
    "62990": "At sorting centre",
    "62993": "Delivery method changed",
    "62994": "Delivery date changed",
    "62995": "Delivery address changed",
    "4": "Delivery delayed",
    "6": "Not sorted",
    "92": "Driver en route",
    "8": "Delivery attempt failed",
    "12": "Awaiting customer pickup",
    "11": "Delivered",
    "93": "Shipment collected by customer",
    "80": "Unable to deliver",
    "62996": "Exception (lost, damaged, destroyed or another unusual case)",
    "62991": "Refused by recipient",
    "62997": "Address invalid",
    "62992": "Returned to sender",
    "1998": "Cancelled upstream",
    "2000": "Cancelled",
}

"""Cainiao global logistics action codes mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "Cainiao"

# `actionCode` of Cainiao's global tracking (the AliExpress logistics tracking API reference).
# Generic codes such as GTMS_OTHER or COMMON_INTRANSIT are left out on purpose: Cainiao also
# stamps them on pre-shipment notices, so they say nothing reliable about the parcel.
CODES: dict[str, tuple[S, R | None]] = {
    "CONSIGN": (S.INFO_RECEIVED, None),
    "GWMS_ACCEPT": (S.INFO_RECEIVED, None),
    "PU_PICKUP_SUCCESS": (S.IN_TRANSIT, None),
    "GWMS_OUTBOUND": (S.IN_TRANSIT, None),
    "SC_INBOUND_SUCCESS": (S.IN_TRANSIT, None),
    "SC_OUTBOUND_SUCCESS": (S.IN_TRANSIT, None),
    "CC_EX_START": (S.IN_TRANSIT, None),
    "CC_EX_SUCCESS": (S.IN_TRANSIT, None),
    "LH_HO_IN_SUCCESS": (S.IN_TRANSIT, None),
    "LH_HO_AIRLINE": (S.IN_TRANSIT, None),
    "LH_DEPART": (S.IN_TRANSIT, None),
    "LH_ARRIVE": (S.IN_TRANSIT, None),
    "CC_IM_START": (S.IN_TRANSIT, None),
    "CC_IM_SUCCESS": (S.IN_TRANSIT, None),
    "CC_IM_FAILURE": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "CUS_TAX": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "GTMS_ACCEPT": (S.IN_TRANSIT, None),
    "GTMS_SC_ARRIVE": (S.IN_TRANSIT, None),
    "GTMS_DO_ARRIVE": (S.IN_TRANSIT, None),
    "GTMS_DO_DEPART": (S.OUT_FOR_DELIVERY, None),
    "GTMS_DELIVERING": (S.OUT_FOR_DELIVERY, None),
    "GTMS_DEL_FAILURE": (S.FAILED_ATTEMPT, None),
    # Signed in by the pickup station, not by the customer: still waiting to be collected.
    "GTMS_STA_SIGNED": (S.AVAILABLE_FOR_PICKUP, None),
    "GTMS_WAIT_SELF_PICK": (S.AVAILABLE_FOR_PICKUP, None),
    "GTMS_SIGNED": (S.DELIVERED, None),
    "RT_WH_INBOUND": (S.RETURNING, None),
    "RETURNED": (S.RETURNED, None),
    "GWMS_CANCEL": (S.CANCELLED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "CONSIGN": "Seller has shipped your package",
    "GWMS_ACCEPT": "Order received by the warehouse",
    "PU_PICKUP_SUCCESS": "Package picked up from the seller",
    "GWMS_OUTBOUND": "Package left the warehouse",
    "SC_INBOUND_SUCCESS": "Arrived at sorting center",
    "SC_OUTBOUND_SUCCESS": "Departed from sorting center",
    "CC_EX_START": "Export customs clearance started",
    "CC_EX_SUCCESS": "Export customs clearance complete",
    "LH_HO_IN_SUCCESS": "Received by line-haul carrier",
    "LH_HO_AIRLINE": "Handed over to airline",
    "LH_DEPART": "Departed from departure country/region",
    "LH_ARRIVE": "Arrived at destination country/region",
    "CC_IM_START": "Import customs clearance started",
    "CC_IM_SUCCESS": "Import customs clearance complete",
    "CC_IM_FAILURE": "Import customs clearance delayed, awaiting further inspection",
    "CUS_TAX": "Import duties assessed, awaiting payment",
    "GTMS_ACCEPT": "Received by local delivery company",
    "GTMS_SC_ARRIVE": "Arrived at local sorting center",
    "GTMS_DO_ARRIVE": "Arrived at delivery station",
    "GTMS_DO_DEPART": "Out for delivery",
    "GTMS_DELIVERING": "Out for delivery",
    "GTMS_DEL_FAILURE": "Delivery attempt failed",
    "GTMS_STA_SIGNED": "Arrived at pickup point",
    "GTMS_WAIT_SELF_PICK": "Awaiting collection at pickup point",
    "GTMS_SIGNED": "Delivered",
    "RT_WH_INBOUND": "Returned package received at return warehouse",
    "RETURNED": "Returned to seller",
    "GWMS_CANCEL": "Order cancelled",
}

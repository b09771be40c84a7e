"""`<code>/return` entries of a code table: the same scans made on the way back to the sender."""

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

RETURN_SUFFIX = "/return"
"""Ends the code of an event on the way back to the sender."""

Entry = tuple[ShipmentStatus, IncidentReason | None]


def return_leg(status: ShipmentStatus) -> ShipmentStatus:
    """The status a scan has when the parcel travels back to the sender."""
    # Back at the sender is "returned"; a problem stays a problem whichever way the parcel goes.
    if status == ShipmentStatus.DELIVERED:
        return ShipmentStatus.RETURNED
    return status if status == ShipmentStatus.EXCEPTION else ShipmentStatus.RETURNING


def return_codes(codes: dict[str, Entry]) -> dict[str, Entry]:
    """A `<code>/return` entry for every code: its return-leg status, the same reason."""
    return {
        f"{code}{RETURN_SUFFIX}": (return_leg(status), reason)
        for code, (status, reason) in codes.items()
    }


def return_descriptions(descriptions: dict[str, str], prefix: str) -> dict[str, str]:
    """A `<code>/return` description for every code: `prefix`, then the outbound text."""
    return {f"{code}{RETURN_SUFFIX}": f"{prefix}{text}" for code, text in descriptions.items()}

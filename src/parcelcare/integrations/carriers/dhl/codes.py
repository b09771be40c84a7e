"""DHL Parcel DE and DHL Shipment Tracking (Unified) codes mapped to status and reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

from ..returns import return_codes, return_descriptions

NAME = "DHL"

# Three families of codes, which never collide, so one table serves every DHL source:
# - two-letter `standard-event-code` of a Parcel DE piece event (d-get-piece-detail);
# - five-letter ICE event code, sent beside it on the same piece event;
# - lower-case `statusCode` of the Shipment Tracking - Unified API.
# Parcel DE events carry both a standard code and an ICE code: the standard code is the more
# precise one (PO marks the delivery van, where the ICE code only says "sorted"), the ICE code
# covers the exceptions. The reason behind a failed attempt travels in a separate RIC code, so
# NTDEL carries none here. Unified's "unknown" is left out on purpose: it says nothing.
# The Unified API repeats the standard code of a parcel-de event in `status` (DHL changelog of
# April 2024); DHL's parcel-de status list adds VA, NB, LA, ZF and ZN to the codes below.
CODES: dict[str, tuple[S, R | None]] = {
    # Parcel DE standard event codes.
    "VA": (S.INFO_RECEIVED, None),
    "ES": (S.IN_TRANSIT, None),
    "AE": (S.IN_TRANSIT, None),
    "AA": (S.IN_TRANSIT, None),
    "EE": (S.IN_TRANSIT, None),
    "NB": (S.IN_TRANSIT, None),
    "PO": (S.OUT_FOR_DELIVERY, None),
    "ZN": (S.FAILED_ATTEMPT, None),
    # LA also covers a hold the recipient asked for, which still waits for them.
    "LA": (S.AVAILABLE_FOR_PICKUP, None),
    "ZF": (S.AVAILABLE_FOR_PICKUP, None),
    "ZU": (S.DELIVERED, None),
    # Parcel DE ICE event codes.
    "PARCV": (S.INFO_RECEIVED, None),
    "SHRCU": (S.IN_TRANSIT, None),
    "PCKDU": (S.IN_TRANSIT, None),
    "LDTMV": (S.IN_TRANSIT, None),
    "ULFMV": (S.IN_TRANSIT, None),
    "SRTED": (S.IN_TRANSIT, None),
    "NTDEL": (S.FAILED_ATTEMPT, None),
    "HLDCC": (S.AVAILABLE_FOR_PICKUP, None),
    "CNRFC": (S.AVAILABLE_FOR_PICKUP, None),
    "DLVRD": (S.DELIVERED, None),
    "RETRN": (S.RETURNING, None),
    # Disposed of: DHL files it under the standard code ZU, which must not read as delivered.
    "DSPSD": (S.EXCEPTION, R.OTHER),
    # Shipment Tracking - Unified status codes.
    "pre-transit": (S.INFO_RECEIVED, None),
    "transit": (S.IN_TRANSIT, None),
    "delivered": (S.DELIVERED, None),
    "failure": (S.EXCEPTION, None),
}

# Parcel DE marks a return leg with `ruecksendung`, Unified with `returnFlag`: dhl/parse.py
# then adds RETURN_SUFFIX to the code.
CODES.update(return_codes(CODES))

DESCRIPTIONS: dict[str, str] = {
    "VA": "Die Sendungsdaten wurden elektronisch an DHL übermittelt.",
    "NB": "Die Sendung wird im Paketzentrum bearbeitet.",
    "ZN": "Die Sendung konnte nicht zugestellt werden.",
    "LA": "Die Sendung wird gelagert und wartet auf Abholung durch den Empfänger.",
    "ZF": "Die Sendung liegt in einer Filiale, Agentur oder Packstation zur Abholung bereit.",
    "DSPSD": "Die Sendung wurde vernichtet.",
    "ES": "Die Sendung wurde vom Absender in der Filiale eingeliefert.",
    "AE": "Die Sendung wurde abgeholt.",
    "AA": "Die Sendung wurde im Start-Paketzentrum bearbeitet.",
    "EE": "Die Sendung wurde im Ziel-Paketzentrum bearbeitet.",
    "PO": "Die Sendung wurde in das Zustellfahrzeug geladen.",
    "ZU": "Die Sendung wurde erfolgreich zugestellt.",
    "PARCV": (
        "Die Auftragsdaten zu dieser Sendung wurden vom Absender elektronisch an DHL übermittelt."
    ),
    "SHRCU": "Die Sendung wurde von DHL übernommen.",
    "PCKDU": "Die Sendung wurde beim Absender abgeholt.",
    "LDTMV": "Die Sendung wurde für den Weitertransport verladen.",
    "ULFMV": "Die Sendung ist im Paketzentrum eingetroffen.",
    "SRTED": "Die Sendung wurde sortiert.",
    "NTDEL": (
        "Der Empfänger wurde nicht angetroffen. "
        "Die Sendung wird am nächsten Werktag erneut zugestellt."
    ),
    "HLDCC": "Die Sendung liegt in der Filiale zur Abholung bereit.",
    "CNRFC": (
        "Der Empfänger wurde benachrichtigt. Die Sendung liegt in der Filiale zur Abholung bereit."
    ),
    "DLVRD": "Die Sendung wurde zugestellt.",
    "RETRN": "Die Sendung wird an den Absender zurückgesendet.",
    "pre-transit": "Die Sendungsdaten wurden an DHL übermittelt.",
    "transit": "Die Sendung ist unterwegs.",
    "delivered": "Die Sendung wurde zugestellt.",
    "failure": "Bei der Beförderung der Sendung ist ein Problem aufgetreten.",
}
DESCRIPTIONS.update(return_descriptions(DESCRIPTIONS, "Rücksendung: "))

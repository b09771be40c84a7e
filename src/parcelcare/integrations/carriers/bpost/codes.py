"""bpost item tracking state codes mapped to the shared status and incident reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "bpost"

# `stateInfo/stateCode` of bpost's item tracking API. The grouping follows bpost's state
# families (T sorted, L on the round, U delivered, B problems at delivery, N/R pickup point) as
# public bpost integrations read them; the Dutch descriptions paraphrase each state.
CODES: dict[str, tuple[S, R | None]] = {
    "T00": (S.IN_TRANSIT, None),
    "L00": (S.OUT_FOR_DELIVERY, None),
    "B04": (S.FAILED_ATTEMPT, R.RECIPIENT_UNAVAILABLE),
    "B06": (S.FAILED_ATTEMPT, R.ADDRESS_ISSUE),
    "B07": (S.FAILED_ATTEMPT, R.ADDRESS_ISSUE),
    "B09": (S.FAILED_ATTEMPT, R.ADDRESS_ISSUE),
    "B10": (S.FAILED_ATTEMPT, R.ADDRESS_ISSUE),
    "B03": (S.EXCEPTION, R.REFUSED),
    "B23": (S.EXCEPTION, R.REFUSED),
    "B05": (S.EXCEPTION, R.DAMAGED),
    "B08": (S.EXCEPTION, R.DAMAGED),
    "B00": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "B01": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "B02": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "N74": (S.AVAILABLE_FOR_PICKUP, None),
    "R13": (S.AVAILABLE_FOR_PICKUP, None),
    "U00": (S.DELIVERED, None),
    "U01": (S.DELIVERED, None),
    "U02": (S.DELIVERED, None),
    "U03": (S.DELIVERED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "T00": "Je zending werd gesorteerd in ons sorteercentrum.",
    "L00": "Je zending is onderweg naar het leveringsadres.",
    "B04": "De bestemmeling was afwezig. We hebben een bericht van aanmelding achtergelaten.",
    "B06": "Je zending kon niet geleverd worden: het adres is onvolledig.",
    "B07": "Je zending kon niet geleverd worden: het adres bestaat niet.",
    "B09": "Je zending kon niet geleverd worden: de bestemmeling is onbekend op dit adres.",
    "B10": "Je zending kon niet geleverd worden: het adres is onjuist.",
    "B03": "De bestemmeling heeft de zending geweigerd.",
    "B23": "De zending werd geweigerd bij levering.",
    "B05": "Je zending werd beschadigd.",
    "B08": "Je zending werd beschadigd aangetroffen tijdens de sortering.",
    "B00": "Je zending wordt tegengehouden door de douane.",
    "B01": "Je zending is in behandeling bij de douane.",
    "B02": "Je zending wacht op inklaring bij de douane.",
    "N74": "Je zending ligt klaar in het afhaalpunt.",
    "R13": "Je zending ligt klaar in het postkantoor.",
    "U00": "Je zending werd geleverd.",
    "U01": "Je zending werd geleverd.",
    "U02": "Je zending werd afgeleverd.",
    "U03": "Je zending werd afgeleverd op het adres van de bestemmeling.",
}

"""La Poste / Colissimo Suivi v2 event codes mapped to the shared status and reason."""

from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S

NAME = "Colissimo"

# `shipment.event[].code` of La Poste's Suivi v2 API, the complete published list. The codes are
# coarse: why a parcel could not be delivered (absent, address, refusal) is only in the label,
# so ND1, PB1 and RE1 carry no reason rather than a guessed one.
CODES: dict[str, tuple[S, R | None]] = {
    "DR1": (S.INFO_RECEIVED, None),
    "PC1": (S.IN_TRANSIT, None),
    "PC2": (S.IN_TRANSIT, None),
    "ET1": (S.IN_TRANSIT, None),
    "ET2": (S.IN_TRANSIT, None),
    "ET3": (S.IN_TRANSIT, None),
    "ET4": (S.IN_TRANSIT, None),
    "EP1": (S.IN_TRANSIT, None),
    "DO1": (S.IN_TRANSIT, None),
    "DO2": (S.IN_TRANSIT, None),
    "DO3": (S.EXCEPTION, R.CUSTOMS_HOLD),
    "PB1": (S.EXCEPTION, None),
    "PB2": (S.IN_TRANSIT, None),
    "MD2": (S.OUT_FOR_DELIVERY, None),
    "ND1": (S.FAILED_ATTEMPT, None),
    "AG1": (S.AVAILABLE_FOR_PICKUP, None),
    "RE1": (S.RETURNING, None),
    "DI1": (S.DELIVERED, None),
    "DI2": (S.RETURNED, None),
}

DESCRIPTIONS: dict[str, str] = {
    "DR1": (
        "Votre Colissimo va bientôt nous être confié ! "
        "Il est en cours de préparation chez votre expéditeur."
    ),
    "PC1": "Votre colis a été déposé dans un point postal.",
    "PC2": "Votre colis a été pris en charge dans le pays d'expédition.",
    "ET1": "Votre colis est en transit sur nos plateformes logistiques.",
    "ET2": (
        "Votre colis est prêt à partir de son territoire d'expédition. "
        "Il va être remis au transporteur pour son acheminement."
    ),
    "ET3": "Votre colis est arrivé dans le pays du destinataire.",
    "ET4": "Votre colis est en transit dans un pays intermédiaire.",
    "EP1": "Votre colis est en attente de présentation au destinataire.",
    "DO1": "Votre colis est entré en douane.",
    "DO2": "Votre colis est sorti de douane.",
    "DO3": "Votre colis est retenu en douane.",
    "PB1": "Votre colis rencontre un problème. Nous mettons tout en œuvre pour le résoudre.",
    "PB2": "Le problème rencontré par votre colis est résolu. Il poursuit son acheminement.",
    "MD2": (
        "Votre colis est dans le site de livraison qui dessert votre adresse. "
        "Nous le préparons pour le mettre en livraison."
    ),
    "ND1": "Votre colis n'a pas pu être livré.",
    "AG1": "Votre colis est disponible dans votre point de retrait.",
    "RE1": "Votre colis est retourné à l'expéditeur.",
    "DI1": "Votre colis est livré.",
    "DI2": "Votre colis a été livré à l'expéditeur.",
}

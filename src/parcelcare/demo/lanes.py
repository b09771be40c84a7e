"""The demo shop's shipping lanes and, per carrier, which raw code tells each journey step."""

from dataclasses import dataclass, field
from enum import StrEnum


class Step(StrEnum):
    """A moment in a parcel's journey, before it is told in a carrier's own codes."""

    INFO = "info"
    ACCEPTED = "accepted"
    HUB = "hub"
    TRANSIT = "transit"
    EXPORT = "export"
    DEPART = "depart"
    ARRIVE = "arrive"
    IMPORT_DONE = "import_done"
    LAST_MILE = "last_mile"
    DEST_HUB = "dest_hub"
    DELAY = "delay"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    NEIGHBOUR = "neighbour"
    MAILBOX = "mailbox"
    NOT_HOME = "not_home"
    NOT_HOME_TO_POINT = "not_home_to_point"
    PICKUP_READY = "pickup_ready"
    ADDRESS = "address"
    RETURN_ADDRESS = "return_address"
    REFUSED = "refused"
    RETURNING = "returning"
    RETURNED = "returned"
    CUSTOMS_HOLD = "customs_hold"
    DAMAGED = "damaged"
    UNKNOWN = "unknown"


# A step is told by a raw code, optionally with the carrier's wording for that variant
# (carriers reuse one code for "delivered" and "delivered to a neighbour").
Told = tuple[str, str | None]

SHOP_CITY = "Waalwijk"
"""Where the demo shop's warehouse hands its parcels to the carriers."""

ORIGIN_STEPS = frozenset({Step.INFO, Step.ACCEPTED, Step.EXPORT, Step.DEPART})
"""Steps that happen where the parcel starts, in the origin's time zone."""


@dataclass(frozen=True)
class Route:
    """How one carrier tells a journey: its codes per step and where its scans happen."""

    carrier: str
    steps: dict[Step, Told]
    hubs: tuple[str, ...]
    transit_hubs: tuple[str, ...] = ()
    origin_city: tuple[str, ...] = (SHOP_CITY,)
    origin_tz: str = "Europe/Amsterdam"
    gateway: tuple[str, ...] = ()
    from_china: bool = False

    def told(self, step: Step) -> Told | None:
        """The code (and wording) for a step, or None when this carrier never reports it."""
        return self.steps.get(step)


@dataclass(frozen=True)
class Lane:
    """Where orders go, with which carriers, how often and how fast."""

    key: str
    share: int
    routes: tuple[str, ...]
    countries: tuple[tuple[str, int], ...]
    transit_days: tuple[int, int]
    extra_weights: dict[str, int] = field(default_factory=dict)


def _plain(table: str) -> dict[Step, Told]:
    """Steps told by a code in the carrier's default wording, from "step=CODE" pairs."""
    pairs = (item.split("=") for item in table.split())
    return {Step(step): (code, None) for step, code in pairs}


POSTNL = Route(
    carrier="postnl",
    steps=_plain(
        "info=A01 accepted=B01 hub=J06 transit=J06 dest_hub=J01 delay=J09 out_for_delivery=J05 "
        "delivered=I01 neighbour=I10 mailbox=I05 not_home=Y10 not_home_to_point=K71 "
        "pickup_ready=J02 address=Y01 return_address=H02 refused=H01 returning=H20 "
        "returned=J63 customs_hold=Y25 damaged=Y04"
    )
    | {Step.UNKNOWN: ("A19", "Verwachte bezorgtijd is gewijzigd")},
    hubs=("Nieuwegein", "Den Bosch", "Zaandam", "Waddinxveen", "Amsterdam", "Heerenveen"),
)

BPOST = Route(
    carrier="bpost",
    steps=_plain(
        "hub=T00 transit=T00 out_for_delivery=L00 delivered=U01 not_home=B04 pickup_ready=N74 "
        "address=B06 refused=B03 customs_hold=B00 damaged=B05"
    ),
    hubs=("Brussel", "Antwerpen", "Gent", "Charleroi"),
)

DHL = Route(
    carrier="dhl",
    steps={
        **_plain(
            "info=PARCV accepted=AE hub=AA transit=LDTMV dest_hub=EE out_for_delivery=PO "
            "delivered=ZU not_home=NTDEL pickup_ready=HLDCC returning=RETRN"
        ),
        Step.UNKNOWN: ("unknown", "Zu dieser Sendung liegt derzeit kein Status vor."),
        Step.NEIGHBOUR: ("ZU", "Die Sendung wurde erfolgreich an einen Nachbarn zugestellt."),
        Step.MAILBOX: ("ZU", "Die Sendung wurde in den Briefkasten des Empfängers zugestellt."),
        Step.NOT_HOME_TO_POINT: (
            "NTDEL",
            "Der Empfänger wurde nicht angetroffen. Die Sendung wird in eine Filiale gebracht.",
        ),
    },
    hubs=("Bochum", "Krefeld", "Köln", "Neuwied", "Hannover", "Staufenberg", "Leipzig"),
)

COLISSIMO = Route(
    carrier="colissimo",
    steps={
        **_plain(
            "info=DR1 accepted=PC2 hub=ET2 transit=ET1 dest_hub=ET3 out_for_delivery=MD2 "
            "delivered=DI1 pickup_ready=AG1 returning=RE1 returned=DI2 customs_hold=DO3"
        ),
        Step.MAILBOX: ("DI1", "Votre colis a été livré dans votre boîte aux lettres."),
        Step.NEIGHBOUR: ("DI1", "Votre colis a été remis à votre gardien ou à votre voisin."),
        Step.NOT_HOME: (
            "ND1",
            "Vous étiez absent lors de la livraison. Votre colis sera présenté à nouveau "
            "le prochain jour ouvré.",
        ),
        Step.NOT_HOME_TO_POINT: (
            "ND1",
            "Vous étiez absent lors de la livraison. Votre colis sera disponible "
            "dans votre point de retrait.",
        ),
        Step.ADDRESS: ("ND1", "Votre colis n'a pas pu être livré : l'adresse est incomplète."),
        Step.RETURN_ADDRESS: (
            "RE1",
            "L'adresse de votre colis est erronée. Votre colis est retourné à l'expéditeur.",
        ),
        Step.REFUSED: (
            "RE1",
            "Le destinataire a refusé votre colis. Il est retourné à l'expéditeur.",
        ),
    },
    # Colissimo consolidates at the shop before the parcel leaves the Netherlands.
    hubs=(SHOP_CITY,),
    transit_hubs=("Roissy-en-France", "Chilly-Mazarin", "Lesquin", "Saint-Priest", "Wissous"),
)

CAINIAO = Route(
    carrier="cainiao",
    steps=_plain(
        "info=CONSIGN accepted=PU_PICKUP_SUCCESS hub=SC_INBOUND_SUCCESS "
        "export=CC_EX_SUCCESS depart=LH_DEPART arrive=LH_ARRIVE "
        "import_done=CC_IM_SUCCESS last_mile=GTMS_ACCEPT dest_hub=GTMS_SC_ARRIVE "
        "out_for_delivery=GTMS_DO_DEPART delivered=GTMS_SIGNED "
        "not_home=GTMS_DEL_FAILURE pickup_ready=GTMS_WAIT_SELF_PICK "
        "returning=RT_WH_INBOUND returned=RETURNED customs_hold=CC_IM_FAILURE "
    )
    | {Step.UNKNOWN: ("GTMS_OTHER", "Parcel is being processed by the local carrier")},
    hubs=("Shenzhen", "Guangzhou", "Dongguan"),
    origin_city=("Shenzhen", "Guangzhou", "Yiwu", "Dongguan"),
    origin_tz="Asia/Shanghai",
    gateway=("Liège",),
    from_china=True,
)

YUNEXPRESS = Route(
    carrier="yunexpress",
    steps={
        Step.INFO: ("10", "Shipment information received"),
        Step.ACCEPTED: ("20", "Arrived at YunExpress facility"),
        Step.HUB: ("20", "Departed from YunExpress facility"),
        Step.EXPORT: ("20", "Export customs clearance completed"),
        Step.DEPART: ("20", "Departed from origin airport"),
        Step.ARRIVE: ("20", "Arrived at destination airport"),
        Step.IMPORT_DONE: ("20", "Import customs clearance completed"),
        Step.LAST_MILE: ("20", "Handed over to last mile carrier"),
        Step.DEST_HUB: ("20", "Arrived at local delivery facility"),
        Step.DELIVERED: ("50", "Delivered"),
        Step.NOT_HOME: ("40", "Delivery attempt failed, recipient not at home"),
        Step.PICKUP_READY: ("30", "Arrived at pickup point, ready for collection"),
        Step.RETURNING: ("90", "Returning to sender"),
        Step.CUSTOMS_HOLD: ("60", "Held by customs, awaiting clearance"),
        Step.UNKNOWN: ("80", "Tracking information is being updated"),
    },
    hubs=("Shenzhen", "Guangzhou"),
    origin_city=("Shenzhen", "Guangzhou", "Yiwu"),
    origin_tz="Asia/Shanghai",
    gateway=("Amsterdam", "Frankfurt am Main"),
    from_china=True,
)

ROUTES: dict[str, Route] = {
    r.carrier: r for r in (POSTNL, BPOST, DHL, COLISSIMO, CAINIAO, YUNEXPRESS)
}

# Shares are percentages of all orders; transit times are business days after shipping.
LANES: tuple[Lane, ...] = (
    Lane("NL", 45, ("postnl",), (("NL", 1),), (1, 1)),
    Lane("BE", 15, ("bpost",), (("BE", 1),), (1, 2)),
    Lane("DE", 20, ("dhl",), (("DE", 1),), (1, 2)),
    Lane("FR", 10, ("colissimo",), (("FR", 1),), (2, 3)),
    Lane(
        "CN",
        10,
        ("yunexpress", "cainiao"),
        (("NL", 4), ("BE", 2), ("DE", 3), ("FR", 2)),
        (8, 15),
        # Dropshipped parcels run late and sit in customs far more often than local ones.
        extra_weights={"customs_hold": 16, "late_in_transit": 9, "delivered_late": 10},
    ),
)

TIME_ZONES = {
    "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
}

CHINA_LAST_MILE_HUBS = {
    "NL": ("Amsterdam", "Utrecht"),
    "BE": ("Brussel", "Antwerpen"),
    "DE": ("Frankfurt am Main", "Köln", "Hannover"),
    "FR": ("Roissy-en-France", "Lyon"),
}

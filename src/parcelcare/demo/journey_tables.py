"""The demo's journey kinds as data: how often each happens, which carrier steps it needs, and
at which local hours each step is scanned."""

from enum import StrEnum

from .lanes import Step

Window = tuple[int, int]
Planned = tuple[Step, int, Window | None]
"""A step, its business day after the label, and its local hour window (None: the label)."""


class Journey(StrEnum):
    """What happens to a demo shipment."""

    ON_TIME = "on_time"
    DELIVERED_LATE = "delivered_late"
    LATE_IN_TRANSIT = "late_in_transit"
    STALLED = "stalled"
    LOST = "lost"
    FAILED_THEN_DELIVERED = "failed_then_delivered"
    TWO_FAILED_ATTEMPTS = "two_failed_attempts"
    AWAITING_PICKUP = "awaiting_pickup"
    ADDRESS_RETURNING = "address_returning"
    REFUSED_RETURNED = "refused_returned"
    NOT_SHIPPED = "not_shipped"
    CUSTOMS_HOLD = "customs_hold"
    DAMAGED = "damaged"
    UNKNOWN_CODE = "unknown_code"
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"


J = Journey

# Percent of orders per kind before lane adjustments; a kind a carrier cannot tell
# (bpost has no return codes, for one) is redrawn among the kinds it can.
WEIGHTS: dict[Journey, int] = {
    J.ON_TIME: 55,
    J.DELIVERED_LATE: 6,
    J.LATE_IN_TRANSIT: 4,
    J.STALLED: 3,
    J.LOST: 2,
    J.FAILED_THEN_DELIVERED: 5,
    J.TWO_FAILED_ATTEMPTS: 2,
    J.AWAITING_PICKUP: 5,
    J.ADDRESS_RETURNING: 2,
    J.REFUSED_RETURNED: 2,
    J.NOT_SHIPPED: 2,
    J.CUSTOMS_HOLD: 0,
    J.DAMAGED: 1,
    J.UNKNOWN_CODE: 2,
    J.LABEL_CREATED: 4,
    J.IN_TRANSIT: 5,
}

NEEDS: dict[Journey, tuple[tuple[Step, ...], ...]] = {
    J.ON_TIME: ((Step.DELIVERED,),),
    J.DELIVERED_LATE: ((Step.DELIVERED,),),
    J.FAILED_THEN_DELIVERED: ((Step.NOT_HOME,), (Step.DELIVERED,)),
    J.TWO_FAILED_ATTEMPTS: ((Step.NOT_HOME,),),
    J.AWAITING_PICKUP: ((Step.PICKUP_READY,),),
    J.ADDRESS_RETURNING: ((Step.ADDRESS,), (Step.RETURN_ADDRESS, Step.RETURNING)),
    J.REFUSED_RETURNED: ((Step.REFUSED,), (Step.RETURNED,)),
    J.CUSTOMS_HOLD: ((Step.CUSTOMS_HOLD,), (Step.ARRIVE,)),
    J.DAMAGED: ((Step.DAMAGED,),),
    J.UNKNOWN_CODE: ((Step.UNKNOWN,), (Step.DELIVERED,)),
}
"""Steps a carrier must be able to tell for a kind: one of each inner tuple."""

HOURS: dict[Step, Window] = {
    Step.ACCEPTED: (16, 18),
    Step.HUB: (19, 22),
    Step.TRANSIT: (8, 13),
    Step.DELAY: (8, 11),
    Step.DEST_HUB: (5, 7),
    Step.OUT_FOR_DELIVERY: (7, 10),
    Step.PICKUP_READY: (11, 17),
    Step.RETURNING: (8, 16),
    Step.RETURN_ADDRESS: (8, 16),
    Step.RETURNED: (9, 16),
    Step.CUSTOMS_HOLD: (9, 16),
    Step.DAMAGED: (9, 17),
    Step.UNKNOWN: (12, 15),
}
DOORSTEP: Window = (10, 19)

# From China the long way, one milestone after another, hours in the local time of each.
CHINA_MILESTONES: tuple[tuple[Step, Window | None], ...] = (
    (Step.INFO, None),
    (Step.ACCEPTED, (9, 12)),
    (Step.HUB, (14, 18)),
    (Step.EXPORT, (9, 14)),
    (Step.DEPART, (15, 21)),
    (Step.ARRIVE, (14, 20)),
    (Step.IMPORT_DONE, (9, 15)),
    (Step.LAST_MILE, (10, 16)),
    (Step.DEST_HUB, (5, 7)),
)

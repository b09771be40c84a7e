"""The customer's words for each status, reason and step of the tracking page."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

S = ShipmentStatus
R = IncidentReason

HEADLINES: dict[str, Promise] = {
    S.PENDING: gettext_lazy("Your order is being prepared"),
    S.INFO_RECEIVED: gettext_lazy("Your parcel is ready to ship"),
    S.IN_TRANSIT: gettext_lazy("Your parcel is on its way"),
    S.OUT_FOR_DELIVERY: gettext_lazy("Your parcel is out for delivery"),
    S.FAILED_ATTEMPT: gettext_lazy("Your parcel could not be delivered"),
    S.AVAILABLE_FOR_PICKUP: gettext_lazy("Your parcel is ready for pickup"),
    S.DELIVERED: gettext_lazy("Your parcel has been delivered"),
    S.EXCEPTION: gettext_lazy("There is a problem with your delivery"),
    S.RETURNING: gettext_lazy("Your parcel is on its way back to %(shop)s"),
    S.RETURNED: gettext_lazy("Your parcel is back at %(shop)s"),
    S.EXPIRED: gettext_lazy("There are no new updates on your parcel"),
    S.CANCELLED: gettext_lazy("This shipment has been cancelled"),
}

STATUS_DETAILS: dict[str, Promise] = {
    S.PENDING: gettext_lazy(
        "%(shop)s is getting your order ready. You will see updates here as soon as the "
        "carrier has your parcel."
    ),
    S.INFO_RECEIVED: gettext_lazy(
        "The carrier has been told about your parcel and will pick it up soon."
    ),
}

REASON_SENTENCES: dict[str, Promise] = {
    R.ADDRESS_ISSUE: gettext_lazy("The carrier could not deliver to the address as given."),
    R.RECIPIENT_UNAVAILABLE: gettext_lazy("Nobody was available to receive the parcel."),
    R.REFUSED: gettext_lazy("The parcel was refused at the delivery address."),
    R.DAMAGED: gettext_lazy("The carrier reports that the parcel was damaged."),
    R.LOST: gettext_lazy("The carrier cannot locate the parcel at the moment."),
    R.CUSTOMS_HOLD: gettext_lazy("The parcel is being held at customs."),
    R.CARRIER_DELAY: gettext_lazy("The carrier is running behind schedule."),
    R.WEATHER: gettext_lazy("Bad weather is slowing down deliveries."),
    R.ACCESS_PROBLEM: gettext_lazy("The driver could not reach the delivery address."),
    R.HELD_AT_DEPOT: gettext_lazy("The parcel is being held at the carrier's depot."),
    R.MISSING_DOCUMENTS: gettext_lazy("The carrier needs documents before it can deliver."),
}

TIMELINE_LABELS: dict[str, Promise] = {
    S.PENDING: gettext_lazy("Order registered"),
    S.INFO_RECEIVED: gettext_lazy("Shipping label created"),
    S.IN_TRANSIT: gettext_lazy("On its way"),
    S.OUT_FOR_DELIVERY: gettext_lazy("Out for delivery"),
    S.FAILED_ATTEMPT: gettext_lazy("Delivery attempt"),
    S.AVAILABLE_FOR_PICKUP: gettext_lazy("Ready for pickup"),
    S.DELIVERED: gettext_lazy("Delivered"),
    S.EXCEPTION: gettext_lazy("Delivery problem"),
    S.RETURNING: gettext_lazy("Returning to sender"),
    S.RETURNED: gettext_lazy("Returned to sender"),
    S.EXPIRED: gettext_lazy("No further updates"),
    S.CANCELLED: gettext_lazy("Cancelled"),
}

STEPS: tuple[Promise, ...] = (
    gettext_lazy("Order placed"),
    gettext_lazy("Ready to ship"),
    gettext_lazy("On its way"),
    gettext_lazy("Delivered"),
)

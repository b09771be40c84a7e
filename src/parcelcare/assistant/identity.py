"""Which order a message is about, and whether its sender may hear that order's facts.

Facts are revealed only when the sender's e-mail or phone is the order's, when the message
carries the order number with the delivery postcode, or when it came from the parcel's own
tracking page (whose link already shows them)."""

import re
from dataclasses import dataclass

import phonenumbers

from parcelcare.domain.extract import Extracted
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Order, Shipment, ShipmentLeg

from .models import InboundMessage


@dataclass(frozen=True)
class Identified:
    """The order and parcel a message is about (None when unknown) and how the sender proved
    the right to hear about it (empty when they did not)."""

    order: Order | None
    shipment: Shipment | None
    proof: str = ""

    @property
    def verified(self) -> bool:
        """Whether the order's facts may be told to this sender."""
        return bool(self.proof) and self.order is not None


def _digits(phone: str, country: str) -> str:
    """A phone number in E.164, or its digits when it does not parse."""
    try:
        parsed = phonenumbers.parse(phone, country or None)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", phone)


def _postcode(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def sender_matches(message: InboundMessage, order: Order) -> bool:
    """The message comes from the order's e-mail address or phone number."""
    sender = message.sender.strip().lower()
    customer = order.customer
    if not sender:
        return False
    if "@" in sender:
        return bool(customer.email) and sender == customer.email.strip().lower()
    if not customer.phone:
        return False
    country = order.ship_country or order.shop.country
    return _digits(sender, country) == _digits(customer.phone, country)


def _latest_shipment(order: Order) -> Shipment | None:
    return order.shipments.order_by("-created_at", "-id").first()


def _by_thread(message: InboundMessage) -> Shipment | None:
    """The parcel of the notification this e-mail answers (its Message-ID is the provider id)."""
    ids = [str(i) for i in message.thread_ids if i][:20]
    if not ids:
        return None
    sent = OutboxMessage.objects.filter(shop_id=message.shop_id, provider_message_id__in=ids)
    found = sent.select_related("shipment__order__customer").order_by("-id").first()
    return found.shipment if found else None


def _by_tracking(shop_id: int, numbers: tuple[str, ...]) -> Shipment | None:
    if not numbers:
        return None
    shipments = Shipment.objects.filter(shop_id=shop_id, tracking_number__in=numbers)
    found = shipments.select_related("order__customer").first()
    if found is None:
        leg = ShipmentLeg.objects.filter(shop_id=shop_id, tracking_number__in=numbers).first()
        found = leg.shipment if leg else None
    return found


def _by_sender(message: InboundMessage) -> Order | None:
    """The sender's latest order when the message names none (e-mail senders only)."""
    sender = message.sender.strip().lower()
    if "@" not in sender:
        return None
    orders = Order.objects.filter(shop_id=message.shop_id, customer__email__iexact=sender)
    return orders.select_related("customer").order_by("-placed_at", "-id").first()


def identify(message: InboundMessage, found: Extracted) -> Identified:
    """The order the message is about and the proof that its sender may hear about it."""
    shop_id = message.shop_id
    shipment: Shipment | None = message.form_shipment or _by_thread(message)
    if shipment is not None and shipment.shop_id == shop_id:
        proof = "tracking_page" if message.form_shipment_id else "thread"
        if proof == "thread" and not sender_matches(message, shipment.order):
            proof = ""
        return Identified(shipment.order, shipment, proof)
    orders = Order.objects.filter(shop_id=shop_id, order_number__in=found.order_numbers[:5])
    order = orders.select_related("customer", "shop").first()
    if order is None and (shipment := _by_tracking(shop_id, found.tracking_numbers)):
        order = shipment.order
    named = order is not None
    if order is None:
        order = _by_sender(message)
    if order is None:
        return Identified(None, None)
    shipment = shipment if shipment and shipment.order_id == order.pk else _latest_shipment(order)
    if sender_matches(message, order):
        return Identified(order, shipment, "sender")
    postcode = _postcode(order.ship_postcode)
    if named and postcode and postcode in {_postcode(p) for p in found.postcodes}:
        return Identified(order, shipment, "order_number_and_postcode")
    return Identified(order, shipment)

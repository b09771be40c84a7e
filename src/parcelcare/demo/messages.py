"""Customer messages for the demo shop, in each customer's language, received over the last day
and decided by the assistant as its worker does: answered, drafted for an agent, turned into a
case, or answered with a request for the order number."""

import random
from collections import Counter
from datetime import datetime, timedelta

from parcelcare.accounts.models import Shop
from parcelcare.assistant.inbox import process_due, receive
from parcelcare.assistant.models import InboundMessage
from parcelcare.assistant.respond import handle
from parcelcare.tracking.models import Shipment

MOVING = ("in_transit", "out_for_delivery")
TEXTS: dict[str, dict[str, str]] = {
    "where": {
        "nl": "Hoi, waar blijft mijn bestelling {order}? Ik had hem deze week al verwacht.",
        "de": "Hallo, wo bleibt meine Bestellung {order}? Ich hatte sie diese Woche erwartet.",
        "fr": "Bonjour, où en est ma commande {order} ? Je l'attendais cette semaine.",
        "en": "Hi, where is my order {order}? I was expecting it this week.",
    },
    "not_received": {
        "nl": "Volgens de tracking is bestelling {order} bezorgd, maar er ligt niets bij de deur"
        " en de buren hebben ook niets.",
        "de": "Laut Sendungsverfolgung wurde Bestellung {order} zugestellt, aber vor der Tür"
        " liegt nichts und die Nachbarn haben auch nichts.",
        "fr": "Le suivi dit que la commande {order} a été livrée, mais il n'y a rien devant la"
        " porte et les voisins n'ont rien reçu.",
        "en": "Tracking says order {order} was delivered, but there is nothing at my door and"
        " the neighbours don't have it either.",
    },
    "return": {
        "nl": "De kussens passen toch niet bij de bank. Hoe kan ik ze terugsturen? Bestelling"
        " {order}",
        "de": "Die Kissen passen doch nicht zum Sofa. Wie kann ich sie zurückschicken?"
        " Bestellung {order}",
        "fr": "Les coussins ne vont pas avec le canapé. Comment puis-je les renvoyer ?"
        " Commande {order}",
        "en": "The cushions don't go with the sofa after all. How do I send them back?"
        " Order {order}",
    },
    "address": {
        "nl": "Kunnen jullie bestelling {order} naar mijn werkadres sturen? Ik ben overdag"
        " niet thuis.",
        "de": "Können Sie Bestellung {order} an meine Arbeitsadresse schicken? Ich bin"
        " tagsüber nicht zu Hause.",
        "fr": "Pouvez-vous livrer la commande {order} à mon adresse de travail ? Je ne suis"
        " pas chez moi la journée.",
        "en": "Could you send order {order} to my work address instead? I'm not home during"
        " the day.",
    },
    "other": {
        "nl": "Hebben jullie de grote plantenbak ook in antraciet?",
        "de": "Gibt es den großen Pflanzkübel auch in Anthrazit?",
        "fr": "Est-ce que la grande jardinière existe aussi en anthracite ?",
        "en": "Do you have the large planter in anthracite as well?",
    },
    "stranger": {
        "nl": "Waar is mijn pakket? Bestelnummer {order}",
        "de": "Wo ist mein Paket? Bestellnummer {order}",
        "fr": "Où est mon colis ? Numéro de commande {order}",
        "en": "Where is my parcel? Order number {order}",
    },
}
"""What demo customers write, per kind of message and language."""
PLAN = (
    ("where", "moving", "customer"),
    ("where", "moving", "customer"),
    ("where", "moving", "customer"),
    ("address", "moving", "customer"),
    ("not_received", "delivered", "customer"),
    ("return", "delivered", "customer"),
    ("return", "delivered", "customer"),
    ("other", "delivered", "customer"),
    ("stranger", "moving", "stranger"),
    ("stranger", "moving", "unknown_order"),
)
"""Each demo message: what it says, the parcel it is about, who sends it."""


def _parcels(shop: Shop, statuses: tuple[str, ...], now: datetime) -> list[Shipment]:
    """Parcels in these states without a case or return, whose customer has an e-mail address."""
    found = (
        Shipment.objects.filter(
            shop=shop,
            status__in=statuses,
            cases__isnull=True,
            order__customer__email__gt="",
            created_at__gte=now - timedelta(days=20),
        )
        .select_related("order__customer")
        .order_by("id")
    )
    return list(found[:400])


def seed_messages(*, shop: Shop, now: datetime, seed: int) -> dict[str, int]:
    """Receive and decide the demo's customer messages, oldest first; outcomes counted."""
    rng = random.Random(seed + 11)
    pools = {
        "moving": _parcels(shop, MOVING, now),
        "delivered": _parcels(shop, ("delivered",), now),
    }
    for pool in pools.values():
        rng.shuffle(pool)
    at = now - timedelta(hours=26)
    for number, (kind, state, who) in enumerate(PLAN * 2):
        if not pools[state]:
            continue
        parcel = pools[state].pop()
        order = parcel.order
        language = order.customer.language or shop.default_language
        order_number = "99231" if who == "unknown_order" else order.order_number
        sender = order.customer.email if who == "customer" else f"klant{number}@example.net"
        at += timedelta(minutes=rng.randint(30, 90))
        receive(
            shop_id=shop.id,
            channel="email",
            external_id=f"<demo-{seed}-{number}@mail.example>",
            sender=sender,
            body=TEXTS[kind].get(language, TEXTS[kind]["en"]).format(order=order_number),
            now=min(at, now),
            wake=False,
        )
        process_due(handle, min(at + timedelta(seconds=3), now))
    outcomes = InboundMessage.objects.filter(shop=shop).values_list("outcome", flat=True)
    return dict(Counter(outcomes))

"""What the auto-responder answers, from facts only, in Dutch, German, English or French.

The tracking sentences (headline, details, estimate, what to do) come from the tracking page,
already in the customer's language; this module adds the few sentences around them (the
message template adds the tracking link). An answer
is `determined` when the facts settle it; otherwise it is a suggestion for an agent."""

from dataclasses import dataclass, field
from enum import StrEnum

from .intents import Intent


class Action(StrEnum):
    """What the answer does besides being sent."""

    ANSWER = "answer"
    OPEN_CASE_B = "open_case_b"
    """Delivered but not received: a playbook-B case, whose acknowledgement is the answer."""


NOT_COLLECTED = frozenset({"pending", "info_received"})
"""Statuses of a parcel the carrier does not have yet: it can still be stopped or changed."""

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "order": "About your order {order}:",
        "no_parcel": "Your order {order} has not been handed to a carrier yet.",
        "expected": "{title}: {value}.",
        "track": "Follow your parcel: {url}",
        "return": "You can register your return here: {url}",
        "no_portal": "We will send you the return instructions.",
        "refund": "A refund of {amount} was booked on {date}. Banks usually take a few business "
        "days to show it.",
        "no_refund": "We are checking the status of your refund and will get back to you.",
        "damaged": "We are sorry about this. Please reply with a photo of the item and the "
        "packaging, so we can put it right.",
        "shipped_cancel": "Your order has already been handed to {carrier}, so it can no longer "
        "be cancelled.",
        "shipped_address": "Your order is already on its way with {carrier}, so we can no longer "
        "change its address.",
        "return_after": "Once it arrives you can return it: {url}",
        "ask_cancel": "Your order has not left yet. We have asked our team to cancel it and "
        "they will confirm.",
        "ask_address": "Your order has not left yet. We have asked our team to change the "
        "address and they will confirm.",
        "other": "Thank you for your message. A member of our team will reply soon.",
        "human": "Would you rather talk to a person? Just reply to this message.",
    },
    "nl": {
        "order": "Over je bestelling {order}:",
        "no_parcel": "Je bestelling {order} is nog niet aan een vervoerder meegegeven.",
        "expected": "{title}: {value}.",
        "track": "Volg je pakket: {url}",
        "return": "Je retour aanmelden kan hier: {url}",
        "no_portal": "We sturen je de retourinstructies.",
        "refund": "Een terugbetaling van {amount} is op {date} geboekt. Het duurt bij banken "
        "meestal een paar werkdagen voordat je het ziet.",
        "no_refund": "We kijken hoe het met je terugbetaling staat en laten het je weten.",
        "damaged": "Wat vervelend. Stuur je een foto van het artikel en de verpakking terug? "
        "Dan lossen we het op.",
        "shipped_cancel": "Je bestelling is al aan {carrier} meegegeven en kan daarom niet meer "
        "geannuleerd worden.",
        "shipped_address": "Je bestelling is al onderweg met {carrier}, daarom kunnen we het adres "
        "niet meer wijzigen.",
        "return_after": "Als het binnen is, kun je het retourneren: {url}",
        "ask_cancel": "Je bestelling is nog niet verstuurd. We hebben ons team gevraagd hem te "
        "annuleren; zij bevestigen het.",
        "ask_address": "Je bestelling is nog niet verstuurd. We hebben ons team gevraagd het "
        "adres te wijzigen; zij bevestigen het.",
        "other": "Bedankt voor je bericht. Iemand van ons team reageert snel.",
        "human": "Liever iemand spreken? Beantwoord dit bericht gewoon.",
    },
    "de": {
        "order": "Zu Ihrer Bestellung {order}:",
        "no_parcel": "Ihre Bestellung {order} wurde noch keinem Versanddienstleister übergeben.",
        "expected": "{title}: {value}.",
        "track": "Sendung verfolgen: {url}",
        "return": "Ihre Rücksendung können Sie hier anmelden: {url}",
        "no_portal": "Wir schicken Ihnen die Anleitung zur Rücksendung.",
        "refund": "Eine Erstattung von {amount} wurde am {date} gebucht. Banken brauchen meist "
        "einige Werktage, bis sie sichtbar ist.",
        "no_refund": "Wir prüfen den Stand Ihrer Erstattung und melden uns.",
        "damaged": "Das tut uns leid. Bitte antworten Sie mit einem Foto des Artikels und der "
        "Verpackung, damit wir es in Ordnung bringen.",
        "shipped_cancel": "Ihre Bestellung wurde bereits an {carrier} übergeben und kann daher "
        "nicht mehr storniert werden.",
        "shipped_address": "Ihre Bestellung ist bereits mit {carrier} unterwegs, daher können wir "
        "die Adresse nicht mehr ändern.",
        "return_after": "Nach der Zustellung können Sie sie zurücksenden: {url}",
        "ask_cancel": "Ihre Bestellung ist noch nicht verschickt. Unser Team storniert sie und "
        "bestätigt es Ihnen.",
        "ask_address": "Ihre Bestellung ist noch nicht verschickt. Unser Team ändert die Adresse "
        "und bestätigt es Ihnen.",
        "other": "Danke für Ihre Nachricht. Jemand aus unserem Team antwortet Ihnen bald.",
        "human": "Lieber mit einem Menschen sprechen? Antworten Sie einfach auf diese Nachricht.",
    },
    "fr": {
        "order": "Concernant votre commande {order} :",
        "no_parcel": "Votre commande {order} n'a pas encore été remise à un transporteur.",
        "expected": "{title} : {value}.",
        "track": "Suivre votre colis : {url}",
        "return": "Vous pouvez enregistrer votre retour ici : {url}",
        "no_portal": "Nous vous envoyons les instructions de retour.",
        "refund": "Un remboursement de {amount} a été enregistré le {date}. Les banques mettent "
        "en général quelques jours ouvrés à l'afficher.",
        "no_refund": "Nous vérifions l'état de votre remboursement et revenons vers vous.",
        "damaged": "Nous en sommes désolés. Répondez-nous avec une photo de l'article et de "
        "l'emballage, afin que nous puissions arranger cela.",
        "shipped_cancel": "Votre commande a déjà été remise à {carrier} et ne peut donc plus être "
        "annulée.",
        "shipped_address": "Votre commande est déjà en route avec {carrier}, nous ne pouvons donc "
        "plus changer l'adresse.",
        "return_after": "Une fois reçue, vous pourrez la retourner : {url}",
        "ask_cancel": "Votre commande n'est pas encore partie. Notre équipe va l'annuler et vous "
        "le confirmera.",
        "ask_address": "Votre commande n'est pas encore partie. Notre équipe va changer l'adresse "
        "et vous le confirmera.",
        "other": "Merci pour votre message. Un membre de notre équipe vous répond bientôt.",
        "human": "Vous préférez parler à quelqu'un ? Répondez simplement à ce message.",
    },
}


@dataclass(frozen=True, kw_only=True)
class ReplyFacts:
    """The live facts an answer may use; tracking sentences already in `language`."""

    intent: Intent
    language: str
    order_number: str
    status: str = ""
    """The parcel's status; empty when the order has no parcel yet."""
    carrier: str = ""
    headline: str = ""
    details: tuple[str, ...] = ()
    estimate: tuple[str, str] | None = None
    actions: tuple[str, ...] = ()
    tracking_url: str = ""
    returns_url: str = ""
    refund: tuple[str, str] | None = None
    """Amount and date of the latest refund booked for the order, written for the language."""


@dataclass(frozen=True)
class Reply:
    """The answer's text, whether the facts settle it, and what else it does."""

    text: str
    determined: bool
    action: Action = Action.ANSWER
    lines: list[str] = field(default_factory=list)


def _status_lines(facts: ReplyFacts, w: dict[str, str]) -> list[str]:
    if not facts.status:
        return [w["no_parcel"].format(order=facts.order_number)]
    headline = facts.headline.strip()
    if headline and not headline.endswith((".", "!", "?")):
        headline += "."  # the tracking page's headline stands alone; in a letter it is a sentence
    lines = [headline, *facts.details]
    if facts.estimate is not None:
        lines.append(w["expected"].format(title=facts.estimate[0], value=facts.estimate[1]))
    lines.extend(facts.actions)
    return [line for line in lines if line]


def compose(facts: ReplyFacts) -> Reply:
    """The answer to one message from its facts; never offers what the facts do not back."""
    w = WORDS.get(facts.language, WORDS["en"])
    intro = w["order"].format(order=facts.order_number)
    intent, collected = facts.intent, bool(facts.status) and facts.status not in NOT_COLLECTED
    determined, action = True, Action.ANSWER
    if intent in (Intent.ORDER_STATUS, Intent.NOT_RECEIVED):
        body = _status_lines(facts, w)
        if intent == Intent.NOT_RECEIVED and facts.status == "delivered":
            action = Action.OPEN_CASE_B
    elif intent == Intent.RETURN_REQUEST:
        determined = bool(facts.returns_url)
        body = [w["return"].format(url=facts.returns_url) if determined else w["no_portal"]]
    elif intent == Intent.REFUND_STATUS:
        determined = facts.refund is not None
        refund = facts.refund
        body = [w["refund"].format(amount=refund[0], date=refund[1]) if refund else w["no_refund"]]
    elif intent in (Intent.CANCEL_ORDER, Intent.CHANGE_ADDRESS):
        key = "cancel" if intent == Intent.CANCEL_ORDER else "address"
        determined = collected
        if collected:
            body = [w[f"shipped_{key}"].format(carrier=facts.carrier or "—")]
            if facts.returns_url and intent == Intent.CANCEL_ORDER:
                body.append(w["return_after"].format(url=facts.returns_url))
        else:
            body = [w[f"ask_{key}"]]
    elif intent == Intent.DAMAGED_OR_WRONG_ITEM:
        determined, body = False, [w["damaged"]]
    else:
        determined, body = False, [w["other"]]
    lines = [intro, *body, w["human"]]
    return Reply("\n\n".join(lines), determined=determined, action=action, lines=lines)

"""The ask: the instant answer to a sender the assistant cannot verify, or whose order it cannot
find. It says the message arrived and how to prove the order is theirs, and nothing else: no
order fact, not even whether a named order exists. Here are its words and the rules that keep
it from talking to robots or repeating itself."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .intents import Intent

WINDOW = timedelta(hours=24)
"""At most one ask per sender address and shop in this window; also WhatsApp's session window."""

ROBOT_LOCAL_PARTS = frozenset(
    {"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster"}
)
"""Mailbox names that no person reads; an answer to them is lost or bounces back."""
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
ROBOT_HEADERS = ("x-autoreply", "x-autorespond", "list-id")
"""Present at all (any value) only on auto-replies and mailing-list mail."""
ASK_CHANNELS = frozenset({"email", "whatsapp"})
"""The tracking page's form is always verified, so only these two channels ever need an ask."""


def automated_mail(headers: Mapping[str, str], sender: str) -> bool:
    """True for mail no person wrote: auto-replies, bounces, lists, bulk and no-reply senders.

    `headers` maps lower-case header names to values (RFC 3834 Auto-Submitted, Precedence,
    X-Autoreply, X-Autorespond, List-Id)."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return True
    if headers.get("precedence", "").strip().lower() in BULK_PRECEDENCE:
        return True
    if any(headers.get(name, "").strip() for name in ROBOT_HEADERS):
        return True
    local = sender.strip().lower().rpartition("@")[0]
    return local in ROBOT_LOCAL_PARTS or local.startswith(("noreply", "no-reply", "bounce"))


def address_key(channel: str, sender: str) -> str:
    """The sender's address in one form, so the limit counts one person once."""
    if channel == "email" or "@" in sender:
        return sender.strip().lower()
    return re.sub(r"\D", "", sender)


@dataclass(frozen=True, kw_only=True)
class AskFacts:
    """What is known about one inbound message when deciding whether to ask."""

    channel: str
    sender: str
    verified: bool
    intent: Intent
    human_asked: bool
    enabled: bool
    """The shop's assistant is switched on."""
    automated: bool
    """Auto-generated mail (see `automated_mail`)."""
    asked_recently: bool
    """This shop already asked this sender address within WINDOW."""
    received_at: datetime
    now: datetime
    own_address: bool = False
    """The sender is the shop's own address (its Reply-To or our From): a loop in the making."""


def ask_blockers(facts: AskFacts) -> tuple[str, ...]:
    """Why no ask goes out for this message; empty when it should be asked at once."""
    blockers = []
    if facts.verified:
        blockers.append("verified")
    if facts.channel not in ASK_CHANNELS:
        blockers.append("channel")
    if not facts.enabled:
        blockers.append("assistant_off")
    if facts.intent == Intent.OTHER:
        blockers.append("intent_other")
    if facts.human_asked:
        blockers.append("human_asked")
    if facts.automated:
        blockers.append("automated")
    if facts.own_address:
        blockers.append("own_address")
    if not address_key(facts.channel, facts.sender):
        blockers.append("no_sender")
    if facts.asked_recently:
        blockers.append("asked_recently")
    if not in_session(facts.received_at, facts.now):
        blockers.append("session_closed")
    return tuple(blockers)


def in_session(received_at: datetime, now: datetime) -> bool:
    """Whether the sender wrote within WINDOW (WhatsApp's free-text session; stale mail too)."""
    return now - received_at < WINDOW


@dataclass(frozen=True)
class AskText:
    """The ask as written for one language: subject (e-mail only), paragraphs, footer."""

    subject: str
    paragraphs: tuple[str, ...]
    footer: str


ASK_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "We received your message",
        "hello": "Hello,",
        "received": "Thank you for your message to {shop}: we have received it.",
        "how": "To tell you about your order, we need to know it is yours. Please reply with "
        "your order number and the postcode the order ships to, or write to us from the e-mail "
        "address or phone number you ordered with.",
        "person": "A member of our team will also read your message.",
        "footer": "You are receiving this e-mail because you wrote to {shop}.",
    },
    "nl": {
        "subject": "We hebben je bericht ontvangen",
        "hello": "Hallo,",
        "received": "Bedankt voor je bericht aan {shop}: we hebben het ontvangen.",
        "how": "Om je iets over je bestelling te vertellen, moeten we weten dat hij van jou is. "
        "Beantwoord dit bericht met je bestelnummer en de postcode waar de bestelling naartoe "
        "gaat, of schrijf ons vanaf het e-mailadres of telefoonnummer waarmee je bestelde.",
        "person": "Iemand van ons team leest je bericht ook.",
        "footer": "Je ontvangt deze e-mail omdat je {shop} hebt geschreven.",
    },
    "de": {
        "subject": "Wir haben Ihre Nachricht erhalten",
        "hello": "Guten Tag,",
        "received": "Danke für Ihre Nachricht an {shop}: Wir haben sie erhalten.",
        "how": "Damit wir Ihnen etwas zu Ihrer Bestellung sagen können, müssen wir wissen, dass "
        "sie Ihre ist. Bitte antworten Sie mit Ihrer Bestellnummer und der Postleitzahl der "
        "Lieferadresse, oder schreiben Sie uns von der E-Mail-Adresse oder Telefonnummer, mit "
        "der Sie bestellt haben.",
        "person": "Jemand aus unserem Team liest Ihre Nachricht ebenfalls.",
        "footer": "Sie erhalten diese E-Mail, weil Sie {shop} geschrieben haben.",
    },
    "fr": {
        "subject": "Nous avons bien reçu votre message",
        "hello": "Bonjour,",
        "received": "Merci pour votre message à {shop} : nous l'avons bien reçu.",
        "how": "Pour vous parler de votre commande, nous devons savoir qu'elle est bien la "
        "vôtre. Répondez avec votre numéro de commande et le code postal de livraison, ou "
        "écrivez-nous depuis l'adresse e-mail ou le numéro de téléphone utilisé pour commander.",
        "person": "Un membre de notre équipe lira aussi votre message.",
        "footer": "Vous recevez cet e-mail car vous avez écrit à {shop}.",
    },
}


def ask_text(language: str, shop: str, signature: str) -> AskText:
    """The ask in `language` (English when unknown), signed with the shop's signature."""
    w = ASK_WORDS.get(language, ASK_WORDS["en"])
    body = (w["hello"], w["received"].format(shop=shop), w["how"], w["person"], signature)
    return AskText(
        subject=w["subject"],
        paragraphs=tuple(p for p in body if p.strip()),
        footer=w["footer"].format(shop=shop),
    )

"""Answer one inbound message: understand it, find its order, check the sender, compose from
live facts, then send at once (through the outbox) or leave a draft for an agent; audited."""

from datetime import datetime

from parcelcare.accounts.audit import record
from parcelcare.cases.actors import Who
from parcelcare.cases.models import Case
from parcelcare.cases.notes import add_note
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.cues import cues
from parcelcare.domain.intents import Intent, ReplyFacts, auto_send_reasons
from parcelcare.domain.notify_policy import Audience, MessageKind
from parcelcare.domain.notify_policy import Channel as OutChannel
from parcelcare.domain.replies import WORDS, Action, Reply, compose
from parcelcare.messaging.models import OutboxMessage

from .asks import queue_ask
from .classifier import Understanding, classifier
from .facts import reply_facts
from .features import fold
from .identity import Identified, identify
from .models import AssistantSettings, InboundMessage

OUT = InboundMessage.Outcome
CHANNEL = {"email": OutChannel.EMAIL, "whatsapp": OutChannel.WHATSAPP}


def settings_of(shop_id: int) -> AssistantSettings:
    """The shop's assistant settings (defaults until an owner changes them)."""
    found, _ = AssistantSettings.objects.get_or_create(shop_id=shop_id)
    return found


def handle(message: InboundMessage, now: datetime) -> None:
    """Decide and act on one stored message; runs inside the caller's transaction."""
    config = settings_of(message.shop_id)
    shop = message.shop
    text = f"{message.subject}\n{message.body}".strip()
    understood = classifier().understand(text, fallback_language=shop.default_language)
    who = identify(message, understood.extracted)
    language = _language(understood, who)
    reply = _compose(understood.intent, language, who, config, now)
    human_asked = "human" in cues(fold(text))
    reasons = auto_send_reasons(
        ReplyFacts(
            intent=understood.intent,
            confidence=understood.confidence,
            threshold=classifier().threshold,
            verified=who.verified,
            determined=reply.determined and who.order is not None,
            enabled=config.enabled and str(understood.intent) in (config.auto_intents or []),
            human_asked=human_asked,
        )
    )
    message.language, message.intent = language, str(understood.intent)
    message.confidence = round(understood.confidence, 4)
    message.order, message.shipment, message.verified = who.order, who.shipment, who.verified
    message.reasons, message.reply = list(reasons), reply.text
    message.outcome = OUT.DRAFT if reasons else _act(message, reply, who, now)
    if message.case_id is None and who.verified:
        message.case = _thread_into_case(message, who, now)
    # The ask speaks the message's own language: the named order's must not show through.
    ask, no_ask = queue_ask(
        message=message,
        verified=who.verified,
        intent=understood.intent,
        language=understood.language,
        human_asked=human_asked,
        enabled=config.enabled,
        now=now,
    )
    message.status, message.processed_at, message.lease_until = "done", now, None
    message.save()
    record(
        shop_id=message.shop_id,
        at=now,
        actor_type="system",
        actor="assistant",
        subject_type="inbound_message",
        subject_id=message.pk,
        action=f"assistant.{message.outcome}",
        after={
            "intent": message.intent,
            "confidence": message.confidence,
            "language": language,
            "verified": who.verified,
            "proof": who.proof,
            "reasons": list(reasons),
            "outbox": message.outbox_id,
            "case": message.case_id,
            "ask": ask.pk if ask else None,
            "no_ask": list(no_ask),
        },
    )


def _language(understood: Understanding, who: Identified) -> str:
    """The message's language when clear, else the customer's, else the shop's."""
    if understood.language_confidence >= 0.6 or who.order is None:
        return understood.language
    return who.order.customer.language or understood.language


def _compose(
    intent: Intent,
    language: str,
    who: Identified,
    config: AssistantSettings,
    now: datetime,
) -> Reply:
    if who.order is None:
        words = WORDS.get(language, WORDS["en"])
        return Reply(f"{words['other']}\n\n{words['human']}", determined=False)
    # An unverified sender's answer is built too, but only as a draft: the agent reads it, and
    # what is sent goes to the order's own address, never to the sender's.
    facts = reply_facts(
        intent=intent,
        language=language,
        order=who.order,
        shipment=who.shipment,
        config=config,
        now=now,
    )
    return compose(facts)


def _act(message: InboundMessage, reply: Reply, who: Identified, now: datetime) -> str:
    """Send the answer through the outbox, or open the playbook-B case that answers itself."""
    assert who.order is not None
    if reply.action == Action.OPEN_CASE_B:
        case, _ = open_case(
            shop=message.shop,
            order=who.order,
            kind=CaseKind.NOT_RECEIVED,
            source=Case.Source.CUSTOMER,
            who=Who("customer"),
            now=now,
            shipment=who.shipment,
            summary=message.body[:500],
        )
        message.case = case
        return OUT.CASE_OPENED
    if who.shipment is None:
        # The outbox speaks about a parcel; without one an agent answers by hand.
        message.reasons = ["no_shipment"]
        return OUT.DRAFT
    message.outbox = queue_reply(message, reply.text, now, shipment_id=who.shipment.pk)
    return OUT.AUTO_SENT


def _thread_into_case(message: InboundMessage, who: Identified, now: datetime) -> Case | None:
    """A verified customer's message about a parcel with an open case joins the case's history."""
    if who.shipment is None:
        return None
    case = Case.objects.filter(shop_id=message.shop_id, shipment=who.shipment, is_open=True).first()
    if case is not None:
        add_note(case=case, body=message.body, who=Who("customer"), now=now, inbound=True)
    return case


def queue_reply(
    message: InboundMessage, text: str, now: datetime, *, shipment_id: int
) -> OutboxMessage:
    """The answer as an outbox row, sent by the same sender (and checks) as every message."""
    from parcelcare.cases.messages import _send_soon

    channel = CHANNEL.get(message.channel, OutChannel.EMAIL)
    customer = message.order.customer if message.order else None
    if channel == OutChannel.EMAIL and customer is not None and not customer.email:
        channel = OutChannel.SMS  # a contact form from a customer the shop knows by phone only
    row, created = OutboxMessage.objects.get_or_create(
        shop_id=message.shop_id,
        idempotency_key=f"assistant:{message.pk}",
        defaults={
            "shipment_id": shipment_id,
            "kind": MessageKind.ASSISTANT_REPLY,
            "channel": channel,
            "audience": Audience.CUSTOMER,
            "language": message.language or "en",
            "payload": {
                "body": text,
                "in_session": channel == OutChannel.WHATSAPP,
                # An answer to an e-mail threads under it in the customer's mail client.
                "in_reply_to": message.external_id if message.channel == "email" else "",
            },
            "send_at": now,
            "created_at": now,
        },
    )
    if created:
        from django.db import transaction

        transaction.on_commit(_send_soon)
    return row

"""The ask to a sender the assistant cannot verify: stored in the message's own transaction,
then sent by a worker (lease, retries, backoff) through the shop's e-mail or WhatsApp channel.

It lives beside the outbox, not in it: outbox rows speak about a parcel to its customer, and
every step of their sending (truth gate, pace, recipient, template) reads that parcel. An ask
has no parcel and goes to whoever wrote, so it gets this small queue of its own."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.template import Context

from parcelcare import leases
from parcelcare.accounts.branding import colour, ink, safe_logo
from parcelcare.domain.asks import WINDOW, AskFacts, address_key, ask_blockers, ask_text, in_session
from parcelcare.domain.intents import Intent
from parcelcare.integrations.channels.base import Channel as Sender
from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.messaging.attempts import mark_failed, mark_sent
from parcelcare.messaging.render import LAYOUT, engines
from parcelcare.messaging.sender import close_all, envelope

from .models import AssistantSettings, InboundMessage, SenderAsk

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
S = SenderAsk.Status


def queue_ask(
    *,
    message: InboundMessage,
    verified: bool,
    intent: Intent,
    language: str,
    human_asked: bool,
    enabled: bool,
    now: datetime,
) -> tuple[SenderAsk | None, tuple[str, ...]]:
    """The ask for this message, stored once, or why there is none; inside the caller's
    transaction. `language` is the message's own, never the named order's customer's."""
    if verified:
        return None, ("verified",)
    existing = SenderAsk.objects.filter(inbound=message).first()
    if existing is not None:
        return existing, ()  # a retried message keeps the ask it already has
    with transaction.atomic():
        return _queue(message, intent, language, human_asked, enabled, now)


def _queue(
    message: InboundMessage,
    intent: Intent,
    language: str,
    human_asked: bool,
    enabled: bool,
    now: datetime,
) -> tuple[SenderAsk | None, tuple[str, ...]]:
    key = address_key(message.channel, message.sender)
    if enabled and key:
        # Asks of one shop queue behind each other (PostgreSQL; SQLite's IMMEDIATE
        # transactions already do), so two messages at once cannot both pass the limit.
        list(
            AssistantSettings.objects.select_for_update()
            .filter(shop_id=message.shop_id)
            .values_list("id", flat=True)
        )
    recent = SenderAsk.objects.filter(
        shop_id=message.shop_id, address_key=key, created_at__gt=now - WINDOW
    )
    blockers = ask_blockers(
        AskFacts(
            channel=message.channel,
            sender=message.sender,
            verified=False,
            intent=intent,
            human_asked=human_asked,
            enabled=enabled,
            automated=message.automated,
            asked_recently=bool(key) and recent.exists(),
            received_at=message.received_at,
            now=now,
            own_address=key in _own_addresses(message),
        )
    )
    if blockers:
        return None, blockers
    ask = SenderAsk.objects.create(
        shop_id=message.shop_id,
        inbound=message,
        channel=message.channel,
        address=message.sender,
        address_key=key,
        language=language,
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(_send_soon)
    return ask, ()


def _own_addresses(message: InboundMessage) -> set[str]:
    """The addresses the shop's own mail comes from or is answered at."""
    found = {parseaddr(settings.MAIL_FROM)[1].lower(), message.shop.reply_to.strip().lower()}
    return found - {""}


def _send_soon() -> None:
    """Wake the ask sender: the customer hears back in seconds."""
    from parcelcare.jobs import send_asks_now

    send_asks_now()


def claim(now: datetime, limit: int = 50) -> list[int]:
    """Lease due asks: new, due for a retry, or stuck past their lease."""
    return leases.claim_retryable(
        SenderAsk,
        waiting=(S.QUEUED, S.FAILED),
        working=S.SENDING,
        now=now,
        limit=limit,
        lease=LEASE,
    )


def send_due_asks(senders: Mapping[str, Sender], now: datetime, limit: int = 50) -> dict[str, int]:
    """Claim and send due asks until none is left; counts per outcome."""
    counts: dict[str, int] = {}
    try:
        for _ in range(1000):
            ids = claim(now, limit)
            batch = SenderAsk.objects.filter(id__in=ids).select_related("shop", "inbound")
            for ask in batch.order_by("id"):
                outcome = send_ask(ask, senders, now)
                counts[outcome] = counts.get(outcome, 0) + 1
            if len(ids) < limit:
                break
    finally:
        close_all(senders.values())
    return counts


def send_ask(ask: SenderAsk, senders: Mapping[str, Sender], now: datetime) -> str:
    """Send one leased ask and record the outcome; errors retry or go dead, never vanish."""
    if ask.channel == "whatsapp" and not in_session(ask.inbound.received_at, now):
        # Outside the 24-hour window WhatsApp takes only approved templates: not worth one.
        SenderAsk.objects.filter(id=ask.pk).update(
            status=S.WITHDRAWN, lease_until=None, last_error="session_closed"
        )
        return S.WITHDRAWN
    try:
        sender = senders.get(ask.channel)
        if sender is None:
            raise ChannelError(f"no {ask.channel} provider is configured", False)
        result = sender.send(outgoing(ask))
    except ChannelError as error:
        return _failed(ask, now, str(error), retryable=error.retryable)
    return mark_sent(
        SenderAsk,
        ask.pk,
        attempts=ask.attempts + 1,
        now=now,
        provider_id=result.provider_message_id,
    )


def _failed(ask: SenderAsk, now: datetime, error: str, *, retryable: bool) -> str:
    return mark_failed(
        SenderAsk,
        ask.pk,
        attempts=ask.attempts + 1,
        now=now,
        error=error,
        retryable=retryable,
        max_attempts=MAX_ATTEMPTS,
    )


def outgoing(ask: SenderAsk) -> OutgoingMessage:
    """The ask as the sender gets it: in the shop's e-mail look, or as a WhatsApp session text."""
    shop = ask.shop
    words = ask_text(ask.language, shop.name, shop.signature or shop.display_name)
    text = "\n\n".join(words.paragraphs)
    if ask.channel != "email":
        return OutgoingMessage(
            channel=ask.channel,
            to=ask.address,
            idempotency_key=ask.idempotency_key,
            text=text,
            within_session_window=True,
        )
    sender, reply_to = envelope(shop)
    background = colour(shop.brand_colour)
    html = (
        engines()
        .html.get_template(LAYOUT)
        .render(
            Context(
                {
                    "language": ask.language,
                    "subject": words.subject,
                    "preheader": words.paragraphs[1],
                    "blocks": [{"text": paragraph} for paragraph in words.paragraphs],
                    "shop_name": shop.name,
                    "logo_url": safe_logo(shop.logo_url),
                    "colour": background,
                    "ink": ink(background),
                    "tracking_url": "",
                    "unsubscribe_url": "",
                    "why": words.footer,
                },
                autoescape=True,
            )
        )
    )
    return OutgoingMessage(
        channel="email",
        to=ask.address,
        idempotency_key=ask.idempotency_key,
        subject=words.subject,
        text=f"{text}\n\n{words.footer}",
        html=html,
        sender=sender,
        reply_to=reply_to,
        in_reply_to=ask.inbound.external_id,
    )

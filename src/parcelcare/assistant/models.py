"""Inbound customer messages (store first, then answered or drafted), per-shop settings and
the mailbox cursors of IMAP polling."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from parcelcare.accounts.models import Shop
from parcelcare.cases.models import Case
from parcelcare.domain.intents import DEFAULT_AUTO_SEND
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Order, Shipment


def default_auto_intents() -> list[str]:
    """The intents answered without an agent until the shop chooses otherwise."""
    return sorted(DEFAULT_AUTO_SEND)


class InboundMessage(models.Model):
    """One message from a customer, kept before anything else; the outcome is written back."""

    class Channel(models.TextChoices):
        EMAIL = "email"
        WHATSAPP = "whatsapp"
        FORM = "form"

    class Status(models.TextChoices):
        PENDING = "pending"
        PROCESSING = "processing"
        DONE = "done"
        FAILED = "failed"
        DEAD = "dead"

    class Outcome(models.TextChoices):
        NONE = ""
        AUTO_SENT = "auto_sent"
        CASE_OPENED = "case_opened"
        DRAFT = "draft"
        SENT_BY_AGENT = "sent_by_agent"
        DISMISSED = "dismissed"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    external_id = models.CharField(max_length=300)
    """The sender's id for deduplication: Message-ID, WhatsApp message id, form submission id."""
    sender = models.CharField(max_length=254, blank=True, default="")
    subject = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField()
    thread_ids = models.JSONField(default=list, blank=True)
    """Message-IDs this message answers (In-Reply-To, References)."""
    form_shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    """The shipment whose tracking page the contact form was sent from."""
    received_at = models.DateTimeField()
    automated = models.BooleanField(default=False)
    """No person wrote it (auto-reply, list, bulk, no-reply sender): never asked anything back."""
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    processed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=5, blank=True, default="")
    intent = models.CharField(max_length=32, blank=True, default="")
    confidence = models.FloatField(null=True, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified = models.BooleanField(default=False)
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    reasons = models.JSONField(default=list, blank=True)
    """Why the answer waits for an agent (low_confidence, sender_not_verified, …)."""
    reply = models.TextField(blank=True, default="")
    """The answer sent, or suggested to the agent."""
    outbox = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "external_id"], name="assistant_inbound_dedupe"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="assistant_inbound_due"),
            models.Index(
                fields=["shop", "received_at"],
                condition=Q(outcome="draft"),
                name="assistant_drafts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} message #{self.pk}"


class SenderAsk(models.Model):
    """The instant answer to a sender the assistant could not verify: "send your order number
    and postcode". Stored with the message's decision, sent by a worker with a lease and retries.

    One per inbound message (the idempotency key), to the sender's own address, never about an
    order; `address_key` serves the limit of one ask per address and shop a day."""

    Status = OutboxMessage.Status

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    inbound = models.OneToOneField(InboundMessage, on_delete=models.CASCADE, related_name="ask")
    channel = models.CharField(max_length=16)
    address = models.CharField(max_length=254)
    address_key = models.CharField(max_length=254)
    language = models.CharField(max_length=5)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField()
    provider_message_id = models.CharField(max_length=200, blank=True, default="")
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="assistant_ask_due"),
            models.Index(fields=["shop", "address_key", "created_at"], name="assistant_ask_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} ask #{self.pk}"

    @property
    def idempotency_key(self) -> str:
        """The same on every try: the e-mail channel derives its Message-ID from it."""
        return f"ask:{self.shop_id}:{self.inbound_id}"


class AssistantSettings(models.Model):
    """A shop's auto-responder: on or off, the intents it answers alone, its returns portal."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(default=True)
    auto_intents = models.JSONField(default=default_auto_intents, blank=True)
    returns_url = models.URLField(max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"assistant settings of shop {self.shop_id}"


class Mailbox(models.Model):
    """An IMAP mailbox polled for customer e-mail, with the UIDVALIDITY + UID cursor."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    host = models.CharField(max_length=200)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=8, default="ssl")
    """ssl (IMAPS), starttls, or plain (local servers and tests only)."""
    username = models.CharField(max_length=200)
    password = models.CharField(max_length=200)
    folder = models.CharField(max_length=200, default="INBOX")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "host", "username", "folder"], name="assistant_mailbox_unique"
            )
        ]

    def __str__(self) -> str:
        return f"mailbox #{self.pk} of shop {self.shop_id}"

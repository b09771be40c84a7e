"""The outbox: one row per message to send, written with the finding that caused it."""

from django.conf import settings
from django.db import models

from parcelcare.accounts.models import Shop
from parcelcare.tracking.models import Shipment


class OutboxMessage(models.Model):
    """A message to send (or a desk task to open), claimed by workers with a lease."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        DEAD = "dead"
        WITHDRAWN = "withdrawn"

    class Delivery(models.TextChoices):
        DELIVERED = "delivered"
        FAILED = "failed"
        BOUNCED = "bounced"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=16, blank=True, default="")
    audience = models.CharField(max_length=16)
    detail = models.CharField(max_length=32, default="-")
    idempotency_key = models.CharField(max_length=120)
    language = models.CharField(max_length=5)
    payload = models.JSONField(default=dict)
    send_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, default="")
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Database defaults too: the outbox is written with bulk SQL that names only older columns.
    delivery_status = models.CharField(
        max_length=12, choices=Delivery.choices, blank=True, default="", db_default=""
    )
    """What the provider reported after sending: delivered, failed or bounced; empty until then."""
    delivery_updated_at = models.DateTimeField(null=True, blank=True)
    delivery_error = models.CharField(max_length=32, blank=True, default="", db_default="")
    withdrawn_reason = models.CharField(max_length=64, blank=True, default="", db_default="")
    """Why a withdrawn message was not sent: what stopped being true, or the customer's pace."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"], name="outbox_key")
        ]
        indexes = [
            models.Index(fields=["status", "send_at"], name="outbox_due"),
            models.Index(fields=["shipment"], name="outbox_shipment"),
            models.Index(fields=["shop", "provider_message_id"], name="outbox_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} via {self.channel or 'desk'}"


class TemplateOverride(models.Model):
    """A shop's own text for one message kind, channel and language, used instead of ours."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=16)
    """The template channel: email or sms (WhatsApp says what the SMS says)."""
    language = models.CharField(max_length=5)
    source = models.TextField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "kind", "channel", "language"], name="template_override_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.language} for shop {self.shop_id}"

"""Customers, orders, shipments, tracking events and findings, all scoped by shop."""

import secrets

from django.db import models
from django.db.models import Q

from parcelcare.accounts.models import Shop
from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus

STATUS_CHOICES = [(s.value, s.value) for s in ShipmentStatus]
REASON_CHOICES = [(r.value, r.value) for r in IncidentReason]
FINDING_CHOICES = [(f.value, f.value) for f in FindingKind]


def new_public_token() -> str:
    """An unguessable token for the customer's tracking page link (128 bits)."""
    return secrets.token_urlsafe(16)


class Customer(models.Model):
    """A shop's customer, as the shop knows them."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="customers")
    email = models.EmailField(blank=True, default="")
    name = models.CharField(max_length=200, blank=True, default="")
    phone = models.CharField(max_length=32, blank=True, default="")
    language = models.CharField(max_length=5, blank=True, default="")
    opted_out = models.JSONField(default=list, blank=True)
    """Channels the customer asked not to be messaged on (e-mail, sms, whatsapp)."""
    consent = models.JSONField(default=list, blank=True)
    """Channels the customer agreed to be messaged on (sms, whatsapp); opted_out still wins."""
    consent_at = models.JSONField(default=dict, blank=True)
    """When each consented channel was agreed to: channel -> ISO 8601 UTC time."""
    unsubscribe_token = models.CharField(max_length=32, unique=True, default=new_public_token)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "email"], condition=~Q(email=""), name="customer_shop_email"
            )
        ]

    def __str__(self) -> str:
        return f"customer #{self.pk}"


class Order(models.Model):
    """An order, with the address it ships to."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    order_number = models.CharField(max_length=64)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    placed_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    total = models.BigIntegerField(default=0)
    ship_name = models.CharField(max_length=200, blank=True, default="")
    ship_line1 = models.CharField(max_length=200, blank=True, default="")
    ship_line2 = models.CharField(max_length=200, blank=True, default="")
    ship_postcode = models.CharField(max_length=20, blank=True, default="")
    ship_city = models.CharField(max_length=100, blank=True, default="")
    ship_country = models.CharField(max_length=2, blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "order_number"], name="order_shop_number")
        ]

    def __str__(self) -> str:
        return self.order_number


class OrderLine(models.Model):
    """One product line of an order; money in integer minor units."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class Shipment(models.Model):
    """One tracked parcel; its status fields are derived from its timeline."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="shipments")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(max_length=32)
    tracking_number = models.CharField(max_length=64)
    shipped_at = models.DateTimeField(null=True, blank=True)
    promised_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=24, choices=STATUS_CHOICES, default="pending")
    status_since = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=24, choices=REASON_CHOICES, blank=True, default="")
    last_event_at = models.DateTimeField(null=True, blank=True)
    label_created_at = models.DateTimeField(null=True, blank=True)
    first_scan_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    unknown_codes = models.PositiveIntegerField(default=0)
    next_review_at = models.DateTimeField(null=True, blank=True)
    # The pickup point as the carrier named it ({name, address, hours}); empty when it did not.
    pickup_point = models.JSONField(default=dict, blank=True)
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "tracking_number"], name="shipment_shop_tn")
        ]
        indexes = [
            models.Index(fields=["next_review_at"], name="shipment_next_review"),
            models.Index(fields=["shop", "status"], name="shipment_shop_status"),
            models.Index(fields=["shop", "carrier"], name="shipment_shop_carrier"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class ShipmentLeg(models.Model):
    """A later leg of a shipment under another tracking number (an origin carrier hands the
    parcel to a last-mile carrier); its events join the shipment's one journey."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="legs")
    carrier = models.CharField(max_length=32)
    tracking_number = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "tracking_number"], name="leg_shop_tn")
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class TrackingEvent(models.Model):
    """One carrier event, raw code and text kept beside the normalised values."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    carrier = models.CharField(max_length=32)
    tracking_number = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    code = models.CharField(max_length=64)
    status = models.CharField(max_length=24, choices=STATUS_CHOICES, null=True, blank=True)
    reason = models.CharField(max_length=24, choices=REASON_CHOICES, null=True, blank=True)
    description = models.CharField(max_length=500, blank=True, default="")
    location = models.CharField(max_length=200, blank=True, default="")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "carrier", "tracking_number", "occurred_at", "code"],
                name="event_natural_key",
            )
        ]
        indexes = [
            models.Index(fields=["shipment", "occurred_at"], name="event_shipment"),
            models.Index(
                fields=["shop", "tracking_number"],
                condition=Q(shipment__isnull=True),
                name="event_unattached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number} {self.code}"


class Finding(models.Model):
    """One finding's life: opened when detection first says it, closed when it stops."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=24, choices=FINDING_CHOICES)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=24, choices=REASON_CHOICES, blank=True, default="")
    evidence = models.JSONField(default=dict)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["shipment"], condition=Q(closed_at__isnull=True), name="finding_open"
            ),
            models.Index(
                fields=["shop", "kind", "level"],
                condition=Q(closed_at__isnull=True),
                name="finding_open_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} L{self.level}" if self.level else self.kind


class InboxItem(models.Model):
    """One received webhook, stored before anything else so no delivery is ever lost."""

    class Status(models.TextChoices):
        PENDING = "pending"
        PROCESSING = "processing"
        DONE = "done"
        FAILED = "failed"
        DEAD = "dead"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=32)
    event_id = models.CharField(max_length=200)
    topic = models.CharField(max_length=100, blank=True, default="")
    body = models.BinaryField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "source", "event_id"], name="inbox_dedupe")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="inbox_due")]

    def __str__(self) -> str:
        return f"{self.source} {self.topic} {self.event_id}"


class PollSchedule(models.Model):
    """When to ask the carrier about one shipment next; claimed with a lease like the inbox.

    `next_poll_at` is NULL once polling has stopped (a final status, or a long silence)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.OneToOneField(
        Shipment, on_delete=models.CASCADE, related_name="poll_schedule"
    )
    next_poll_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True, default="")
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_poll_at"], name="poll_due")]

    def __str__(self) -> str:
        return f"poll of shipment #{self.shipment_id}"

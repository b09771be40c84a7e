"""One append-only ledger of every remedy: refunds, reships, vouchers, carrier payouts."""

from django.db import models

from parcelcare.accounts.models import Shop
from parcelcare.tracking.models import Order, Shipment


class RemedyEntry(models.Model):
    """One remedy decided for an order; money in integer minor units."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="remedies")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="remedies"
    )
    kind = models.CharField(max_length=24)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    idempotency_key = models.CharField(max_length=120)
    reason = models.CharField(max_length=300, blank=True, default="")
    reference = models.CharField(max_length=100, blank=True, default="")
    """What the customer uses or sees: a voucher code, a payment provider's refund id."""
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    """The new shipment of a reship."""
    customer_share_percent = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, default="recorded")
    """recorded (no money moves through parcelcare), pending (a payout runs), paid, failed."""
    return_request = models.ForeignKey(
        "returns.ReturnRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remedies",
    )
    actor_type = models.CharField(max_length=16)
    actor = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"], name="remedy_key"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="remedy_amount"),
        ]
        indexes = [
            models.Index(fields=["order"], name="remedy_order"),
            models.Index(fields=["shop", "created_at"], name="remedy_shop_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class OrderPayment(models.Model):
    """How an order was paid: the provider and its payment id, so a refund can go back there."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="payment")
    provider = models.CharField(max_length=16)
    reference = models.CharField(max_length=200)
    """Stripe payment intent, Mollie payment, PayPal capture, Shopify or WooCommerce order id."""

    def __str__(self) -> str:
        return f"{self.provider} payment of order {self.order_id}"


class PayoutAccount(models.Model):
    """A shop's credentials for paying refunds through one provider."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=16)
    secret = models.CharField(max_length=300)
    settings = models.JSONField(default=dict, blank=True)
    """Provider details that are not secret: a base URL, a client id, a store domain."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "provider"], name="payout_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider} for shop {self.shop_id}"


class Payout(models.Model):
    """Money a ledger entry sends back through a provider: claimed with a lease, retried,
    tracked to succeeded or failed; its idempotency key goes to the provider with every try."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        PENDING = "pending"
        RETRY = "retry"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField(RemedyEntry, on_delete=models.PROTECT, related_name="payout")
    provider = models.CharField(max_length=16)
    payment_reference = models.CharField(max_length=200)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    idempotency_key = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    provider_refund_id = models.CharField(max_length=200, blank=True, default="")
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"], name="payout_key"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="payout_due"),
            models.Index(fields=["provider", "provider_refund_id"], name="payout_provider_id"),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} {self.status}"

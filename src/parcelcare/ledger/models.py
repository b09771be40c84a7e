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
    actor_type = models.CharField(max_length=16)
    actor = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"], name="remedy_key"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="remedy_amount"),
        ]
        indexes = [models.Index(fields=["order"], name="remedy_order")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"

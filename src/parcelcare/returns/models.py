"""Return requests with their lines and photos, each shop's return settings, and feedback."""

import secrets

from django.db import models
from django.db.models import Q

from parcelcare.accounts.models import Shop
from parcelcare.domain.returns_policy import Resolution, ReturnReason, ReturnStatus
from parcelcare.tracking.models import Customer, Order, OrderLine, new_public_token

STATUSES = [(s.value, s.value) for s in ReturnStatus]
REASONS = [(r.value, r.value) for r in ReturnReason]
RESOLUTIONS = [(r.value, r.value) for r in Resolution]
RMA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_rma() -> str:
    """A short RMA number customers can read out and write on the parcel: RMA-XXXX-XXXX."""
    chars = "".join(secrets.choice(RMA_ALPHABET) for _ in range(8))
    return f"RMA-{chars[:4]}-{chars[4:]}"


class ReturnSettings(models.Model):
    """A shop's return policy (only what differs from the defaults), conditions and address."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="return_settings")
    policy = models.JSONField(default=dict, blank=True)
    conditions = models.TextField(max_length=2000, blank=True, default="")
    return_address = models.TextField(max_length=500, blank=True, default="")

    def __str__(self) -> str:
        return f"return settings of shop {self.shop_id}"


class ReturnRequest(models.Model):
    """One return: lines, reason, resolution, where it stands and the money the policy gives."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    rma = models.CharField(max_length=16, default=new_rma)
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    status = models.CharField(max_length=12, choices=STATUSES, default=ReturnStatus.REQUESTED)
    reason = models.CharField(max_length=20, choices=REASONS)
    resolution = models.CharField(max_length=16, choices=RESOLUTIONS)
    comment = models.TextField(max_length=2000, blank=True, default="")
    language = models.CharField(max_length=5, default="en")
    keep_item = models.BooleanField(default=False)
    goods_minor = models.BigIntegerField()
    restocking_fee_minor = models.BigIntegerField(default=0)
    return_shipping_minor = models.BigIntegerField(default=0)
    deduction_minor = models.BigIntegerField(default=0)
    """What inspection took off for damage or missing parts."""
    refund_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    window_closes_at = models.DateTimeField()
    return_carrier = models.CharField(max_length=32, blank=True, default="")
    return_tracking_number = models.CharField(max_length=64, blank=True, default="")
    decision_note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "rma"], name="return_shop_rma"),
            models.CheckConstraint(condition=Q(refund_minor__gte=0), name="return_refund_gte0"),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "created_at"], name="return_shop_status"),
            models.Index(fields=["shop", "return_tracking_number"], name="return_shop_tn"),
        ]

    def __str__(self) -> str:
        return self.rma


class ReturnLine(models.Model):
    """One order line sent back, and how many of it."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    unit_price = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class ReturnPhoto(models.Model):
    """A photo the customer sent with the request; kept in the database."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    uploaded_at = models.DateTimeField()
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"photo {self.pk} of return {self.request_id}"


class Feedback(models.Model):
    """A one-click survey after a refund or a resolved case: a score of 1-5 and a comment."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True, default=new_public_token)
    request = models.OneToOneField(
        ReturnRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=24, blank=True, default="")
    """The return reason or case kind, for results per reason."""
    carrier = models.CharField(max_length=32, blank=True, default="")
    language = models.CharField(max_length=5, default="en")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="feedback_score_1_5",
            )
        ]
        indexes = [models.Index(fields=["shop", "answered_at"], name="feedback_shop_answered")]

    def __str__(self) -> str:
        return f"feedback {self.pk}"

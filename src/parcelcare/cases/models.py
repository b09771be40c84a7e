"""Cases with their playbook steps, customer notes, photos, declarations and carrier claims."""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q

from parcelcare.accounts.models import Shop
from parcelcare.domain.cases import CaseKind, CaseStatus, Playbook
from parcelcare.domain.playbooks import Actor, StepState
from parcelcare.tracking.models import Customer, Finding, Order, Shipment, new_public_token

KIND_CHOICES = [(k.value, k.value) for k in CaseKind]
STATUS_CHOICES = [(s.value, s.value) for s in CaseStatus]
PLAYBOOK_CHOICES = [(p.value, p.value) for p in Playbook]


class DeskPolicy(models.Model):
    """A shop's case-desk settings: opening hours, SLA, remedy policy and claim overrides.

    JSON fields hold only what differs from the domain defaults."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="desk_policy")
    opens_at = models.TimeField(default=time(9))
    closes_at = models.TimeField(default=time(17))
    sla = models.JSONField(default=dict, blank=True)
    remedy = models.JSONField(default=dict, blank=True)
    claim_windows = models.JSONField(default=dict, blank=True)
    proactive = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"desk policy of shop {self.shop_id}"


class Case(models.Model):
    """A customer problem handled to the end, following one playbook."""

    class Source(models.TextChoices):
        AGENT = "agent"
        API = "api"
        CUSTOMER = "customer"
        PROACTIVE = "proactive"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="cases")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cases")
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.CASCADE, related_name="cases"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=KIND_CHOICES)
    playbook = models.CharField(max_length=1, choices=PLAYBOOK_CHOICES)
    status = models.CharField(max_length=24, choices=STATUS_CHOICES, default=CaseStatus.NEW)
    is_open = models.BooleanField(default=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    summary = models.CharField(max_length=500, blank=True, default="")
    language = models.CharField(max_length=5)
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    opened_at = models.DateTimeField()
    first_response_due = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    risk = models.JSONField(default=dict, blank=True)
    recommendation = models.JSONField(default=dict, blank=True)
    pod = models.JSONField(default=dict, blank=True)
    """Proof of delivery: requested_at, received_at, strength and what the carrier sent."""
    customer_choice = models.CharField(max_length=16, blank=True, default="")
    outcome = models.CharField(max_length=24, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shipment"], condition=Q(is_open=True), name="case_one_open_per_shipment"
            )
        ]
        indexes = [
            models.Index(fields=["shop", "is_open", "resolution_due"], name="case_queue"),
            models.Index(fields=["shop", "status"], name="case_shop_status"),
            models.Index(fields=["customer"], name="case_customer"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number a customer and an agent quote."""
        return f"C-{self.pk}"


class CaseStep(models.Model):
    """One checklist item of a case's playbook."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=32)
    actor = models.CharField(max_length=12, choices=[(a.value, a.value) for a in Actor])
    position = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=8, choices=[(s.value, s.value) for s in StepState], default=StepState.OPEN
    )
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.CharField(max_length=100, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="case_step_key")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class CaseNote(models.Model):
    """A message from the customer, or an agent's internal note, in the case's stream."""

    class Direction(models.TextChoices):
        INBOUND = "in"
        INTERNAL = "internal"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField()
    direction = models.CharField(max_length=8, choices=Direction.choices)
    author = models.CharField(max_length=100, blank=True, default="")
    channel = models.CharField(max_length=16, blank=True, default="")
    body = models.TextField()

    def __str__(self) -> str:
        return f"{self.direction} note on case {self.case_id}"


class Attachment(models.Model):
    """A photo the customer uploaded (damage, label, mailbox); kept in the database."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_at = models.DateTimeField()
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class Declaration(models.Model):
    """A customer's signed declaration that the parcel never reached them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="declarations")
    name = models.CharField(max_length=200)
    statement = models.TextField()
    language = models.CharField(max_length=5)
    signed_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")

    def __str__(self) -> str:
        return f"declaration on case {self.case_id}"


class CarrierClaim(models.Model):
    """A claim filed with the carrier: its window, reference, outcome and payout."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        FILED = "filed"
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        PAID = "paid"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    carrier = models.CharField(max_length=32)
    kind = models.CharField(max_length=12)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(max_length=100, blank=True, default="")
    opens_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    payout_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="claim_case_kind")]
        indexes = [models.Index(fields=["status", "deadline_at"], name="claim_deadline")]

    def __str__(self) -> str:
        return f"{self.kind} claim with {self.carrier}"

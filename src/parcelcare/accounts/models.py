"""Shops (tenants), their API keys and the append-only audit trail."""

from django.conf import settings
from django.db import models

from parcelcare.domain.detection import Thresholds

from .branding import HTTPS_URL, validate_carriers, validate_colour


class Shop(models.Model):
    """A webshop: the tenant every other row belongs to."""

    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="Europe/Amsterdam")
    country = models.CharField(max_length=2, default="NL")
    default_language = models.CharField(max_length=5, default="en")
    currency = models.CharField(max_length=3, default="EUR")
    contact_email = models.EmailField(blank=True, default="")
    """Where merchant notices go (labels not handed to the carrier, and the like)."""
    delayed_level1_days = models.PositiveSmallIntegerField(default=1)
    delayed_level2_days = models.PositiveSmallIntegerField(default=2)
    delayed_level3_days = models.PositiveSmallIntegerField(default=3)
    stalled_after_days = models.PositiveSmallIntegerField(default=3)
    likely_lost_after_days = models.PositiveSmallIntegerField(default=7)
    not_shipped_after_days = models.PositiveSmallIntegerField(default=2)
    pickup_hold_days = models.PositiveSmallIntegerField(default=7)
    lane_days = models.JSONField(default=dict, blank=True)
    """Business days from shipping to delivery per destination country ("*" for the rest),
    used when an order comes without a promised delivery date."""
    brand_colour = models.CharField(
        max_length=7, blank=True, default="", validators=[validate_colour]
    )
    logo_url = models.URLField(max_length=500, blank=True, default="", validators=[HTTPS_URL])
    sender_name = models.CharField(max_length=100, blank=True, default="")
    """The name e-mails come from; empty means the shop's name."""
    reply_to = models.EmailField(blank=True, default="")
    """Where customers' replies go; empty means the sender address."""
    signature = models.TextField(max_length=500, blank=True, default="")
    carrier_notifies = models.JSONField(default=list, blank=True, validators=[validate_carriers])
    """Carrier slugs that message the recipient themselves: parcelcare stays silent about
    what they already say (out for delivery, a missed attempt, waiting at a pickup point)."""
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name customers see as the sender of e-mails."""
        return self.sender_name.strip() or self.name

    def lane_business_days(self, country: str) -> int | None:
        """Promised business days for a destination country, or None when not configured."""
        lanes = self.lane_days or {}
        days = lanes.get(country.upper(), lanes.get("*"))
        return int(days) if days is not None else None

    def thresholds(self) -> Thresholds:
        """The shop's detection thresholds as the domain value."""
        return Thresholds(
            delayed_levels=(
                self.delayed_level1_days,
                self.delayed_level2_days,
                self.delayed_level3_days,
            ),
            stalled_after=self.stalled_after_days,
            likely_lost_after=self.likely_lost_after_days,
            not_shipped_after=self.not_shipped_after_days,
            pickup_hold_calendar_days=self.pickup_hold_days,
        )


class Membership(models.Model):
    """A person's role in a shop: owner (everything), agent (handles customers), viewer (reads)."""

    class Role(models.TextChoices):
        OWNER = "owner"
        AGENT = "agent"
        VIEWER = "viewer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.AGENT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="membership_user_shop")
        ]

    def __str__(self) -> str:
        return f"{self.role} of shop {self.shop_id}"


class ApiKey(models.Model):
    """A shop's API key; only a hash of the secret is stored."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, default="default")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Connection(models.Model):
    """How a shop is linked to one webhook source: its signing secrets and settings.

    During a rotation the previous secret stays valid until `previous_valid_until`."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="connections")
    source = models.CharField(max_length=32)
    secret = models.CharField(max_length=200)
    previous_secret = models.CharField(max_length=200, blank=True, default="")
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "source"], name="connection_shop_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} for shop {self.shop_id}"


class AuditEntry(models.Model):
    """One append-only record of who changed what, before and after."""

    class Actor(models.TextChoices):
        AGENT = "agent"
        CUSTOMER = "customer"
        SYSTEM = "system"
        INTEGRATION = "integration"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    actor_type = models.CharField(max_length=16, choices=Actor.choices)
    actor = models.CharField(max_length=100, blank=True, default="")
    subject_type = models.CharField(max_length=32)
    subject_id = models.BigIntegerField()
    action = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["shop", "subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.action}"


class ThrottleWindow(models.Model):
    """Attempts counted for one hashed key in one fixed time window of a named limit."""

    name = models.CharField(max_length=32)
    digest = models.CharField(max_length=32)
    """A hash of what is counted (client address, account, link): never the value in clear."""
    slot = models.BigIntegerField()
    """The window's number: its start in Unix seconds divided by its length."""
    hits = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField()
    """Unix seconds after which the row may be pruned."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "digest", "slot"], name="throttle_window_key")
        ]
        indexes = [models.Index(fields=["expires"], name="throttle_expires")]

    def __str__(self) -> str:
        return f"{self.name}#{self.slot}: {self.hits}"

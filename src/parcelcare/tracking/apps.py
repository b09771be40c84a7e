"""App config for tracking."""

from django.apps import AppConfig


class TrackingConfig(AppConfig):
    """Orders, shipments, tracking events and findings."""

    name = "parcelcare.tracking"
    label = "tracking"
    default_auto_field = "django.db.models.BigAutoField"

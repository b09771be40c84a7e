"""App config for returns."""

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Return requests, their lines and photos, the shop's return settings, feedback."""

    name = "parcelcare.returns"
    label = "returns"
    default_auto_field = "django.db.models.BigAutoField"

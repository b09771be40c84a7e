"""App config for the remedy ledger."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """Remedy ledger entries."""

    name = "parcelcare.ledger"
    label = "ledger"
    default_auto_field = "django.db.models.BigAutoField"

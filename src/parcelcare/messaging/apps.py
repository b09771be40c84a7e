"""App config for messaging."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """The outbox of customer, merchant and agent messages."""

    name = "parcelcare.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

"""App config for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Shops, API keys and audit entries."""

    name = "parcelcare.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

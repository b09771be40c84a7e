"""App config for cases."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Cases, playbook steps, declarations, carrier claims and dossiers."""

    name = "parcelcare.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

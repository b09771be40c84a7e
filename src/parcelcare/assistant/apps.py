from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The auto-responder: inbound messages, answers from tracking facts, drafts for agents."""

    name = "parcelcare.assistant"
    label = "assistant"
    default_auto_field = "django.db.models.BigAutoField"

"""The assistant's routes: inbound webhooks, the tracking page's contact form, agent drafts."""

from django.urls import path

from . import contact_views, inbound_views, views

urlpatterns = [
    path(
        "webhooks/inbound/mailgun/<int:shop_id>",
        inbound_views.mailgun_inbound,
        name="inbound_mailgun",
    ),
    path(
        "webhooks/inbound/whatsapp/<int:shop_id>",
        inbound_views.whatsapp_inbound,
        name="inbound_whatsapp",
    ),
    path("t/<str:token>/ask", contact_views.ask, name="public_ask"),
    path("assistant/", views.drafts, name="assistant_drafts"),
    path("assistant/<int:message_id>/", views.draft_action, name="assistant_draft_action"),
    path("assistant/settings/", views.assistant_settings, name="assistant_settings"),
]

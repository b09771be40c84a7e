"""Agent pages of the messaging app, its settings pages, opt-out links and delivery reports."""

from django.urls import path

from . import report_views, settings_views, unsubscribe, views

SLOT = "settings/messages/<slug:kind>/<slug:channel>/<slug:language>/"

urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:message_id>/", views.outbox_message, name="outbox_message"),
    path("settings/messages/", settings_views.message_list, name="message_settings"),
    path(SLOT, settings_views.message_edit, name="message_edit"),
    path(f"{SLOT}preview", settings_views.message_preview, name="message_preview"),
    path(f"{SLOT}test", settings_views.message_test, name="message_test"),
    path("u/<str:token>", unsubscribe.unsubscribe, name="unsubscribe"),
    path(
        "webhooks/reports/<slug:provider>/<int:shop_id>",
        report_views.receive_report,
        name="delivery_report",
    ),
]

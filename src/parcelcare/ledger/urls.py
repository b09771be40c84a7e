"""The ledger's agent pages."""

from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger/export.csv", views.ledger_csv, name="ledger_csv"),
    path(
        "webhooks/payouts/<slug:provider>/<int:shop_id>",
        webhooks.payout_webhook,
        name="payout_webhook",
    ),
]

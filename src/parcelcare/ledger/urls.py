"""The ledger's agent pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger/export.csv", views.ledger_csv, name="ledger_csv"),
]

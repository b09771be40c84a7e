"""The agent pages' dossier download (until the case desk's own URL map takes this line)."""

from django.urls import path

from . import dossier_views

urlpatterns = [
    path("cases/<int:case_id>/dossier.pdf", dossier_views.dossier_pdf, name="case_dossier_pdf"),
]

"""URL map: JSON API under /api/v1/, agent pages, admin."""

from django.contrib import admin
from django.urls import include, path

from parcelcare.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("parcelcare.accounts.urls")),
    path("", include("parcelcare.messaging.urls")),
    path("", include("parcelcare.tracking.urls")),
    path("", include("parcelcare.cases.urls")),
    path("", include("parcelcare.cases.dossier_urls")),
    path("", include("parcelcare.returns.urls")),
    path("", include("parcelcare.ledger.urls")),
    path("", include("parcelcare.assistant.urls")),
]

"""Settings pages of the accounts app."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/branding/", views.branding, name="branding"),
]

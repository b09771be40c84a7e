"""Agent pages of the messaging app."""

from django.urls import path

from . import unsubscribe, views

urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:message_id>/", views.outbox_message, name="outbox_message"),
    path("u/<str:token>", unsubscribe.unsubscribe, name="unsubscribe"),
]

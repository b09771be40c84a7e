"""Pages of returns: the customer's portal, status page and survey; the agent's returns desk
and the ledger."""

from django.urls import path

from . import feedback_views, portal_views

urlpatterns = [
    path("r/<int:shop_id>", portal_views.portal_lookup, name="return_lookup"),
    path("r/<int:shop_id>/new", portal_views.portal_start, name="return_start"),
    path("t/<str:token>/return", portal_views.from_tracking, name="return_from_tracking"),
    path("rs/<str:token>", portal_views.return_status, name="return_status"),
    path("f/<str:token>", feedback_views.survey, name="feedback"),
]

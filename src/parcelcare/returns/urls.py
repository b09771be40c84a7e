"""Pages of returns: the customer's portal, status page and survey; the agent's returns desk
and the ledger."""

from django.urls import path

from . import desk_views, feedback_views, portal_views, settings_views

urlpatterns = [
    path("r/<int:shop_id>", portal_views.portal_lookup, name="return_lookup"),
    path("r/<int:shop_id>/new", portal_views.portal_start, name="return_start"),
    path("t/<str:token>/return", portal_views.from_tracking, name="return_from_tracking"),
    path("rs/<str:token>", portal_views.return_status, name="return_status"),
    path("f/<str:token>", feedback_views.survey, name="feedback"),
    path("returns/", desk_views.inbox, name="return_list"),
    path("settings/returns/", settings_views.return_settings, name="return_settings"),
    path("returns/<int:return_id>/", desk_views.detail, name="return_detail"),
    path("returns/<int:return_id>/photos/<int:photo_id>", desk_views.photo, name="return_photo"),
    path("returns/<int:return_id>/<slug:name>", desk_views.action, name="return_action"),
]

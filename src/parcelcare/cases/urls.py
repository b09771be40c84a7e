"""Pages of the case desk (agents) and of the customer's case (by its link)."""

from django.urls import path

from . import action_views, customer_views, settings_views, views

urlpatterns = [
    path("cases/", views.inbox, name="case_list"),
    path("cases/new", views.new_case, name="case_new"),
    path("settings/desk/", settings_views.desk_settings, name="desk_settings"),
    path("cases/<int:case_id>/", views.case_page, name="case_detail"),
    path("cases/<int:case_id>/photos/<int:photo_id>", views.case_photo, name="case_photo"),
    # cases/<id>/dossier.pdf is in dossier_urls.py; "dossier.pdf" is no slug, so no action.
    path("cases/<int:case_id>/<slug:action>", action_views.case_action, name="case_action"),
    path("t/<str:token>/report", customer_views.report, name="public_report"),
    path("c/<str:token>", customer_views.case_page, name="public_case"),
    path("c/<str:token>/<slug:action>", customer_views.case_answer, name="public_case_answer"),
]

"""Agent pages of the tracking app, login and logout, and the language switch."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("shipments/", views.shipment_list, name="shipment_list"),
    path("shipments/<int:shipment_id>/", views.shipment_view, name="shipment_detail"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="tracking/login.html",
            redirect_authenticated_user=True,
            next_page="shipment_list",
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]

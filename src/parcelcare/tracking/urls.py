"""Agent pages of the tracking app, login and logout, and the language switch."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from parcelcare.accounts.login_views import ThrottledLoginView

from . import inbox_views, public_consent, public_views, views
from .webhook_views import receive_webhook

urlpatterns = [
    path("", views.home, name="home"),
    path("shipments/", views.shipment_list, name="shipment_list"),
    path("shipments/<int:shipment_id>/", views.shipment_view, name="shipment_detail"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("inbox/", inbox_views.inbox_list, name="inbox"),
    path("inbox/<int:item_id>/replay/", inbox_views.inbox_replay, name="inbox_replay"),
    path("webhooks/<slug:source>/<int:shop_id>", receive_webhook, name="webhook"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("t/<str:token>", public_views.tracking_page, name="public_tracking"),
    path("t/<str:token>/updates", public_consent.updates, name="public_updates"),
    path("track/<int:shop_id>", public_views.lookup, name="public_lookup"),
]

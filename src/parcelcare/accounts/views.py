"""The branding settings page: owners change the shop's brand, everyone else reads it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.tracking.views import agent_page, is_owner

from .branding import brand_of
from .forms import BRANDING_FIELDS, BrandingForm
from .models import Shop
from .services import update_branding


@require_http_methods(["GET", "HEAD", "POST"])
@agent_page
def branding(request: HttpRequest, shop: Shop) -> HttpResponse:
    """GET shows the brand; POST saves it for owners (403 for agents and viewers)."""
    owner = is_owner(request.user, shop)
    if request.method == "POST" and not owner:
        return HttpResponse(status=403)
    # The form works on its own copy: validating fills the instance, the audit needs the old one.
    copy = Shop.objects.get(pk=shop.pk)
    form = BrandingForm(request.POST if request.method == "POST" else None, instance=copy)
    if not owner:
        for field in form.fields.values():
            field.disabled = True
    if form.is_bound and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in BRANDING_FIELDS}
        update_branding(
            shop=shop, changes=changes, actor=request.user.get_username(), now=clock.now()
        )
        messages.success(request, _("Saved. Messages and tracking pages use the new brand."))
        return redirect("branding")
    context = {"shop": shop, "form": form, "may_edit": owner, "brand": brand_of(shop)}
    return render(request, "accounts/branding.html", context, status=400 if form.is_bound else 200)

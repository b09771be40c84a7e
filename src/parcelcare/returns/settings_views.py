"""The owner's return settings page (/settings/returns/): the policy, conditions and return
address; agents and viewers read it. A value the policy refuses is shown, nothing is saved."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.domain.returns_policy import ReturnError, ReturnPolicy
from parcelcare.tracking.views import agent_page, is_owner

from . import words
from .desk_views import minor_units
from .models import ReturnSettings
from .order_facts import policy_of
from .settings import save_settings


def _skus(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


class ReturnSettingsForm(forms.Form):
    """The policy's values as an owner types them; amounts as 4.95."""

    window_days = forms.IntegerField(
        label=gettext_lazy("Return window (days after delivery)"), min_value=1, max_value=365
    )
    customer_pays = forms.MultipleChoiceField(
        label=gettext_lazy("The customer pays return postage when the reason is"),
        choices=list(words.REASONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    return_shipping = forms.CharField(
        label=gettext_lazy("Return postage deducted (e.g. 4.95)"), required=False, max_length=12
    )
    restocking_fee_percent = forms.IntegerField(
        label=gettext_lazy("Restocking fee (%)"), min_value=0, max_value=100
    )
    resolutions = forms.MultipleChoiceField(
        label=gettext_lazy("Customers may ask for"),
        choices=list(words.RESOLUTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    non_returnable_skus = forms.CharField(
        label=gettext_lazy("SKUs that cannot be returned"), required=False, max_length=2000
    )
    keep_below = forms.CharField(
        label=gettext_lazy("Customers keep the item when the return is worth less than"),
        required=False,
        max_length=12,
    )
    keep_skus = forms.CharField(
        label=gettext_lazy("Customers always keep these SKUs"), required=False, max_length=2000
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions shown on the return form"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    return_address = forms.CharField(
        label=gettext_lazy("Return address"), required=False, max_length=500, widget=forms.Textarea
    )

    def policy(self) -> ReturnPolicy:
        """The policy the cleaned values describe; ReturnError or ValueError when they cannot."""
        data = self.cleaned_data
        return ReturnPolicy.from_dict(
            {
                "window_days": data["window_days"],
                "customer_pays": data["customer_pays"],
                "return_shipping_minor": minor_units(data["return_shipping"]) or 0,
                "restocking_fee_percent": data["restocking_fee_percent"],
                "resolutions": data["resolutions"],
                "non_returnable_skus": _skus(data["non_returnable_skus"]),
                "keep_below_minor": minor_units(data["keep_below"]) or 0,
                "keep_skus": _skus(data["keep_skus"]),
            }
        )


def _initial(shop: Shop) -> dict[str, object]:
    policy = policy_of(shop.id)
    found = ReturnSettings.objects.filter(shop=shop).first()
    return {
        "window_days": policy.window_days,
        "customer_pays": sorted(policy.customer_pays),
        "return_shipping": _money(policy.return_shipping_minor),
        "restocking_fee_percent": policy.restocking_fee_percent,
        "resolutions": sorted(policy.resolutions),
        "non_returnable_skus": " ".join(sorted(policy.non_returnable_skus)),
        "keep_below": _money(policy.keep_below_minor),
        "keep_skus": " ".join(sorted(policy.keep_skus)),
        "conditions": found.conditions if found else "",
        "return_address": found.return_address if found else "",
    }


@require_http_methods(["GET", "HEAD", "POST"])
@agent_page
def return_settings(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Show the settings; owners save them."""
    owner = is_owner(request.user, shop)
    form = ReturnSettingsForm(initial=_initial(shop))
    status, error = 200, ""
    if request.method == "POST":
        if not owner:
            return HttpResponse(_("Only owners change the return policy."), status=403)
        form = ReturnSettingsForm(request.POST)
        if form.is_valid():
            try:
                policy = form.policy()
            except ValueError:
                error, status = _("Write amounts like 4.95."), 400
            except ReturnError as refused:
                error, status = str(refused), 400
            else:
                save_settings(
                    shop_id=shop.id,
                    policy=policy,
                    conditions=form.cleaned_data["conditions"],
                    return_address=form.cleaned_data["return_address"],
                    actor_type="agent",
                    actor=request.user.get_username(),
                    now=clock.now(),
                )
                messages.success(request, _("Return settings saved."))
                return redirect("return_settings")
        else:
            status = 400
    context = {"shop": shop, "form": form, "owner": owner, "error": error}
    return render(request, "returns/settings.html", context, status=status)

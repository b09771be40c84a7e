"""The branding form: colour, logo, sender name, Reply-To, signature, carriers that notify."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcelcare.integrations.carriers.registry import CARRIERS
from parcelcare.integrations.sources import SOURCES

from .branding import HTTPS_URL
from .models import Shop

BRANDING_FIELDS = (
    "brand_colour",
    "logo_url",
    "sender_name",
    "reply_to",
    "signature",
    "carrier_notifies",
)


def _carriers() -> list[tuple[str, str]]:
    """Every known carrier by name; aggregators (webhook sources) carry no parcels themselves."""
    found = [(slug, info.name) for slug, info in CARRIERS.items() if slug not in SOURCES]
    return sorted(found, key=lambda choice: choice[1].lower())


class BrandingForm(forms.ModelForm):
    """A shop's brand as its owner edits it; the model's validators have the last word."""

    logo_url = forms.URLField(
        label=_("Logo address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[HTTPS_URL],
        help_text=_("An https:// address of a PNG or SVG, shown about 40 pixels high."),
    )
    carrier_notifies = forms.MultipleChoiceField(
        label=_("Carriers that message customers themselves"),
        required=False,
        choices=_carriers,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For these carriers parcelcare says nothing about being out for delivery, a missed "
            "delivery or a parcel waiting at a pickup point: the carrier already does."
        ),
    )

    class Meta:
        model = Shop
        fields = BRANDING_FIELDS
        labels = {
            "brand_colour": _("Brand colour"),
            "sender_name": _("Sender name"),
            "reply_to": _("Reply-To address"),
            "signature": _("Signature"),
        }
        help_texts = {
            "brand_colour": _("As #rrggbb, for example #2f6f4f: the header and buttons."),
            "sender_name": _("The name e-mails come from; empty uses the shop's name."),
            "reply_to": _("Where customers' replies go; empty sends them to the sender address."),
            "signature": _("Under every message; empty signs with the sender and shop name."),
        }
        widgets = {
            "brand_colour": forms.TextInput(attrs={"placeholder": "#2f6f4f", "size": 8}),
            "signature": forms.Textarea(attrs={"rows": 3}),
        }

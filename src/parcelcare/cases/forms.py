"""Forms of the case desk and the customer's case page: input checks only, no case rules."""

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from parcelcare.domain.cases import CaseKind
from parcelcare.domain.risk import PodStrength

from . import labels
from .customer import CHECKS, MAX_PHOTOS, Upload

PROBLEMS = ("not_received", "damaged", "wrong_item")
"""What a customer can report from the tracking page."""
PROBLEM_KINDS = {
    "not_received": CaseKind.NOT_RECEIVED,
    "damaged": CaseKind.DAMAGED_OR_WRONG_ITEM,
    "wrong_item": CaseKind.DAMAGED_OR_WRONG_ITEM,
}
DESK_REMEDIES = ("reship", "refund", "partial_refund", "voucher")


def minor_units(text: str, currency: str) -> int:
    """'12,50' or '12.50' as minor units of `currency`; ValueError when it is not an amount."""
    cleaned = "".join(c for c in text.strip() if c.isdigit() or c in ",.-")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    try:
        amount = Decimal(cleaned).scaleb(get_currency_precision(currency))
    except InvalidOperation as error:
        raise ValueError(text) from error
    if amount != amount.to_integral_value():
        raise ValueError(text)
    return int(amount)


class MoneyForm(forms.Form):
    """A form whose amount fields read major units of the order's currency."""

    def __init__(self, *args: Any, currency: str = "EUR", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, AmountField):
                field.currency = currency


class AmountField(forms.CharField):
    """An amount typed in major units ('12,50'); cleaned to minor units of the form's currency."""

    currency = "EUR"

    def clean(self, value: Any) -> int | None:
        """Minor units, or None when the field was left empty."""
        text = super().clean(value)
        if not text:
            return None
        try:
            amount = minor_units(text, self.currency)
        except ValueError:
            raise forms.ValidationError(_("Enter an amount such as 12.50.")) from None
        if amount < 0:
            raise forms.ValidationError(_("Enter an amount of zero or more."))
        return amount


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the customer pick several photos at once."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several image files; the case service checks that each really is a photo."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        """The uploads as the service takes them."""
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise forms.ValidationError(_("Choose at least one photo."))
        if len(files) > MAX_PHOTOS:
            limit = {"count": MAX_PHOTOS}
            raise forms.ValidationError(_("Send at most %(count)s photos.") % limit)
        return [_upload(super(PhotosField, self).clean(f, initial)) for f in files]


def _upload(file: UploadedFile) -> Upload:
    return Upload(filename=file.name or "photo", data=file.read())


# --- the desk ------------------------------------------------------------------------------


def kind_choices() -> list[tuple[str, str]]:
    """Case kinds with their labels in the active language."""
    return [(kind.value, labels.kind_label(kind)) for kind in CaseKind]


class NewCaseForm(forms.Form):
    """An agent opens a case for an order number."""

    order_number = forms.CharField(label=_("Order number"), max_length=64)
    kind = forms.ChoiceField(label=_("What is it about?"), choices=kind_choices)
    summary = forms.CharField(
        label=_("Summary (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TextForm(forms.Form):
    """A reply to the customer, or an internal note."""

    body = forms.CharField(max_length=10_000, strip=True)


class StepForm(forms.Form):
    """Mark a checklist step done, or skip it."""

    key = forms.CharField(max_length=32)
    skip = forms.BooleanField(required=False)


class PodForm(forms.Form):
    """What the carrier sent as proof of delivery."""

    strength = forms.ChoiceField(choices=[(s.value, s.value) for s in PodStrength])
    detail = forms.CharField(max_length=2000, required=False)


class ClaimForm(forms.Form):
    """The reference of a claim filed with the carrier."""

    reference = forms.CharField(max_length=100)


class OutcomeForm(MoneyForm):
    """The carrier's answer to a claim."""

    accepted = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=str)
    payout = AmountField(max_length=20, required=False)


class RemedyForm(MoneyForm):
    """One remedy button: its kind, amount and idempotency key (one per rendered form)."""

    kind = forms.ChoiceField(choices=[(k, k) for k in DESK_REMEDIES])
    key = forms.CharField(max_length=100)
    amount_minor = forms.IntegerField(required=False, min_value=0)
    amount = AmountField(max_length=20, required=False)
    carrier = forms.CharField(max_length=32, required=False)
    tracking_number = forms.CharField(max_length=64, required=False)
    share = forms.IntegerField(required=False, min_value=0, max_value=100)
    code = forms.CharField(max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        """A partial refund needs a typed amount; the others bring theirs."""
        data = super().clean() or {}
        typed = data.get("amount")
        amount = typed if data.get("kind") == "partial_refund" else data.get("amount_minor")
        if data.get("kind") != "reship" and not amount:
            raise forms.ValidationError(_("Enter the amount."))
        data["minor"] = amount or 0
        return data


class DenyForm(forms.Form):
    """Decline the claim; the reason stays in the audit trail."""

    reason = forms.CharField(max_length=300, required=False)


class ReopenForm(forms.Form):
    """Why a closed case is taken up again."""

    why = forms.CharField(max_length=300, required=False)


# --- the customer --------------------------------------------------------------------------


class ReportForm(forms.Form):
    """A problem reported from the tracking page."""

    problem = forms.ChoiceField(choices=[(p, p) for p in PROBLEMS])
    message = forms.CharField(
        label=_("Tell us what happened"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(label=_("Photos (optional)"), required=False)


class ChecksForm(forms.Form):
    """The places the customer looked in before saying the parcel never came."""

    checks = forms.MultipleChoiceField(
        choices=[(c, c) for c in CHECKS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick every place you checked.")},
    )
    note = forms.CharField(max_length=1000, required=False, widget=forms.Textarea)

    def clean_checks(self) -> list[str]:
        """Every check must be ticked before the case can go on."""
        ticked = self.cleaned_data["checks"]
        if set(ticked) != set(CHECKS):
            raise forms.ValidationError(_("Please tick every place you checked."))
        return list(ticked)


class DeclarationForm(forms.Form):
    """The customer's full name and their agreement to the statement."""

    name = forms.CharField(label=_("Your full name"), min_length=2, max_length=200)
    agree = forms.BooleanField(
        label=_("I declare this is true"),
        error_messages={"required": _("Tick the box to sign the declaration.")},
    )


class PhotosForm(forms.Form):
    """Photos of the parcel, its label and its contents."""

    photos = PhotosField(label=_("Photos"))


class ChoiceForm(forms.Form):
    """A new parcel or the money back."""

    choice = forms.ChoiceField(
        choices=[("reship", "reship"), ("refund", "refund")],
        error_messages={"required": _("Choose a new parcel or a refund.")},
    )


class AddressForm(forms.Form):
    """The address is right, here is the right one, or a pickup point."""

    answer = forms.ChoiceField(
        choices=[("correct", "correct"), ("new", "new"), ("pickup", "pickup")],
        error_messages={"required": _("Choose one of the options.")},
    )
    new_address = forms.CharField(max_length=500, required=False, widget=forms.Textarea)
    pickup_point = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        """A new address or a pickup point needs its text."""
        data = super().clean() or {}
        answer = data.get("answer")
        if answer == "new" and not data.get("new_address", "").strip():
            self.add_error("new_address", _("Write the right address."))
        if answer == "pickup" and not data.get("pickup_point", "").strip():
            self.add_error("pickup_point", _("Name the pickup point."))
        return data


class MessageForm(forms.Form):
    """A message from the customer to the shop."""

    body = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea)

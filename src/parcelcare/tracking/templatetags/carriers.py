"""`{{ slug|carrier_name }}`: a carrier's name in templates that only have its slug."""

from django import template

from parcelcare.integrations.carriers import names

register = template.Library()


@register.filter
def carrier_name(slug: str) -> str:
    """The carrier's display name."""
    return names.carrier_name(str(slug or ""))

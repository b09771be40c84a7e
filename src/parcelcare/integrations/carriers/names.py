"""Carrier names as people know them: the one lookup for pages, messages and documents."""

from .registry import CARRIERS

DISPLAY_NAMES: dict[str, str] = {
    "shopify": "Shopify",
    # Carriers that reach parcelcare through an aggregator, polling or a shop's own slug.
    "seventeentrack": "17TRACK",
    "dhl_parcel_nl": "DHL eCommerce",
    "dhl_parcel_de": "DHL Paket",
    "dhl_express": "DHL Express",
    "dhl_universal": "DHL",
    "deutsche_post": "Deutsche Post",
    "la_poste": "La Poste",
    "laposte": "La Poste",
    "chronopost": "Chronopost",
    "mondial_relay": "Mondial Relay",
    "colis_prive": "Colis Privé",
    "hermes": "Hermes",
    "dpd_nl": "DPD",
    "gls_nl": "GLS",
    "fedex": "FedEx",
    "tnt": "TNT",
    "usps": "USPS",
    "royal_mail": "Royal Mail",
    "canadapost": "Canada Post",
    "australiapost": "Australia Post",
    "asendia": "Asendia",
    "homerr": "Homerr",
    "budbee": "Budbee",
    "trunkrs": "Trunkrs",
}
"""Names beyond the registry's, and the registry's names that read badly as a carrier."""


def carrier_name(slug: str) -> str:
    """The name a customer knows a carrier by; a slug nobody named is tidied, never hidden."""
    key = (slug or "").strip()
    if key.lower() in DISPLAY_NAMES:
        return DISPLAY_NAMES[key.lower()]
    info = CARRIERS.get(key.lower())
    if info is not None:
        return info.name
    if key and key == key.lower():
        # A slug such as "colis_prive" or "post-at": words, first letter raised.
        return key.replace("_", " ").replace("-", " ").capitalize()
    return key

"""The explicit list of payout providers and how each is built from a shop's account."""

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import httpx

from .base import PayoutProvider
from .mollie import MolliePayouts
from .paypal import PayPalPayouts
from .shopify import ShopifyPayouts
from .stripe import StripePayouts
from .woocommerce import WooCommercePayouts

Builder = Callable[[httpx.Client, str, Mapping[str, Any]], PayoutProvider]


def _base(settings: Mapping[str, Any], default: str) -> str:
    return str(settings.get("base_url") or default).rstrip("/")


BUILDERS: Mapping[str, Builder] = MappingProxyType(
    {
        "stripe": lambda c, secret, s: StripePayouts(c, secret, _base(s, "https://api.stripe.com")),
        "mollie": lambda c, secret, s: MolliePayouts(c, secret, _base(s, "https://api.mollie.com")),
        "paypal": lambda c, secret, s: PayPalPayouts(
            c, str(s.get("client_id", "")), secret, _base(s, "https://api-m.paypal.com")
        ),
        "woocommerce": lambda c, secret, s: WooCommercePayouts(
            c, str(s.get("store_url", "")), str(s.get("consumer_key", "")), secret
        ),
        "shopify": lambda c, secret, s: ShopifyPayouts(c, str(s.get("store_domain", "")), secret),
    }
)
PROVIDERS = tuple(BUILDERS)


def build(
    provider: str, *, client: httpx.Client, secret: str, settings: Mapping[str, Any]
) -> PayoutProvider:
    """The provider's payout client; an unknown provider is a KeyError with its name."""
    return BUILDERS[provider](client, secret, settings)

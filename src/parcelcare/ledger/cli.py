"""`parcelcare shop payout`: the credentials refunds are paid out with, per shop and provider."""

import json
from typing import Annotated

import typer


def shop_payout(
    shop: Annotated[int, typer.Option(help="Shop id.")],
    provider: Annotated[str, typer.Option(help="stripe, mollie, paypal, woocommerce or shopify.")],
    secret: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="API key, secret or access token.")
    ],
    setting: Annotated[
        list[str] | None,
        typer.Option(
            help="key=value: client_id (PayPal), store_url and consumer_key "
            "(WooCommerce), store_domain (Shopify), webhook_secret (Stripe)."
        ),
    ] = None,
) -> None:
    """Set or replace a shop's payout account; refunds of its orders then go through it."""
    from parcelcare.cli import fail, migrate_db, setup

    setup()
    migrate_db()
    from parcelcare import clock
    from parcelcare.accounts.audit import record
    from parcelcare.accounts.models import Shop
    from parcelcare.integrations.payments.registry import PROVIDERS
    from parcelcare.ledger.models import PayoutAccount

    if provider not in PROVIDERS:
        fail(f"--provider must be one of {', '.join(PROVIDERS)}")
    if not Shop.objects.filter(pk=shop).exists():
        fail(f"no shop {shop}")
    pairs = [item.split("=", 1) for item in setting or []]
    if any(len(pair) != 2 or not pair[0] for pair in pairs):
        fail("--setting takes key=value")
    account, _ = PayoutAccount.objects.update_or_create(
        shop_id=shop, provider=provider, defaults={"secret": secret, "settings": dict(pairs)}
    )
    record(
        shop_id=shop,
        at=clock.now(),
        actor_type="system",
        actor="cli",
        subject_type="payout_account",
        subject_id=account.pk,
        action="payout.connect",
        after={"provider": provider, "settings": sorted(dict(pairs))},
    )
    typer.echo(json.dumps({"shop_id": shop, "provider": provider, "settings": sorted(dict(pairs))}))

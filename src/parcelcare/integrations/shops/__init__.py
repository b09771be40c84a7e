"""Shop platforms: Shopify and WooCommerce webhooks verified and mapped to plain order dicts.

`shopify.py`, `woocommerce.py`: webhook sources; `woocommerce_client.py`: the catch-up poll.
"""

"""Shopify fulfillment events as a tracking source (slug `shopify`).

`codes.py` maps the event statuses, `parse.py` reads one event; webhooks live in shops/.
"""

"""The demo: a simulated webshop with a month of orders, parcels and carrier events.

Pure and seeded, so the same seed and clock always give the same shop; no Django inside.
"""

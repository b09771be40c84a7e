"""Sendcloud shipping platform adapter.

`codes.py` maps its parcel status ids, `parse.py` reads status changes, `webhook.py` verifies.
"""

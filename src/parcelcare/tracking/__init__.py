"""Customers, orders, shipments, their carrier events and the findings detection made.

Ingest, review and the read API live here.
"""

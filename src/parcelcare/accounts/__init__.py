"""Tenants and access: shops, their API keys and the append-only audit trail.

Every other app scopes its rows by a shop from here.
"""

"""Polling carriers that only answer on request: karrio's connectors or our httpx clients.

`client.fetch` returns each carrier's raw answer per tracking number for our own parsers.
"""

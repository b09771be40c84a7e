"""Carrier adapters: one folder per carrier with its raw event code table and parsers.

`registry.py` lists every supported carrier and maps its raw codes to status and reason.
"""

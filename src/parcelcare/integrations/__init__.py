"""The outside world: carriers, shops and message channels, mapped to the shared vocabulary.

Parsers here are pure and Django-free; HTTP clients and webhooks sit beside them per integration.
"""

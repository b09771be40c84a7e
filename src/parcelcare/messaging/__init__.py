"""Customer and merchant messages: rendering from templates per kind, language and channel.

The outbox, sending with the shop's brand and own texts, and delivery reports live here too.
"""

"""Customer and merchant messages: rendering from templates per kind, language and channel.

The outbox, preferences and the tracking page live here too; `render` turns a context into text.
"""

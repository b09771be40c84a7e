"""Message channels: e-mail over SMTP, SMS through Twilio or Bird, WhatsApp Cloud API, memory.

Each sends one rendered OutgoingMessage; reports.py verifies and reads what comes back by webhook.
"""

"""Message channels: e-mail over SMTP, SMS through Twilio or Bird, WhatsApp Cloud API, memory.

Each sends one rendered OutgoingMessage; reports.py and bounces.py read what comes back, and
report_sources.py makes those webhook sources for the inbox.
"""

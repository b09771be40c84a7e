"""Customer messages coming in: Mailgun inbound routes, WhatsApp Cloud messages, IMAP mailboxes.

Each adapter verifies and reads its wire format into plain InboundEmail / InboundChat values."""

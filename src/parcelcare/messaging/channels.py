"""The channels this deployment sends with, from settings: SMTP when configured, else memory."""

from functools import cache
from urllib.parse import unquote, urlsplit

from django.conf import settings

from parcelcare.integrations.channels.base import Channel
from parcelcare.integrations.channels.email import SmtpEmail, SmtpSettings
from parcelcare.integrations.channels.memory import MemoryChannel

SECURITY = {"smtp": "starttls", "smtps": "ssl", "smtp+plain": "plain"}


def smtp_settings(url: str, sender: str) -> SmtpSettings:
    """SmtpSettings from smtp://user:pass@host:port (starttls), smtps:// or smtp+plain://."""
    parts = urlsplit(url)
    if parts.scheme not in SECURITY or not parts.hostname:
        raise ValueError("PARCELCARE_SMTP_URL must look like smtp://user:password@host:587")
    security = SECURITY[parts.scheme]
    default_port = {"starttls": 587, "ssl": 465, "plain": 25}[security]
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,  # type: ignore[arg-type]
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        sender=sender,
    )


@cache
def memory() -> MemoryChannel:
    """The in-process e-mail channel used when no SMTP server is configured."""
    return MemoryChannel("email")


def configured() -> dict[str, Channel]:
    """Channel name -> sender; SMS and WhatsApp need a provider before anything is sent."""
    if settings.SMTP_URL:
        return {"email": SmtpEmail(smtp_settings(settings.SMTP_URL, settings.MAIL_FROM))}
    return {"email": memory()}

"""The channels this deployment sends with, from settings: SMTP when configured, else memory."""

from functools import cache
from urllib.parse import unquote, urlsplit

from django.conf import settings

from parcelcare.integrations.channels.base import Channel
from parcelcare.integrations.channels.email import SmtpEmail, SmtpSettings
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.integrations.channels.sms_bird import BirdSettings, BirdSms
from parcelcare.integrations.channels.sms_twilio import TwilioSettings, TwilioSms
from parcelcare.integrations.channels.whatsapp import WhatsAppCloud, WhatsAppSettings

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


def _sms() -> Channel | None:
    """Twilio when its account is set, else Bird when its key is set, else no SMS provider."""
    twilio, bird = settings.TWILIO, settings.BIRD
    if twilio["account_sid"] and twilio["auth_token"]:
        return TwilioSms(
            TwilioSettings(
                account_sid=twilio["account_sid"],
                auth_token=twilio["auth_token"],
                from_number=twilio["from_number"],
                messaging_service_sid=twilio["messaging_service_sid"],
            )
        )
    if bird["access_key"]:
        return BirdSms(BirdSettings(access_key=bird["access_key"], originator=bird["originator"]))
    return None


def configured() -> dict[str, Channel]:
    """Channel name -> sender. SMS and WhatsApp are sent only through a configured provider;
    without one their messages fail visibly on the outbox page rather than pretend to go out."""
    email: Channel = (
        SmtpEmail(smtp_settings(settings.SMTP_URL, settings.MAIL_FROM))
        if settings.SMTP_URL
        else memory()
    )
    found: dict[str, Channel] = {"email": email}
    if (sms := _sms()) is not None:
        found["sms"] = sms
    whatsapp = settings.WHATSAPP
    if whatsapp["access_token"] and whatsapp["phone_number_id"]:
        found["whatsapp"] = WhatsAppCloud(
            WhatsAppSettings(
                access_token=whatsapp["access_token"],
                phone_number_id=whatsapp["phone_number_id"],
            )
        )
    return found

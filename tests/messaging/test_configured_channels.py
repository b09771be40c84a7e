"""Which senders a deployment gets from its settings: SMS and WhatsApp only with a provider."""

from django.test import override_settings

from parcelcare.integrations.channels.email import SmtpEmail
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.integrations.channels.sms_bird import BirdSms
from parcelcare.integrations.channels.sms_twilio import TwilioSms
from parcelcare.integrations.channels.whatsapp import WhatsAppCloud
from parcelcare.messaging.channels import configured

NO_TWILIO = {"account_sid": "", "auth_token": "", "from_number": "", "messaging_service_sid": ""}
NO_BIRD = {"access_key": "", "originator": ""}
NO_WHATSAPP = {"access_token": "", "phone_number_id": ""}


@override_settings(SMTP_URL="", TWILIO=NO_TWILIO, BIRD=NO_BIRD, WHATSAPP=NO_WHATSAPP)
def test_without_providers_email_stays_in_memory_and_nothing_else_is_sent() -> None:
    senders = configured()
    assert set(senders) == {"email"} and isinstance(senders["email"], MemoryChannel)


@override_settings(
    SMTP_URL="smtp+plain://127.0.0.1:2525",
    TWILIO=NO_TWILIO | {"account_sid": "AC123", "auth_token": "secret", "from_number": "+3197"},
    BIRD={"access_key": "live_x", "originator": "Shop"},
    WHATSAPP={"access_token": "EAAG", "phone_number_id": "1055"},
)
def test_each_configured_provider_is_used_and_twilio_comes_before_bird() -> None:
    senders = configured()
    assert isinstance(senders["email"], SmtpEmail)
    assert isinstance(senders["sms"], TwilioSms)
    assert senders["sms"].settings.from_number == "+3197"
    assert isinstance(senders["whatsapp"], WhatsAppCloud)


@override_settings(
    SMTP_URL="",
    TWILIO=NO_TWILIO,
    BIRD={"access_key": "live_x", "originator": "Shop"},
    WHATSAPP={"access_token": "EAAG", "phone_number_id": ""},
)
def test_bird_serves_sms_when_twilio_is_not_set_and_half_a_whatsapp_setup_is_none() -> None:
    senders = configured()
    assert isinstance(senders["sms"], BirdSms)
    assert "whatsapp" not in senders

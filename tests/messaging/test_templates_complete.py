"""Every message kind exists in every language and channel, renders cleanly and fits its channel."""

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from parcelcare.domain.notify_policy import CASE_KINDS, CUSTOMER_KINDS, Channel, MessageKind
from parcelcare.domain.vocabulary import LANGUAGES
from parcelcare.messaging.context import MessageContext
from parcelcare.messaging.render import TEMPLATES, render, template_name

K = MessageKind
CUSTOMER = sorted(CUSTOMER_KINDS)
CHANNELS = (Channel.EMAIL, Channel.SMS)
FULL = MessageContext(
    shop_name="Tuinhuis Verdi",
    language="nl",
    shop_language="nl",
    order_number="NL-100234",
    carrier_name="PostNL",
    tracking_url="https://tuinhuisverdi.nl/apps/track/9Xk2PqL7mZ4sWbTq",
    tracking_number="3SABCD1234567890",
    customer_name="Anne-Sophie van den Berg",
    signature="Lisa\nTeam Tuinhuis Verdi",
    unsubscribe_url="https://tuinhuisverdi.nl/apps/unsubscribe/7Hq2",
    promised_date=date(2026, 11, 23),
    deadline=date(2026, 11, 30),
    days_left=3,
    level=3,
    attempt=2,
    reason="address_issue",
    voucher_minor_units=1250,
    voucher_currency="EUR",
    voucher_code="SORRY-7KQ2M",
    label_created_at=datetime(2026, 11, 18, 15, 30, tzinfo=UTC),
    business_days=3,
    time_zone="Europe/Amsterdam",
)
"""A context with every optional fact set, and long but realistic values."""
MINIMAL = MessageContext(
    shop_name="Tuinhuis Verdi",
    language="nl",
    order_number="1001",
    carrier_name="DHL",
    tracking_url="https://tuinhuisverdi.nl/t/abc",
)
VARIANTS = {
    "full": FULL,
    "minimal": MINIMAL,
    "last_day": replace(FULL, days_left=0, reason="recipient_unavailable", attempt=1),
    "one_day": replace(FULL, days_left=1, reason="refused", attempt=3, voucher_code=""),
    "no_voucher": replace(FULL, voucher_minor_units=0, voucher_currency="", reason=""),
}
CASE_URL = "https://track.parcelcare.eu/c/R7vKq2LmX9pZ4sWbTqN8aJ"
CASE_FACTS: dict[MessageKind, dict[str, Any]] = {
    K.CASE_RECEIVED: {"playbook": "B", "status": "delivered"},
    K.CASE_REQUEST: {"step": "customer_checks"},
    K.CASE_REPLY: {},
    K.CASE_RESOLVED: {"remedy": "refund", "amount_minor_units": 2495, "amount_currency": "EUR"},
    K.RETURN_RECEIVED: {},
    K.RETURN_APPROVED: {
        "return_address": "Tuinhuis Verdi, Retouren, Industrieweg 12, 3542 AD Utrecht"
    },
    K.RETURN_ARRIVED: {
        "arrived_at": datetime(2026, 11, 17, 23, 30, tzinfo=UTC),
        "remedy": "refund",
    },
    K.RETURN_REJECTED: {"body": "De retourtermijn van 30 dagen was op 2 november verlopen."},
    K.RETURN_REFUNDED: {
        "amount_minor_units": 2495,
        "amount_currency": "EUR",
        "survey_url": "https://track.parcelcare.eu/f/Q8wLm2ZpX4sVbTqN7aJk",
    },
}
"""What the case desk puts in each case message's payload besides the reference and link."""
REPLY_BODY = {
    "nl": "Ik heb PostNL gebeld: je pakket ligt nog in het sorteercentrum en gaat morgen mee.",
    "de": "Ich habe mit PostNL telefoniert: Ihr Paket ist im Verteilzentrum und kommt morgen.",
    "en": "I called PostNL: your parcel is still at the sorting centre and goes out tomorrow.",
    "fr": "J\u2019ai appelé PostNL : votre colis est encore au centre de tri et part demain.",
}
"""An agent's reply, in each language: case_reply prints the agent's own words."""
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|None")

STOPWORDS = {
    "nl": {"je", "het", "een", "van", "niet", "naar", "bij", "voor", "dan", "nog", "dat", "ons"},
    "de": {"sie", "ihr", "ihre", "ihrer", "ihnen", "und", "der", "das", "ist", "wir", "nicht"},
    "en": {"your", "the", "and", "we", "you", "for", "with", "it", "to", "us", "has", "was"},
    "fr": {"vous", "votre", "le", "la", "les", "et", "est", "nous", "pas", "pour", "avec"},
}
"""Frequent short words of each language: a text must score highest in its own."""
TOPIC = {
    "nl": {"pakket", "bestelling"},
    "de": {"Paket", "Bestellung"},
    "en": {"parcel", "order"},
    "fr": {"colis", "commande"},
}
"""Each language's word for the parcel or the order: one of them appears in every message."""
FAMILIAR = {
    "nl": (r"\bje\b", r"\bu\b|\buw\b"),
    "de": (r"\bSie\b|\bIhre?n?\b", r"\b[dD]u\b|\b[dD]ein\w*\b|\b[dD]ich\b|\b[dD]ir\b"),
    "fr": (r"\b[vV]ous\b|\b[vV]otre\b", r"\b[tT]u\b|\b[tT]oi\b|\b[tT]on\b|\b[tT]es\b"),
}
"""Per language, the form of address required and the one refused: nl 'je', de 'Sie', fr 'vous'."""


def words(text: str) -> list[str]:
    """The lowercase words of a text."""
    return re.findall(r"[^\W\d_]+", text.lower())


def case_facts(kind: MessageKind, language: str) -> dict[str, Any]:
    """A case message's own facts (none for other kinds): reference, link, and its payload."""
    if kind not in CASE_KINDS:
        return {}
    body = {"body": REPLY_BODY[language]} if kind == K.CASE_REPLY else {}
    return {"case_reference": "C-48213", "case_url": CASE_URL, **CASE_FACTS[kind], **body}


def link(kind: MessageKind, variant: str) -> str:
    """The link a message leads to: the case page for case messages, else the tracking page."""
    return CASE_URL if kind in CASE_KINDS else VARIANTS[variant].tracking_url


def in_language(kind: MessageKind, language: str, channel: Channel, variant: str = "full"):
    """Render one kind in one language with the named context variant."""
    context = replace(VARIANTS[variant], language=language, **case_facts(kind, language))
    return render(kind, channel, context)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", CUSTOMER)
def test_every_customer_kind_has_its_own_template(kind, language, channel):
    assert (TEMPLATES / template_name(kind, language, channel)).is_file()
    assert in_language(kind, language, channel).language == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_merchant_message_is_email_only_in_every_language(language):
    kind = K.NOT_SHIPPED_MERCHANT
    assert (TEMPLATES / template_name(kind, language, Channel.EMAIL)).is_file()
    assert not (TEMPLATES / template_name(kind, language, Channel.SMS)).exists()
    assert render(kind, Channel.EMAIL, replace(FULL, shop_language=language)).language == language


def test_no_template_is_left_without_a_kind():
    expected = {
        template_name(kind, language, channel)
        for kind in CUSTOMER
        for language in LANGUAGES
        for channel in CHANNELS
    } | {template_name(K.NOT_SHIPPED_MERCHANT, lang, Channel.EMAIL) for lang in LANGUAGES}
    found = {str(path.relative_to(TEMPLATES)) for path in (TEMPLATES / "messages").rglob("*.txt")}
    assert found == expected


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", CUSTOMER)
def test_emails_render_cleanly(kind, language, variant):
    rendered = in_language(kind, language, Channel.EMAIL, variant)
    assert rendered.subject.strip() and "\n" not in rendered.subject
    assert len(rendered.subject) <= 80
    for text in (rendered.subject, rendered.text, rendered.html):
        assert not LEFTOVER.search(text), text
    assert link(kind, variant) in rendered.text
    assert "\n\n\n" not in rendered.text and "  " not in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", CUSTOMER)
def test_sms_fit_in_320_characters_without_markup(kind, language, variant):
    rendered = in_language(kind, language, Channel.SMS, variant)
    text = rendered.text
    assert len(text) <= 320, f"{len(text)} characters: {text}"
    assert rendered.subject == "" and rendered.html == ""
    assert not LEFTOVER.search(text) and not re.search(r"<[a-z/]|&\w+;", text), text
    assert link(kind, variant) in text
    assert VARIANTS[variant].shop_name in text, "every SMS is signed with the shop's name"
    assert in_language(kind, language, Channel.WHATSAPP, variant).text == text


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("language", ["nl", "de", "fr", "en"])
@pytest.mark.parametrize("kind", CUSTOMER)
def test_texts_are_written_in_their_own_language(kind, language, channel):
    text = in_language(kind, language, channel).text
    found = words(text)
    score = {lang: sum(w in stop for w in found) for lang, stop in STOPWORDS.items()}
    others = max(hits for lang, hits in score.items() if lang != language)
    # An SMS is a sentence or two: one frequent word is already telling there.
    minimum = 3 if channel == Channel.EMAIL else 1
    assert score[language] >= minimum and score[language] > others, (score, text)
    assert any(word in text for word in TOPIC[language]), text
    if language in FAMILIAR:
        required, refused = FAMILIAR[language]
        assert re.search(required, text), text
        assert not re.search(refused, text), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_merchant_email_is_in_the_shops_language(language):
    context = replace(FULL, language="fr" if language != "fr" else "de", shop_language=language)
    rendered = render(K.NOT_SHIPPED_MERCHANT, Channel.EMAIL, context)
    found = words(rendered.text)
    score = {lang: sum(w in stop for w in found) for lang, stop in STOPWORDS.items()}
    assert max(score, key=lambda lang: score[lang]) == language, score
    assert "NL-100234" in rendered.subject
    assert not LEFTOVER.search(rendered.text)

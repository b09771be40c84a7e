"""Rendering: locale formats, escaping, the HTML layout, language fallback and shop overrides."""

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from parcelcare.domain.detection import Finding
from parcelcare.domain.notifications import decide
from parcelcare.domain.notify_policy import Channel, MessageKind, NotifyPolicy, Recipient
from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus
from parcelcare.messaging.context import VARIABLES, MessageContext
from parcelcare.messaging.render import (
    TEMPLATES,
    MissingTemplate,
    blocks,
    ink,
    render,
    template_name,
    validate_override,
)

K = MessageKind
EMAIL, SMS = Channel.EMAIL, Channel.SMS
URL = "https://tuinhuisverdi.nl/apps/track/9Xk2PqL7mZ4sWbTq"
BASE = MessageContext(
    shop_name="Tuinhuis Verdi",
    language="nl",
    shop_language="nl",
    order_number="100234",
    carrier_name="PostNL",
    tracking_url=URL,
    customer_name="Sanne de Vries",
    signature="Lisa\nTuinhuis Verdi",
    unsubscribe_url="https://tuinhuisverdi.nl/apps/unsubscribe/7Hq2",
    promised_date=date(2026, 11, 23),
)


def ctx(**changes) -> MessageContext:
    """The base context with some facts changed."""
    return replace(BASE, **changes)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "23 november 2026"),
        ("de", "23. November 2026"),
        ("fr", "23 novembre 2026"),
        ("en", "November 23, 2026"),
    ],
)
def test_dates_are_written_the_way_each_language_writes_them(language, expected):
    rendered = render(K.DELAYED_1, EMAIL, ctx(language=language))
    assert expected in rendered.text
    assert "2026-11-23" not in rendered.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "€\xa05,00"),
        ("de", "5,00\xa0€"),
        ("fr", "5,00\xa0€"),
        ("en", "€5.00"),
    ],
)
def test_the_level_3_voucher_is_money_in_the_customers_locale(language, expected):
    context = ctx(language=language, voucher_minor_units=500, voucher_currency="EUR")
    for channel in (EMAIL, SMS):
        assert expected in render(K.DELAYED_3, channel, context).text


def test_money_follows_the_currencys_precision_without_float():
    assert BASE.money(500, "JPY", "en") == "¥500"
    assert BASE.money(1234567, "EUR", "nl") == "€\xa012.345,67"
    assert BASE.money(1000, "KWD", "en") == "KWD1.000"
    assert BASE.money(10, "EUR", "de") == "0,10\xa0€"


def test_level_3_without_a_voucher_offers_none():
    text = render(K.DELAYED_3, EMAIL, ctx()).text
    assert "tegoedbon" not in text
    assert (
        "tegoedbon van €\xa05,00"
        in render(K.DELAYED_3, EMAIL, ctx(voucher_minor_units=500, voucher_currency="EUR")).text
    )


def test_a_voucher_code_is_given_when_there_is_one():
    context = ctx(voucher_minor_units=500, voucher_currency="EUR", voucher_code="SORRY-7K")
    assert "SORRY-7K" in render(K.DELAYED_3, EMAIL, context).text
    assert "SORRY-7K" in render(K.DELAYED_3, SMS, context).text
    assert "apart bericht" in render(K.DELAYED_3, EMAIL, replace(context, voucher_code="")).text


def test_html_escapes_the_shop_name_and_text_keeps_it_as_written():
    rendered = render(K.SHIPPED, EMAIL, ctx(shop_name="Tom & Jerry <Shop>", signature=""))
    assert "Tom &amp; Jerry &lt;Shop&gt;" in rendered.html
    assert "<Shop>" not in rendered.html
    assert "Tom & Jerry <Shop>" in rendered.text
    assert "Tom & Jerry <Shop>" in render(K.SHIPPED, SMS, ctx(shop_name="Tom & Jerry <Shop>")).text


def test_html_escapes_every_customer_supplied_value():
    rendered = render(
        K.FAILED_ATTEMPT,
        EMAIL,
        ctx(customer_name='<script>alert("x")</script>', tracking_number="<b>1</b>"),
    )
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<b>1</b>" not in rendered.html


def test_the_layout_carries_brand_button_and_footer():
    context = ctx(brand_colour="#2f6f4f", logo_url="https://cdn.example.com/logo.png")
    html = render(K.SHIPPED, EMAIL, context).html
    assert '<html lang="nl">' in html
    assert 'src="https://cdn.example.com/logo.png"' in html and 'alt="Tuinhuis Verdi"' in html
    assert "background-color:#2f6f4f;color:#ffffff" in html
    assert f'<a href="{URL}"' in html and ">Volg je pakket</a>" in html
    assert (
        'href="https://tuinhuisverdi.nl/apps/unsubscribe/7Hq2"' in html and ">Afmelden</a>" in html
    )
    assert "Lisa<br>Tuinhuis Verdi" in html
    assert "<title>Je bestelling 100234 is onderweg</title>" in html


def test_the_layout_refuses_unsafe_colours_and_logos():
    context = ctx(brand_colour="red;background:url(x)", logo_url="javascript:alert(1)")
    html = render(K.SHIPPED, EMAIL, context).html
    assert "url(x)" not in html and "javascript:" not in html
    assert "#1f2937" in html
    assert "<img" not in html and "Tuinhuis Verdi</span>" in html


def test_button_text_stays_readable_on_a_light_brand_colour():
    assert ink("#ffd700") == "#111111"
    assert ink("#fff") == "#111111"
    assert ink("#1f2937") == "#ffffff"
    html = render(K.SHIPPED, EMAIL, ctx(brand_colour="#ffd700")).html
    assert "background-color:#ffd700;color:#111111" in html


def test_the_tracking_line_becomes_the_button_and_a_text_without_one_still_gets_it():
    body = f"Hoi,\n\nNieuws.\n\nVolg je pakket: {URL}\nCode: 3S\n\nGroet"
    assert blocks(body, URL, "Volg") == [
        {"text": "Hoi,"},
        {"text": "Nieuws."},
        {"button": "Volg je pakket"},
        {"text": "Code: 3S"},
        {"text": "Groet"},
    ]
    assert blocks("Hoi,\n\nNieuws.", URL, "Volg") == [
        {"text": "Hoi,"},
        {"text": "Nieuws."},
        {"button": "Volg"},
    ]


def test_the_text_email_ends_with_the_unsubscribe_link_and_sms_never_has_one():
    assert render(K.SHIPPED, EMAIL, ctx()).text.endswith(
        "Afmelden: https://tuinhuisverdi.nl/apps/unsubscribe/7Hq2"
    )
    assert "unsubscribe" not in render(K.SHIPPED, SMS, ctx()).text
    assert "Afmelden" not in render(K.SHIPPED, EMAIL, ctx(unsubscribe_url="")).text


def test_greeting_uses_the_first_name_or_none():
    assert render(K.SHIPPED, EMAIL, ctx()).text.startswith("Hoi Sanne,\n")
    assert render(K.SHIPPED, EMAIL, ctx(customer_name="")).text.startswith("Hoi,\n")
    assert render(K.SHIPPED, EMAIL, ctx(language="de")).text.startswith("Hallo Sanne,\n")
    de_anonymous = render(K.SHIPPED, EMAIL, ctx(language="de", customer_name="")).text
    assert de_anonymous.startswith("Guten Tag,\n")


def test_the_signature_falls_back_to_sender_and_shop():
    text = render(K.SHIPPED, EMAIL, ctx(signature="", sender_name="Lisa")).text
    assert "Hartelijke groet,\nLisa\nTuinhuis Verdi" in text
    text = render(K.SHIPPED, EMAIL, ctx(signature="")).text
    assert "Hartelijke groet,\nTuinhuis Verdi" in text


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(0, "vandaag is dus de laatste dag"), (1, "nog 1 dag"), (4, "nog 4 dagen")],
)
def test_pickup_deadline_and_days_left(days_left, expected):
    context = ctx(deadline=date(2026, 11, 30), days_left=days_left)
    text = render(K.AWAITING_PICKUP, EMAIL, context).text
    assert "tot en met 30 november 2026" in text and expected in text


def test_a_second_failed_attempt_says_so_in_each_language():
    context = ctx(attempt=2, reason="recipient_unavailable")
    assert "de 2e bezorgpoging" in render(K.FAILED_ATTEMPT, EMAIL, context).text
    assert (
        "der 2. Zustellversuch"
        in render(K.FAILED_ATTEMPT, EMAIL, ctx(language="de", attempt=2)).text
    )
    assert (
        "the 2nd delivery attempt"
        in render(K.FAILED_ATTEMPT, EMAIL, ctx(language="en", attempt=2)).text
    )
    assert (
        "the 3rd delivery attempt"
        in render(K.FAILED_ATTEMPT, EMAIL, ctx(language="en", attempt=3)).text
    )
    assert "la 2e tentative" in render(K.FAILED_ATTEMPT, EMAIL, ctx(language="fr", attempt=2)).text
    assert "poging" not in render(K.FAILED_ATTEMPT, EMAIL, ctx(attempt=1)).text.split("\n\n")[1]


def test_french_email_uses_no_break_spaces_before_double_punctuation():
    text = render(K.SHIPPED, EMAIL, ctx(language="fr")).text
    assert "Bonne nouvelle\u00a0:" in text and "en route\u00a0!" in text
    assert " :" not in text and " !" not in text


def test_the_merchant_message_dates_the_label_in_the_shops_time_zone():
    context = ctx(
        language="fr",
        shop_language="nl",
        label_created_at=datetime(2026, 11, 18, 23, 30, tzinfo=UTC),
        business_days=3,
        time_zone="Europe/Amsterdam",
    )
    rendered = render(K.NOT_SHIPPED_MERCHANT, EMAIL, context)
    assert rendered.language == "nl"
    assert "op 19 november 2026" in rendered.text and "na 3 werkdagen" in rendered.text
    assert "Bestelling 100234" in rendered.subject


def test_fallback_goes_customer_then_shop_then_english(tmp_path):
    def keep(*languages: str) -> None:
        for language in languages:
            target = tmp_path / template_name(K.SHIPPED, language, EMAIL)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(TEMPLATES / template_name(K.SHIPPED, language, EMAIL), target)
        shutil.copy(TEMPLATES / "messages/_layout.html", tmp_path / "messages/_layout.html")

    keep("en", "de")
    wanted = ctx(language="fr", shop_language="de")
    shop = render(K.SHIPPED, EMAIL, wanted, directory=tmp_path)
    assert shop.language == "de" and shop.subject == "Ihre Bestellung 100234 ist unterwegs"
    assert "23. November 2026" in shop.text, "dates follow the language actually used"
    english = render(K.SHIPPED, EMAIL, ctx(language="fr", shop_language="nl"), directory=tmp_path)
    assert english.language == "en" and '<html lang="en">' in english.html
    with pytest.raises(MissingTemplate, match="no sms template for shipped in fr, de, en"):
        render(K.SHIPPED, SMS, wanted, directory=tmp_path)


def test_an_unsupported_customer_language_falls_back_to_the_shops():
    assert render(K.SHIPPED, EMAIL, ctx(language="es", shop_language="fr")).language == "fr"
    assert render(K.SHIPPED, EMAIL, ctx(language="es", shop_language="xx")).language == "en"


def test_desk_tasks_and_merchant_sms_have_no_template():
    with pytest.raises(MissingTemplate, match="case desk"):
        render(K.AGENT_FOLLOWUP, EMAIL, ctx())
    with pytest.raises(MissingTemplate):
        render(K.NOT_SHIPPED_MERCHANT, SMS, ctx())


def test_a_shops_override_is_rendered_with_the_same_variables():
    override = (
        "Subject: Onderweg: {{ order_number }}\nHoi {{ first_name }},\n\nVolg: {{ tracking_url }}"
    )
    assert validate_override(override, EMAIL) is None
    rendered = render(K.SHIPPED, EMAIL, ctx(shop_name="A & B"), override=override)
    assert rendered.subject == "Onderweg: 100234"
    assert rendered.text.startswith("Hoi Sanne,\n\nVolg: https://")
    assert ">Volg</a>" in rendered.html and "A &amp; B" in rendered.html


@pytest.mark.parametrize(
    ("source", "channel", "message"),
    [
        ("Subject: Hoi\n\nRegel twee\n{% if days_left %}nog even", EMAIL, "Line 4: Unclosed tag"),
        ("Hoi {{ first_name }},\n\n{{ order_number|nope }}", SMS, "Line 3: Invalid filter"),
        ("Hoi,\n{% endif %}", SMS, "Line 2: Invalid block tag"),
        ("Hoi\n\n{% load static %}", SMS, "Line 3: 'static' is not a registered tag library"),
        ("Hoi,\n{% include 'x.txt' %}", SMS, "Line 2: the tag {% include %} is not allowed"),
        ("Hoi,\n\n{% if 1 %}\n{% debug %}{% endif %}", SMS, "Line 4: the tag {% debug %}"),
        ("Hoi {{ frist_name }}", SMS, "Line 1: unknown variable {{ frist_name }}"),
        (
            "Hoi {{ first_name }},\n\nJe pakket is onderweg.",
            EMAIL,
            "Line 1: an e-mail template starts with",
        ),
    ],
)
def test_validate_override_names_the_line_of_the_problem(source, channel, message):
    error = validate_override(source, channel)
    assert error is not None and error.startswith(message), error


def test_validate_override_accepts_loops_and_every_known_variable():
    source = "\n".join(f"{{{{ {name} }}}}" for name in sorted(VARIABLES))
    assert validate_override(source, SMS) is None
    assert (
        validate_override("{% for x in '12' %}{{ x }}{{ forloop.counter }}{% endfor %}", SMS)
        is None
    )


def test_a_context_refuses_missing_facts_and_bad_values():
    with pytest.raises(ValueError, match="tracking_url"):
        ctx(tracking_url=" ")
    with pytest.raises(ValueError, match="ISO 4217"):
        ctx(voucher_minor_units=500)
    with pytest.raises(ValueError, match="timezone-aware"):
        ctx(label_created_at=datetime(2026, 11, 18, 12, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="time zone"):
        ctx(time_zone="Mars/Olympus")


def test_first_name_is_the_first_word_of_the_name():
    assert ctx(customer_name="  Anne-Sophie van den Berg ").first_name == "Anne-Sophie"
    assert ctx(customer_name="").first_name == ""


def test_a_decided_level_3_delay_renders_from_its_payload():
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    finding = Finding(
        FindingKind.DELAYED,
        level=3,
        evidence={"promised_date": "2026-11-18", "business_days_late": 5},
    )
    intents = decide(
        shipment_id=1,
        carrier="postnl",
        findings=[finding],
        status=ShipmentStatus.IN_TRANSIT,
        previous_status=ShipmentStatus.IN_TRANSIT,
        recipient=Recipient("Europe/Berlin", language="de"),
        policy=NotifyPolicy(level3_voucher_minor_units=500, voucher_currency="EUR"),
        sent=[],
        now=now,
    )
    intent = next(i for i in intents if i.kind == K.DELAYED_3 and i.channel == EMAIL)
    context = MessageContext.from_payload(
        intent.payload,
        shop_name="Tuinhuis Verdi",
        shop_language="nl",
        order_number="100234",
        tracking_url=URL,
        customer_name="Jonas Becker",
    )
    assert context.carrier_name == "PostNL" and context.promised_date == date(2026, 11, 18)
    rendered = render(intent.kind, EMAIL, context)
    assert rendered.language == "de"
    assert "am 18. November 2026" in rendered.text
    assert "Gutschein über 5,00\xa0€" in rendered.text


def test_from_payload_reads_pickup_and_merchant_facts():
    context = MessageContext.from_payload(
        {
            "deadline": "2026-11-30",
            "days_left": 2,
            "label_created_at": "2026-11-18T09:00:00+00:00",
            "business_days": 3,
            "language": "fr",
            "carrier": "unknown-carrier",
        },
        shop_name="Tuinhuis Verdi",
        order_number="1",
        tracking_url=URL,
    )
    assert context.deadline == date(2026, 11, 30) and context.days_left == 2
    assert context.label_created_at == datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert context.carrier_name == "Unknown carrier" and context.language == "fr"

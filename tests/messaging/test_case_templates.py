"""The case desk's messages: every branch of received, request, reply and resolved, per language.

The shared checks (every kind, language and channel exists, renders, fits) live in
test_templates_complete.py with one sample per kind; here every playbook, shipment status, step
and remedy is rendered, and what each branch must say is pinned down.
"""

import re
from dataclasses import replace
from datetime import date

import pytest

from parcelcare.domain.cases import Playbook
from parcelcare.domain.notify_policy import CASE_KINDS, Channel, MessageKind
from parcelcare.domain.playbooks import CUSTOMER_STEPS
from parcelcare.domain.vocabulary import LANGUAGES, ShipmentStatus
from parcelcare.messaging.context import MessageContext
from parcelcare.messaging.render import render

K = MessageKind
EMAIL, SMS = Channel.EMAIL, Channel.SMS
TRACKING = "https://tuinhuisverdi.nl/apps/track/9Xk2PqL7mZ4sWbTq"
CASE_URL = "https://track.parcelcare.eu/c/R7vKq2LmX9pZ4sWbTqN8aJ"
BASE = MessageContext(
    shop_name="Tuinhuis Verdi",
    language="nl",
    shop_language="nl",
    order_number="NL-100234",
    carrier_name="PostNL",
    tracking_url=TRACKING,
    customer_name="Anne-Sophie van den Berg",
    signature="Lisa\nTeam Tuinhuis Verdi",
    promised_date=date(2026, 11, 23),
    case_reference="C-48213",
    case_url=CASE_URL,
)
PLAYBOOKS = [str(p) for p in Playbook] + [""]
STATUSES = [str(s) for s in ShipmentStatus] + [""]
STEPS = [*sorted(str(s) for s in CUSTOMER_STEPS), "something_new"]
REMEDIES = [
    "reship",
    "refund",
    "partial_refund",
    "voucher",
    "store_credit",
    "deny",
    "delivered",
    "return_shipping",
]
BODY = {
    "nl": "Ik heb PostNL gebeld: je pakket ligt nog in het sorteercentrum.\n\nMorgen gaat het mee.",
    "de": "Ich habe mit PostNL telefoniert: Ihr Paket ist im Verteilzentrum.\n\nEs kommt morgen.",
    "en": "I called PostNL: your parcel is still at the sorting centre.\n\nIt goes out tomorrow.",
    "fr": "J\u2019ai appelé PostNL : votre colis est encore au centre de tri.\n\nIl part demain.",
}
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|None")
ADDRESS = {
    "nl": (r"\bje\b", r"\bu\b|\buw\b"),
    "de": (r"\bSie\b|\bIhre?n?\b", r"\b[dD]u\b|\b[dD]ein\w*\b|\b[dD]ich\b|\b[dD]ir\b"),
    "fr": (r"\b[vV]ous\b|\b[vV]otre\b", r"\b[tT]u\b|\b[tT]oi\b|\b[tT]on\b|\b[tT]es\b"),
}
"""The form of address each language uses (nl je, de Sie, fr vous) and the one it never uses."""
GREETING = {"nl": "Hoi Anne-Sophie,", "de": "Hallo Anne-Sophie,", "en": "Hi Anne-Sophie,"}
GREETING["fr"] = "Bonjour Anne-Sophie,"
SIGN_OFF = {
    "nl": "Hartelijke groet,\nLisa\nTeam Tuinhuis Verdi",
    "de": "Herzliche Grüße\nLisa\nTeam Tuinhuis Verdi",
    "en": "Warm regards,\nLisa\nTeam Tuinhuis Verdi",
    "fr": "Bien cordialement,\nLisa\nTeam Tuinhuis Verdi",
}

SMS_SIGN_OFF = {
    "nl": "Groet, Tuinhuis Verdi",
    "de": "Viele Grüße, Tuinhuis Verdi",
    "en": "Best, Tuinhuis Verdi",
    "fr": "Cordialement, Tuinhuis Verdi",
}


def ctx(language: str = "nl", **changes) -> MessageContext:
    """The base context in a language, with some facts changed."""
    return replace(BASE, language=language, **changes)


def paragraphs(kind: MessageKind, context: MessageContext) -> list[str]:
    """The e-mail's paragraphs, greeting first."""
    return render(kind, EMAIL, context).text.split("\n\n")


def every_case_context():
    """(kind, context) for every branch of every case kind in every language."""
    for language in LANGUAGES:
        for playbook in PLAYBOOKS:
            for status in STATUSES:
                yield K.CASE_RECEIVED, ctx(language, playbook=playbook, status=status)
        for step in STEPS:
            yield K.CASE_REQUEST, ctx(language, step=step)
        yield K.CASE_REPLY, ctx(language, body=BODY[language])
        for remedy in REMEDIES:
            for amount in (0, 2495):
                for playbook in ("B", "E", "A"):
                    yield (
                        K.CASE_RESOLVED,
                        ctx(
                            language,
                            remedy=remedy,
                            playbook=playbook,
                            amount_minor_units=amount,
                            amount_currency="EUR" if amount else "",
                        ),
                    )


def test_every_branch_renders_cleanly_and_fits_its_channel():
    for kind, context in every_case_context():
        email = render(kind, EMAIL, context)
        sms = render(kind, SMS, context).text
        where = (kind, context.language, context.playbook, context.status, context.step)
        for text in (email.subject, email.text, sms):
            assert not LEFTOVER.search(text), (where, text)
            assert "  " not in text and "\n\n\n" not in text, (where, text)
        assert 0 < len(email.subject) <= 80 and "\n" not in email.subject, where
        assert CASE_URL in email.text and CASE_URL in sms, where
        assert email.text.startswith(GREETING[context.language] + "\n\n"), where
        assert SIGN_OFF[context.language] in email.text, where
        assert len(sms) <= 320, (where, len(sms), sms)
        assert sms.endswith("\n" + SMS_SIGN_OFF[context.language]), (where, sms)
        assert not re.search(r"<[a-z/]|&\w+;", sms), sms


def test_every_branch_speaks_the_customers_language_and_form_of_address():
    for kind, context in every_case_context():
        if context.language not in ADDRESS:
            continue
        required, refused = ADDRESS[context.language]
        for channel in (EMAIL, SMS):
            text = render(kind, channel, context).text
            assert re.search(required, text), (kind, channel, text)
            assert not re.search(refused, text), (kind, channel, text)


def test_the_case_link_stands_on_its_own_labelled_line_in_every_email():
    for kind in sorted(CASE_KINDS):
        for language in LANGUAGES:
            lines = render(kind, EMAIL, ctx(language, body=BODY[language])).text.splitlines()
            line = next(line for line in lines if line.endswith(CASE_URL))
            label = line[: -len(CASE_URL)].rstrip().rstrip(":").rstrip()
            assert label and len(label) < 60, line


def test_french_emails_put_a_no_break_space_before_double_punctuation():
    for kind, context in every_case_context():
        if context.language != "fr" or kind == K.CASE_REPLY:
            continue
        rendered = render(kind, EMAIL, context)
        for text in (rendered.subject, rendered.text):
            assert not re.search(r" [:;!?]", text), text


# case_received -----------------------------------------------------------------------------

STATUS_LINE = {
    "en": {
        "delivered": "PostNL reports your parcel as delivered.",
        "in_transit": "your parcel is still on its way (expected delivery date: November 23, 2026)",
        "out_for_delivery": "your parcel is out for delivery today",
        "returning": "your parcel is on its way back to us",
        "returned": "your parcel is back with us",
        "available_for_pickup": "your parcel is waiting for you at a pickup point",
        "failed_attempt": "PostNL tried to deliver your parcel",
        "exception": "the latest information from PostNL",
    },
    "nl": {
        "delivered": "Volgens PostNL is je pakket bezorgd.",
        "in_transit": "nog onderweg (verwachte bezorgdatum: 23 november 2026)",
        "out_for_delivery": "vandaag onderweg naar je adres",
        "returning": "op weg terug naar ons",
        "returned": "weer bij ons terug",
        "available_for_pickup": "klaar bij een afhaalpunt",
        "failed_attempt": "PostNL heeft geprobeerd je pakket te bezorgen",
        "exception": "de laatste gegevens van PostNL",
    },
    "de": {
        "delivered": "Laut PostNL wurde Ihr Paket zugestellt.",
        "in_transit": "noch unterwegs (voraussichtlicher Zustelltermin: 23. November 2026)",
        "out_for_delivery": "heute in der Zustellung",
        "returning": "auf dem Rückweg zu uns",
        "returned": "wieder bei uns angekommen",
        "available_for_pickup": "in einer Abholstelle für Sie bereit",
        "failed_attempt": "PostNL hat versucht, Ihr Paket zuzustellen",
        "exception": "die neuesten Angaben von PostNL",
    },
    "fr": {
        "delivered": "D\u2019après PostNL, votre colis a été livré.",
        "in_transit": "toujours en route (date de livraison prévue\u00a0: 23 novembre 2026)",
        "out_for_delivery": "en cours de livraison aujourd\u2019hui",
        "returning": "en cours de retour vers nous",
        "returned": "nous a été retourné",
        "available_for_pickup": "vous attend dans un point relais",
        "failed_attempt": "PostNL a tenté de livrer votre colis",
        "exception": "les dernières informations de PostNL",
    },
}
"""What each language's acknowledgement says the tracking shows, per shipment status."""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", sorted(STATUS_LINE["en"]))
def test_the_acknowledgement_says_what_the_tracking_shows(language, status):
    parts = paragraphs(K.CASE_RECEIVED, ctx(language, playbook="A", status=status))
    assert STATUS_LINE[language][status] in parts[2], parts[2]
    assert parts[3].endswith(TRACKING), "the tracking link follows what tracking says"
    assert "C-48213" in parts[1] and "NL-100234" in parts[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_statuses_without_a_line_of_their_own_get_the_generic_one(language):
    generic = STATUS_LINE[language]["exception"]
    for status in ("pending", "info_received", "expired", "cancelled", ""):
        text = render(K.CASE_RECEIVED, EMAIL, ctx(language, playbook="A", status=status)).text
        assert generic in text


def test_the_promised_date_is_only_mentioned_when_known():
    text = render(K.CASE_RECEIVED, EMAIL, ctx("en", playbook="A", status="in_transit")).text
    assert "expected delivery date: November 23, 2026" in text
    text = render(
        K.CASE_RECEIVED, EMAIL, ctx("en", playbook="A", status="in_transit", promised_date=None)
    ).text
    assert "your parcel is still on its way." in text and "expected" not in text


NEXT_STEP = {
    "en": {
        "A": "keeping an eye on your parcel and will let you know as soon as it arrives",
        "B": "proof of delivery",
        "C": "a new parcel or a refund",
        "D": "confirm your address or choose a pickup point on your case page",
        "E": "photos of what you received",
        "": "let you know what we can do for you",
    },
    "nl": {
        "A": "houden je pakket in de gaten en laten het je weten zodra het is aangekomen",
        "B": "bewijs van bezorging",
        "C": "een nieuw pakket of je geld terug",
        "D": "je adres bevestigen of een afhaalpunt kiezen",
        "E": "foto\u2019s sturen van wat je hebt ontvangen",
        "": "laten je weten wat we voor je kunnen doen",
    },
    "de": {
        "A": "behalten Ihr Paket im Blick und sagen Ihnen Bescheid, sobald es angekommen ist",
        "B": "Zustellnachweis",
        "C": "ein neues Paket oder eine Rückerstattung",
        "D": "Ihre Adresse oder wählen Sie eine Abholstelle",
        "E": "Fotos von dem, was Sie erhalten haben",
        "": "was wir für Sie tun können",
    },
    "fr": {
        "A": "suivons votre colis de près et vous prévenons dès qu\u2019il est arrivé",
        "B": "preuve de livraison",
        "C": "un nouveau colis ou un remboursement",
        "D": "confirmer votre adresse ou choisir un point relais",
        "E": "quelques photos de ce que vous avez reçu",
        "": "ce que nous pouvons faire",
    },
}
"""What each playbook's acknowledgement tells the customer happens next."""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_the_acknowledgement_says_what_happens_next(language, playbook):
    status = "delivered" if playbook in ("B", "E") else "in_transit"
    parts = paragraphs(K.CASE_RECEIVED, ctx(language, playbook=playbook, status=status))
    assert NEXT_STEP[language][playbook] in parts[4], parts[4]
    assert parts[5].endswith(CASE_URL)
    others = [text for book, text in NEXT_STEP[language].items() if book != playbook]
    assert not any(text in parts[4] for text in others), parts[4]


def test_b_asks_for_the_usual_places_a_confirmation_and_maybe_a_signed_statement():
    text = render(K.CASE_RECEIVED, EMAIL, ctx("en", playbook="B", status="delivered")).text
    for words in ("household", "neighbours", "safe place", "letterbox", "confirm this on your"):
        assert words in text
    assert "short signed statement" in text and "PostNL for proof of delivery" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_delivered_parcel_is_not_promised_to_arrive(language):
    context = ctx(language, playbook="A", status="delivered")
    assert NEXT_STEP[language]["A"] not in render(K.CASE_RECEIVED, EMAIL, context).text
    delivered = {
        "nl": "Volgens PostNL is je pakket bezorgd. Niet gevonden?",
        "de": "Laut PostNL wurde Ihr Paket zugestellt. Nicht gefunden?",
        "en": "PostNL reports your parcel as delivered. Can't find it?",
        "fr": "D'après PostNL, votre colis a été livré. Introuvable ?",
    }
    assert delivered[language] in render(K.CASE_RECEIVED, SMS, context).text


def test_a_parcel_at_a_pickup_point_is_to_be_collected():
    context = ctx("en", playbook="A", status="available_for_pickup")
    assert "Please collect it in time" in render(K.CASE_RECEIVED, EMAIL, context).text
    assert "please collect it in time" in render(K.CASE_RECEIVED, SMS, context).text


def test_the_acknowledgement_sms_says_what_to_do_with_the_link():
    sms = render(K.CASE_RECEIVED, SMS, ctx("nl", playbook="D", status="returning")).text
    assert sms == (
        "Hoi Anne-Sophie, we hebben je melding C-48213 over bestelling NL-100234 ontvangen. "
        f"Bevestig je adres of kies een afhaalpunt via je melding: {CASE_URL}\n"
        "Groet, Tuinhuis Verdi"
    )


# case_request ------------------------------------------------------------------------------

ASK = {
    "en": {
        "customer_checks": "confirm this on your case page",
        "declaration": "short statement from you that you didn\u2019t receive the parcel",
        "photos": "the packaging and the shipping label",
        "customer_choice": "a new parcel or a refund",
        "confirm_address": "confirm or correct your address",
    },
    "nl": {
        "customer_checks": "Bevestig dat dan op de pagina van je melding",
        "declaration": "korte verklaring van je nodig dat je het pakket niet hebt ontvangen",
        "photos": "van de verpakking en van het verzendlabel",
        "customer_choice": "een nieuw pakket of je geld terug",
        "confirm_address": "je adres bevestigen of aanpassen",
    },
    "de": {
        "customer_checks": "bestätigen Sie das bitte auf der Seite zu Ihrer Anfrage",
        "declaration": "Erklärung von Ihnen, dass Sie das Paket nicht erhalten haben",
        "photos": "von der Verpackung und vom Versandetikett",
        "customer_choice": "ein neues Paket oder eine Rückerstattung",
        "confirm_address": "bestätigen oder korrigieren Sie Ihre Adresse",
    },
    "fr": {
        "customer_checks": "merci de le confirmer sur la page de votre dossier",
        "declaration": "déclaration indiquant que vous n\u2019avez pas reçu le colis",
        "photos": "de l\u2019emballage et de l\u2019étiquette d\u2019expédition",
        "customer_choice": "un nouveau colis ou un remboursement",
        "confirm_address": "confirmer ou corriger votre adresse",
    },
}
"""What each step's request asks, per language."""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", sorted(ASK["en"]))
def test_a_request_asks_for_its_own_step_only(language, step):
    parts = paragraphs(K.CASE_REQUEST, ctx(language, step=step))
    assert "C-48213" in parts[1] and "NL-100234" in parts[1]
    assert ASK[language][step] in parts[2], parts[2]
    assert not any(ask in parts[2] for key, ask in ASK[language].items() if key != step)
    assert parts[3].endswith(CASE_URL)


def test_every_customer_step_of_the_playbooks_has_its_own_request():
    assert set(ASK["en"]) == {str(step) for step in CUSTOMER_STEPS}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_step_gets_a_generic_request(language):
    text = paragraphs(K.CASE_REQUEST, ctx(language, step="something_new"))[2]
    assert not any(ask in text for ask in ASK[language].values())
    sms = render(K.CASE_REQUEST, SMS, ctx(language, step="something_new")).text
    assert CASE_URL in sms


def test_the_declaration_request_accuses_no_one():
    for language in LANGUAGES:
        for channel in (EMAIL, SMS):
            text = render(K.CASE_REQUEST, channel, ctx(language, step="declaration")).text.lower()
            assert not re.search(r"fraud|betrug|fraude|oplichting|lie\b|liar|lügen|mensonge", text)


# case_reply --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reply_is_the_agents_words_between_greeting_link_and_sign_off(language):
    rendered = render(K.CASE_REPLY, EMAIL, ctx(language, body=BODY[language]))
    assert "C-48213" in rendered.subject
    greeting, *body, link, sign_off = rendered.text.split("\n\n")
    assert greeting == GREETING[language]
    assert "\n\n".join(body) == BODY[language]
    assert link.endswith(CASE_URL) and "NL-100234" in link
    assert sign_off == SIGN_OFF[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_short_reply_by_sms_carries_the_agents_words_in_full(language):
    sms = render(K.CASE_REPLY, SMS, ctx(language, body=BODY[language])).text
    assert sms.startswith(GREETING[language] + "\n" + BODY[language] + "\n")


READ_ON = {
    "nl": "Lees verder bij je melding C-48213",
    "de": "Weiterlesen bei Ihrer Anfrage C-48213",
    "en": "Read the rest in your case C-48213",
    "fr": "La suite dans votre dossier C-48213",
}
"""A long reply's SMS sends the customer to the case page, which shows the whole reply."""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("body", ["word " * 80, "x" * 400, "Een zin. " * 40])
def test_a_long_reply_by_sms_is_cut_at_a_word_and_points_to_the_case_page(language, body):
    sms = render(K.CASE_REPLY, SMS, ctx(language, body=body.strip())).text
    assert len(sms) <= 320, sms
    greeting, shown, link, _sign_off = sms.split("\n")
    assert greeting == GREETING[language]
    assert shown.endswith("\u2026") and 1 < len(shown) <= 142
    assert body.strip().startswith(shown.rstrip("\u2026").rstrip())
    assert link.startswith(READ_ON[language]) and link.endswith(CASE_URL)


def test_a_reply_escapes_the_agents_words_in_html_only():
    body = 'Zie <b>"hier"</b> & daar'
    rendered = render(K.CASE_REPLY, EMAIL, ctx(body=body))
    assert body in rendered.text
    assert "<b>" not in rendered.html and "&lt;b&gt;" in rendered.html


def test_a_reply_without_a_first_name_greets_plainly():
    text = render(K.CASE_REPLY, EMAIL, ctx("de", customer_name="", body=BODY["de"])).text
    assert text.startswith("Guten Tag,\n\n" + BODY["de"])


# case_resolved -----------------------------------------------------------------------------

MONEY = {"nl": "€\xa024,95", "de": "24,95\xa0€", "en": "€24.95", "fr": "24,95\xa0€"}


def resolved(language: str, remedy: str, amount: int = 0, channel=EMAIL, **changes):
    """A rendered resolution of `remedy`, with an amount in euro cents when given."""
    context = ctx(
        language,
        remedy=remedy,
        amount_minor_units=amount,
        amount_currency="EUR" if amount else "",
        **changes,
    )
    return render(K.CASE_RESOLVED, channel, context)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("remedy", ["refund", "partial_refund", "voucher", "store_credit"])
def test_an_amount_is_written_in_the_customers_locale(language, remedy):
    for channel in (EMAIL, SMS):
        assert MONEY[language] in resolved(language, remedy, 2495, channel).text
        text = resolved(language, remedy, 0, channel).text
        assert "€" not in text and "0,00" not in text and "0.00" not in text


def test_a_refund_without_an_amount_refunds_the_order():
    assert "We\u2019re refunding you the amount of your order NL-100234." in (
        resolved("en", "refund").text
    )
    assert "We\u2019re refunding you part of the amount of your order NL-100234." in (
        resolved("en", "partial_refund").text
    )
    assert "We betalen je €\xa024,95 terug voor bestelling NL-100234." in (
        resolved("nl", "refund", 2495).text
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reship_promises_the_new_tracking_link_not_the_old_one(language):
    rendered = resolved(language, "reship")
    assert TRACKING not in rendered.text
    assert TRACKING not in resolved(language, "reship", channel=SMS).text
    assert {"nl": "apart bericht", "de": "separaten Nachricht", "en": "separate message"}.get(
        language, "message séparé"
    ) in rendered.text


def test_each_remedy_has_its_own_subject():
    for language in LANGUAGES:
        subjects = {remedy: resolved(language, remedy).subject for remedy in REMEDIES}
        assert subjects["refund"] == subjects["partial_refund"], "both are a refund"
        assert len(set(subjects.values())) == len(REMEDIES) - 1, subjects
        assert "NL-100234" in subjects["refund"] and "C-48213" in subjects["deny"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_denial_is_polite_and_invites_new_information(language):
    words = {
        "en": ("proof of delivery", "unable to offer a replacement or a refund", "reply to"),
        "nl": ("bewijs van bezorging", "geen nieuw pakket of terugbetaling", "Beantwoord"),
        "de": ("Zustellnachweises", "weder Ersatz noch eine Rückerstattung", "antworten Sie"),
        "fr": ("preuve de livraison", "un remplacement ou un remboursement", "répondez"),
    }[language]
    for channel in (EMAIL, SMS):
        text = resolved(language, "deny", channel=channel, playbook="B").text
        assert not re.search(
            r"fraud|betrug|fraude|oplichting|\blie\b|liar|lügen|mensonge|misbruik|abuse",
            text.lower(),
        ), text
    text = resolved(language, "deny", playbook="B").text
    assert all(word in text for word in words), text
    assert words[0] not in resolved(language, "deny", playbook="E").text, (
        "a damaged parcel was delivered: its denial does not hold the proof of delivery up"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_delivered_close_says_so_and_links_the_delivery_details(language):
    rendered = resolved(language, "delivered")
    assert "C-48213" in rendered.text and TRACKING in rendered.text
    first = rendered.text.split("\n\n")[1]
    assert first.startswith(
        {"nl": "Goed nieuws", "de": "gute Nachrichten", "en": "Good news"}.get(
            language, "Bonne nouvelle"
        )
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_outcome_gets_a_plain_resolution(language):
    rendered = resolved(language, "return_shipping")
    assert "C-48213" in rendered.subject and "NL-100234" in rendered.text


def test_a_voucher_code_is_given_when_there_is_one():
    context = {"voucher_code": "SORRY-7KQ2M"}
    assert "SORRY-7KQ2M" in resolved("en", "voucher", 1250, **context).text
    assert "SORRY-7KQ2M" in resolved("en", "voucher", 1250, SMS, **context).text
    assert "separate message" in resolved("en", "voucher", 1250).text


# from the desk's payload -------------------------------------------------------------------


def test_a_queued_case_payload_renders():
    payload = {
        "carrier": "postnl",
        "case_reference": "C-7",
        "case_url": CASE_URL,
        "playbook": "C",
        "status": "in_transit",
        "promised_date": "2026-11-23",
        "remedy": "refund",
        "amount_minor_units": 3990,
        "amount_currency": "EUR",
    }
    context = MessageContext.from_payload(
        payload,
        shop_name="Tuinhuis Verdi",
        language="de",
        order_number="100234",
        tracking_url=TRACKING,
        customer_name="Jonas Becker",
    )
    received = render(K.CASE_RECEIVED, EMAIL, context)
    assert received.subject == "Wir haben Ihre Anfrage erhalten (C-7)"
    assert "23. November 2026" in received.text and "ein neues Paket oder" in received.text
    assert "39,90\xa0€ für Ihre Bestellung 100234" in render(K.CASE_RESOLVED, EMAIL, context).text
    sms = render(K.CASE_RESOLVED, SMS, context).text
    assert sms.startswith("Hallo Jonas, wir erstatten Ihnen 39,90\xa0€ für Bestellung 100234.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reship_with_a_shared_cost_tells_the_customer_their_part(language):
    shared = render(
        MessageKind.CASE_RESOLVED,
        Channel.EMAIL,
        ctx(language, remedy="reship", share_percent=50),
    ).text
    plain = render(MessageKind.CASE_RESOLVED, Channel.EMAIL, ctx(language, remedy="reship")).text
    assert re.search(r"50\s?%", shared)
    assert "%" not in plain.replace("%20", "")

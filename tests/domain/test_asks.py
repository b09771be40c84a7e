"""The ask's rules: no answer to robots, one ask per address a day, only inside the window,
and words that name no order, in all four languages."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from parcelcare.domain.asks import (
    ASK_WORDS,
    WINDOW,
    AskFacts,
    address_key,
    ask_blockers,
    ask_text,
    automated_mail,
)
from parcelcare.domain.intents import Intent

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)
PERSON = "sanne@example.org"


@pytest.mark.parametrize(
    ("headers", "sender", "automated"),
    [
        ({}, PERSON, False),
        ({"auto-submitted": "no"}, PERSON, False),
        ({"auto-submitted": "No ; comment"}, PERSON, False),
        ({"auto-submitted": "auto-replied"}, PERSON, True),
        ({"auto-submitted": "auto-generated"}, PERSON, True),
        ({"precedence": "bulk"}, PERSON, True),
        ({"precedence": "List"}, PERSON, True),
        ({"precedence": "junk"}, PERSON, True),
        ({"precedence": "first-class"}, PERSON, False),
        ({"x-autoreply": "yes"}, PERSON, True),
        ({"x-autorespond": "1"}, PERSON, True),
        ({"list-id": "<news.shop.example>"}, PERSON, True),
        ({"list-id": ""}, PERSON, False),
        ({}, "noreply@shop.example", True),
        ({}, "No-Reply@shop.example", True),
        ({}, "noreply-alerts@bank.example", True),
        ({}, "MAILER-DAEMON@mx.example", True),
        ({}, "postmaster@mx.example", True),
        ({}, "bounces+123@list.example", True),
        ({}, "donotreply@x.example", True),
        ({}, "norah@example.org", False),
    ],
)
def test_mail_no_person_wrote_is_recognised(
    headers: dict[str, str], sender: str, automated: bool
) -> None:
    assert automated_mail(headers, sender) is automated


def facts(**changes: object) -> AskFacts:
    base = AskFacts(
        channel="email",
        sender=PERSON,
        verified=False,
        intent=Intent.ORDER_STATUS,
        human_asked=False,
        enabled=True,
        automated=False,
        asked_recently=False,
        received_at=NOW - timedelta(minutes=1),
        now=NOW,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_an_unverified_person_asking_about_an_order_is_asked() -> None:
    assert ask_blockers(facts()) == ()
    assert ask_blockers(facts(channel="whatsapp", sender="+31 6 12345678")) == ()


@pytest.mark.parametrize(
    ("changes", "blocker"),
    [
        ({"verified": True}, "verified"),
        ({"channel": "form"}, "channel"),
        ({"enabled": False}, "assistant_off"),
        ({"intent": Intent.OTHER}, "intent_other"),
        ({"human_asked": True}, "human_asked"),
        ({"automated": True}, "automated"),
        ({"sender": "  "}, "no_sender"),
        ({"asked_recently": True}, "asked_recently"),
        ({"own_address": True}, "own_address"),
        ({"received_at": NOW - WINDOW}, "session_closed"),
        (
            {"channel": "whatsapp", "sender": "+31612345678", "received_at": NOW - WINDOW * 2},
            "session_closed",
        ),
    ],
)
def test_each_rule_stops_the_ask_alone(changes: dict[str, object], blocker: str) -> None:
    assert ask_blockers(facts(**changes)) == (blocker,)


def test_inside_the_window_by_a_second_is_still_asked() -> None:
    assert ask_blockers(facts(received_at=NOW - WINDOW + timedelta(seconds=1))) == ()


def test_one_address_is_one_key_however_it_is_written() -> None:
    assert address_key("email", " Sanne@Example.ORG ") == "sanne@example.org"
    assert address_key("whatsapp", "+31 6-1234 5678") == address_key("whatsapp", "31612345678")
    assert address_key("whatsapp", "") == ""


@pytest.mark.parametrize("language", ["nl", "de", "en", "fr"])
def test_the_words_say_only_what_was_asked(language: str) -> None:
    text = ask_text(language, "Groenhuis", "Team Groenhuis")
    assert set(ASK_WORDS[language]) == set(ASK_WORDS["en"])
    whole = " ".join([text.subject, *text.paragraphs, text.footer])
    assert "{" not in whole and "Groenhuis" in whole
    assert not re.search(r"\d", whole)  # no order number, date or amount can slip in
    assert text.paragraphs[-1] == "Team Groenhuis"
    assert len(text.paragraphs) == 5


def test_unknown_language_falls_back_to_english() -> None:
    assert ask_text("es", "S", "") == ask_text("en", "S", "")

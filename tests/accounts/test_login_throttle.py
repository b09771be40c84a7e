"""The agent login refuses, in the page's language, once an account or address failed too often."""

import json
import logging
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.test import Client, override_settings

from conftest import NOW, ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry, Membership

NAME, PASSWORD = "throttled.agent", "a long password"
TOO_MANY = {
    "en": "Too many failed login attempts. Try again in 15 minutes.",
    "nl": "Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw.",
    "de": "Zu viele fehlgeschlagene Anmeldeversuche. Versuchen Sie es in 15 Minuten erneut.",
    "fr": "Trop de tentatives de connexion échouées. Réessayez dans 15 minutes.",
}


def stop_at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Stop the clock at `moment`."""
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture(name="agent")
def agent_fixture(api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch) -> User:
    """An agent of the shop; the clock stands still at the start of a 15-minute window."""
    stop_at(monkeypatch, NOW)  # 12:00 sharp: the window has its full 15 minutes left
    user = User.objects.create_user(NAME, password=PASSWORD)
    Membership.objects.create(user=user, shop=api_shop.shop, role="agent")
    return user


def attempt(client: Client, password: str, name: str = NAME, language: str = "en", **extra):
    """One login attempt."""
    return client.post(
        "/login/",
        {"username": name, "password": password},
        headers={"accept-language": language},
        **extra,
    )


@pytest.mark.parametrize("language", sorted(TOO_MANY))
def test_account_is_held_after_five_failures_in_every_language(
    agent: User, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    checked = 0

    def count(**_: object) -> None:
        nonlocal checked
        checked += 1

    user_login_failed.connect(count)
    client = Client()
    for _ in range(5):
        assert attempt(client, "wrong password", language=language).status_code == 200
    with caplog.at_level(logging.WARNING):
        refused = attempt(client, PASSWORD, language=language)
    assert refused.status_code == 429
    assert TOO_MANY[language] in refused.content.decode()
    assert int(refused["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session  # the right password did not get through
    assert checked == 5  # and was not even checked
    assert f'value="{NAME}"' in refused.content.decode()  # the name stays filled in
    assert "too many failed attempts (per account)" in caplog.text
    assert NAME not in caplog.text and "127.0.0.1" not in caplog.text
    user_login_failed.disconnect(count)


def test_lock_is_audited_without_personal_data(agent: User, api_shop: ApiShop) -> None:
    client = Client()
    for _ in range(6):
        attempt(client, "wrong password")
    entries = list(AuditEntry.objects.filter(shop=api_shop.shop, action="login_throttled"))
    assert len(entries) == 1  # once when the limit is reached, not once per refused attempt
    entry = entries[0]
    assert (entry.actor_type, entry.subject_type, entry.subject_id) == ("system", "agent", agent.pk)
    assert entry.after == {"scope": "account", "retry_after_seconds": 15 * 60}
    stored = json.dumps([entry.actor, entry.before, entry.after])
    assert NAME not in stored and "127.0.0.1" not in stored


def test_success_resets_the_account_count(agent: User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "wrong password")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(5):
        assert attempt(client, "wrong password").status_code == 200
    assert attempt(client, PASSWORD).status_code == 429


def test_names_count_alike_whatever_their_case(agent: User) -> None:
    client = Client()
    for name in (
        "Throttled.Agent",
        "THROTTLED.AGENT ",
        " throttled.agent",
        "tHrottled.agent",
        NAME,
    ):
        attempt(client, "wrong password", name=name)
    assert attempt(client, PASSWORD).status_code == 429


def test_the_hold_ends_with_the_window(agent: User, monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    for _ in range(6):
        attempt(client, "wrong password")
    stop_at(monkeypatch, NOW + timedelta(minutes=14))
    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429
    assert TOO_MANY["en"].replace("15 minutes", "1 minute") in refused.content.decode()
    stop_at(monkeypatch, NOW + timedelta(minutes=15))
    assert attempt(client, PASSWORD).status_code == 302


@override_settings(LOGIN_ATTEMPTS_PER_ADDRESS=3)
def test_address_is_held_across_account_names(agent: User) -> None:
    client = Client()
    for name in ("anna", "bert", "carla"):
        assert attempt(client, "guess", name=name).status_code == 200
    assert attempt(client, PASSWORD).status_code == 429  # a fresh account, the same address
    elsewhere = attempt(Client(), PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302


def test_missing_fields_do_not_count(agent: User) -> None:
    client = Client()
    for _ in range(8):
        assert client.post("/login/", {"username": NAME}).status_code == 200
    assert attempt(client, PASSWORD).status_code == 302


@override_settings(LOGIN_ATTEMPTS_PER_ADDRESS=3)
def test_good_logins_do_not_use_up_the_address(agent: User) -> None:
    for _ in range(5):
        client = Client()
        assert attempt(client, PASSWORD).status_code == 302
    client = Client()
    for _ in range(3):
        assert attempt(client, "wrong password", name="someone").status_code == 200
    assert attempt(client, PASSWORD).status_code == 429
